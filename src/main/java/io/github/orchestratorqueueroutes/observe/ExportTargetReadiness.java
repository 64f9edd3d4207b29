package io.github.orchestratorqueueroutes.observe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.orchestratorqueueroutes.export.ExportTarget;

/**
 * Ready when exports can be delivered: a {@code file:} target is a writable folder (created if missing); an
 * {@code sftp:} target's server accepts a connection and greets with an SSH banner. Credentials are not tried here:
 * a refused login shows in the run that delivers.
 */
public class ExportTargetReadiness extends ReadinessCheck {

    private static final Pattern SFTP = Pattern.compile("^sftp://(?:[^@/]+@)?([^:/?]+)(?::(\\d+))?.*");
    private static final int SSH_PORT = 22;

    private final String target;
    private final String targetForPeople;
    private final Duration timeout;

    public ExportTargetReadiness(String target, String targetForPeople, Duration timeout, Duration recheckAfter,
            Clock clock) {
        super("export-target", recheckAfter, clock);
        this.target = target;
        this.targetForPeople = targetForPeople;
        this.timeout = timeout;
    }

    @Override
    protected Probe probe() {
        Matcher sftp = SFTP.matcher(target);
        if (sftp.matches()) {
            String host = sftp.group(1);
            int port = sftp.group(2) == null ? SSH_PORT : Integer.parseInt(sftp.group(2));
            return sshServer(host, port);
        }
        java.util.Optional<Path> folder = ExportTarget.localFolder(target);
        if (folder.isPresent()) {
            return folder(folder.get());
        }
        return new Probe(true, "export.target " + targetForPeople + " is not checked (only file: and sftp: are)");
    }

    private Probe sshServer(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            String banner = firstLine(socket.getInputStream());
            if (banner.startsWith("SSH-")) {
                return new Probe(true, "SFTP server " + host + ":" + port + " answered (" + banner + ")");
            }
            return new Probe(false, "export.target: " + host + ":" + port + " answered but is not an SSH server");
        } catch (IOException e) {
            return new Probe(false, "export.target: the SFTP server " + host + ":" + port + " cannot be reached ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); check that it runs and that this host may connect");
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 255) {
            line.append((char) c);
        }
        return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).trim();
    }

    private Probe folder(Path folder) {
        try {
            Files.createDirectories(folder);
            if (Files.isWritable(folder)) {
                return new Probe(true, "Export folder " + folder + " is writable");
            }
        } catch (IOException | SecurityException e) {
            // reported below
        }
        return new Probe(false, "export.target: the folder " + folder + " cannot be created or written; "
                + "fix its permissions or choose another folder");
    }
}
