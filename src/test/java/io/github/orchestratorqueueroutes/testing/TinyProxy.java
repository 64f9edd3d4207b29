package io.github.orchestratorqueueroutes.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A real forward proxy, Debian's tinyproxy (installed by .ci/run), on a loopback port, with its own log to read
 * back: what a company network puts between the product and Automation Cloud.
 */
public final class TinyProxy implements AutoCloseable {

    private static final List<Path> BINARIES = List.of(Path.of("/usr/bin/tinyproxy"), Path.of("/usr/sbin/tinyproxy"));

    private final Process process;
    private final Path log;
    private final int port;

    /** @param basicAuth "user password", or null for a proxy without login */
    public TinyProxy(Path dir, String basicAuth) throws IOException {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("tinyproxy is missing: .ci/run installs Debian's tinyproxy");
        }
        Assumptions.assumeTrue(binary != null, "tinyproxy is not installed (apt-get install tinyproxy)");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        log = dir.resolve("tinyproxy.log");
        Path config = dir.resolve("tinyproxy.conf");
        Files.writeString(config, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 60", "LogFile \"" + log + "\"", "LogLevel Info",
                "MaxClients 100", "Allow 127.0.0.1", "DisableViaHeader Yes",
                basicAuth == null ? "" : "BasicAuth " + basicAuth, ""));
        process = new ProcessBuilder(binary.toString(), "-d", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(this::listening);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The proxy's log: one "Request ..." line per request it forwarded, CONNECT lines for tunnels. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean listening() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
