package io.github.orchestratorqueueroutes.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.Checksums;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export delivery to an SFTP server: complete or absent, host key checked, secrets kept out of every output. */
class SftpDeliveryTest {

    @TempDir
    Path out;
    @TempDir
    Path keys;
    private ProductRun product;
    private SftpServer sftp;

    @BeforeEach
    void start() throws Exception {
        product = new ProductRun(out);
        sftp = new SftpServer(keys);
    }

    @AfterEach
    void stop() throws IOException {
        sftp.close();
        product.close();
    }

    @Test
    void deliversByteIdenticalFileWithKeyAuthenticationAndStrictHostKeyChecking() throws Exception {
        ProductRun.Result run = product.exportOnly("Queue Demo")
                .with("export.target", sftp.keyTarget("archive/queues", sftp.knownHosts())).runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        List<Path> delivered = files(sftp.root().resolve("archive/queues"));
        assertThat(delivered).singleElement().satisfies(f ->
                assertThat(f.getFileName().toString()).startsWith("Queue_Demo-").endsWith(".csv"));
        long exportId = run.summary().get("exports").get(0).get("exportId").asLong();
        assertThat(Checksums.sha256(delivered.get(0))).isEqualTo(run.summary().get("exports").get(0).get("sha256").asText())
                .isEqualTo(Checksums.sha256(product.simulator().exports().csv(exportId)));
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload)
                .allSatisfy(d -> assertThat(d.header("Authorization")).isNull());
    }

    @Test
    void unknownHostKeyIsRefusedByDefault() throws Exception {
        ProductRun.Result run = product.exportOnly("Queue Demo")
                .with("export.target", sftp.keyTarget("archive", sftp.wrongKnownHosts(keys))).runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(files(sftp.root().resolve("archive"))).isEmpty();
        assertThat(run.summary().get("failures").get(0).get("error").asText()).containsIgnoringCase("HostKey");
    }

    @Test
    void droppedDownloadLeavesNoFileUnderTheFinalNameOnTheServer() throws Exception {
        product.simulator().exports().syntheticSize(2_000_000);
        product.simulator().exports().dropDownloadsAfter(700_000);

        // no resume: the break ends the download
        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.download.max-attempts", "1")
                .with("export.target", sftp.keyTarget("archive", sftp.knownHosts())).runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(files(sftp.root().resolve("archive")))
                .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith(".inprogress-"));
    }

    @Test
    void aDownloadCutTwiceIsResumedAndDeliveredWholeToTheServer() throws Exception {
        product.simulator().exports().syntheticSize(2_000_000);
        product.simulator().exports().cutDownloadsAt(300_000, 1_500_000);

        ProductRun.Result run = product.exportOnly("Queue Demo").with("orchestrator.retry.initial-delay", "PT0.05S")
                .with("export.target", sftp.keyTarget("archive", sftp.knownHosts())).runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        long exportId = run.summary().get("exports").get(0).get("exportId").asLong();
        Path delivered = sftp.root().resolve("archive").resolve(run.summary().at("/exports/0/file").asText());
        assertThat(Checksums.sha256(Files.newInputStream(delivered)))
                .isEqualTo(Checksums.sha256(product.simulator().exports().csv(exportId)));
        assertThat(product.simulator().exports().bytesServed()).isLessThanOrEqualTo(2_200_000);
    }

    @Test
    void passwordAuthenticationWorksAndThePasswordAppearsNowhere() throws Exception {
        ProductRun.Result run = product.exportOnly("Banana Orders")
                .with("export.target", sftp.passwordTarget("in")).runOnceWithDebugLogs();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(files(sftp.root().resolve("in"))).hasSize(1);
        assertThat(run.logs()).doesNotContain(SftpServer.PASSWORD);
        assertThat(run.auditText()).doesNotContain(SftpServer.PASSWORD);
        assertThat(run.summaryText()).doesNotContain(SftpServer.PASSWORD);
        assertThat(run.reportText()).contains("sftp://").doesNotContain(SftpServer.PASSWORD);
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }


}
