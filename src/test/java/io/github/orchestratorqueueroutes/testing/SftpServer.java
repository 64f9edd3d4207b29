package io.github.orchestratorqueueroutes.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An Apache MINA SSHD SFTP server on loopback for delivery tests. Its host key and the client's key are generated
 * when the test starts (nothing is committed); the client key file and a known_hosts line are written for the product.
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "exports";
    public static final String PASSWORD = "sftp-Pass-8d1e";

    private final SshServer server;
    private final Path root;
    private final Path clientKeyFile;
    private final Path knownHosts;
    private final KeyPair hostKey;

    public SftpServer(Path workDir) throws IOException, GeneralSecurityException {
        root = Files.createDirectories(workDir.resolve("sftp-root"));
        hostKey = ecKeyPair();
        KeyPair clientKey = ecKeyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) ->
                USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();

        clientKeyFile = workDir.resolve("id_ecdsa");
        try (OutputStream out = Files.newOutputStream(clientKeyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test", null, out);
        }
        knownHosts = workDir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public int port() {
        return server.getPort();
    }

    /** Where the server keeps what it received. */
    public Path root() {
        return root;
    }

    public Path clientKeyFile() {
        return clientKeyFile;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** A known_hosts file that names another key for this server, as after a man-in-the-middle swap. */
    public Path wrongKnownHosts(Path workDir) throws IOException, GeneralSecurityException {
        Path wrong = workDir.resolve("known_hosts_wrong");
        Files.writeString(wrong, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(ecKeyPair().getPublic()) + "\n");
        return wrong;
    }

    /** A target URI with key authentication; strict host key checking is left to the product's default. */
    public String keyTarget(String folder, Path knownHostsFile) {
        return "sftp://" + USER + "@127.0.0.1:" + port() + "/" + folder + "?privateKeyFile=" + clientKeyFile
                + "&knownHostsFile=" + knownHostsFile + "&useUserKnownHostsFile=false";
    }

    public String passwordTarget(String folder) {
        return "sftp://" + USER + "@127.0.0.1:" + port() + "/" + folder + "?password=RAW(" + PASSWORD + ")"
                + "&knownHostsFile=" + knownHosts + "&useUserKnownHostsFile=false";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
