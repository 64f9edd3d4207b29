package io.github.orchestratorqueueroutes.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.github.orchestratorqueueroutes.testing.Checksums;
import io.github.orchestratorqueueroutes.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged product, in a JVM with a 64 MB heap, delivers an export four times that size. */
class LargeExportIT {

    private static final long SIZE = 256L * 1024 * 1024;
    private static final Path JAR = Path.of("target/orchestrator-queue-routes.jar").toAbsolutePath();

    @TempDir
    Path out;
    private OrchestratorSimulator simulator;

    @BeforeEach
    void start() {
        simulator = new OrchestratorSimulator().start();
        simulator.exports().syntheticSize(SIZE);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void exportFourTimesTheHeapStreamsToAFolder() throws Exception {
        Path target = out.resolve("exports");

        String output = runProduct("file:" + target);

        Path file = onlyFile(target);
        assertThat(Files.size(file)).as(output).isEqualTo(SIZE);
        long exportId = Long.parseLong(file.getFileName().toString().split("-")[1]);
        assertThat(Checksums.sha256(Files.newInputStream(file)))
                .isEqualTo(Checksums.sha256(simulator.exports().csv(exportId)));
    }

    @Test
    void exportFourTimesTheHeapStreamsToSftp(@TempDir Path keys) throws Exception {
        try (SftpServer sftp = new SftpServer(keys)) {
            String output = runProduct(sftp.keyTarget("big", sftp.knownHosts()));

            Path file = onlyFile(sftp.root().resolve("big"));
            assertThat(Files.size(file)).as(output).isEqualTo(SIZE);
        }
    }

    /** The download cut three times at different offsets: resumed with ranges, delivered byte-identical. */
    @Test
    void exportCutThreeTimesIsResumedToAFolder() throws Exception {
        simulator.exports().cutDownloadsAt(SIZE / 7, SIZE / 2, SIZE - 4096);
        Path target = out.resolve("exports");

        String output = runProduct("file:" + target);

        assertDeliveredWhole(onlyFile(target), output);
        assertThat(simulator.exports().bytesServed()).as("bytes sent").isLessThanOrEqualTo(SIZE * 11 / 10);
    }

    @Test
    void exportCutThreeTimesIsResumedToSftp(@TempDir Path keys) throws Exception {
        simulator.exports().cutDownloadsAt(SIZE / 5, SIZE / 3, SIZE * 9 / 10);
        try (SftpServer sftp = new SftpServer(keys)) {
            String output = runProduct(sftp.keyTarget("big", sftp.knownHosts()));

            assertDeliveredWhole(onlyFile(sftp.root().resolve("big")), output);
        }
        assertThat(simulator.exports().bytesServed()).isLessThanOrEqualTo(SIZE * 11 / 10);
    }

    /** A host without range support sends the file again each time; it is restarted and still delivered. */
    @Test
    void exportCutThreeTimesByAHostWithoutRangesIsRestartedToAFolder() throws Exception {
        simulator.exports().supportRanges(false);
        simulator.exports().cutDownloadsAt(8L << 20, 24L << 20, 40L << 20);
        Path target = out.resolve("exports");

        String output = runProduct("file:" + target);

        assertDeliveredWhole(onlyFile(target), output);
        assertThat(simulator.exports().bytesServed()).isGreaterThan(SIZE + (40L << 20));
    }

    private void assertDeliveredWhole(Path file, String output) throws Exception {
        assertThat(file.getFileName().toString()).doesNotStartWith(".inprogress-");
        assertThat(Files.size(file)).as(output).isEqualTo(SIZE);
        long exportId = Long.parseLong(file.getFileName().toString().split("-")[1]);
        assertThat(Checksums.sha256(Files.newInputStream(file)))
                .isEqualTo(Checksums.sha256(simulator.exports().csv(exportId)));
        assertThat(output).contains("resuming from there");
    }

    private String runProduct(String target) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-Dorchestrator.url=" + simulator.url(),
                "-Dorchestrator.auth.token=" + SimulatorAccounts.PERSONAL_ACCESS_TOKEN,
                "-Dpurge.enabled=false",
                "-Dexport.queues=Queue Demo",
                "-Dexport.poll.interval=PT0.2S",
                "-Dorchestrator.retry.initial-delay=PT0.1S",
                "-Dexport.target=" + target,
                "-Doutput.dir=" + out,
                "-jar", JAR.toString(), "--once"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("OutOfMemoryError");
        return text;
    }

    private static Path onlyFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
