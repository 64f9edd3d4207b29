package io.github.orchestratorqueueroutes.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.HeldAnswer;
import io.github.orchestratorqueueroutes.testing.Checksums;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportTest extends AgainstSimulator {


    @Test
    void deliversTheExportByteIdenticalToAFolderWithoutSendingTheTokenToTheDownloadHost() throws Exception {
        ProductRun.Result run = product.exportOnly("Queue Demo").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        List<Path> files = exportFiles();
        assertThat(files).singleElement().satisfies(f ->
                assertThat(f.getFileName().toString()).matches("Queue_Demo-\\d+-\\d{8}T\\d{6}Z\\.csv"));
        JsonNode export = run.summary().get("exports").get(0);
        long exportId = export.get("exportId").asLong();
        assertThat(Checksums.sha256(Files.newInputStream(files.get(0))))
                .isEqualTo(Checksums.sha256(product.simulator().exports().csv(exportId)))
                .isEqualTo(export.get("sha256").asText());
        assertThat(export.get("bytes").asLong()).isEqualTo(Files.size(files.get(0)));
        assertThat(export.get("file").asText()).isEqualTo(files.get(0).getFileName().toString());
        assertThat(allFiles()).as("no temporary file left").hasSize(1);
        assertThat(run.audit()).singleElement().satisfies(a -> {
            assertThat(a.get("action").asText()).isEqualTo("exported");
            assertThat(a.get("sha256").asText()).isEqualTo(export.get("sha256").asText());
            assertThat(a.get("queue").asText()).isEqualTo("Queue Demo");
        });

        RecordedRequest start = run.requests().stream().filter(RecordedRequest::isExportStart).findFirst().orElseThrow();
        assertThat(start.path()).isEqualTo("/odata/QueueDefinitions(" + SimulatedTenant.QUEUE_DEMO + ")/UiPathODataSvc.Export");
        assertThat(start.body()).isEmpty();
        // the queue's first window: everything that finished before the run's start minus purge.overlap
        assertThat(start.query().get("$filter")).matches("\\(\\(QueueDefinitionId eq " + SimulatedTenant.QUEUE_DEMO
                + "\\)\\) and \\(EndProcessing lt \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)");
        assertThat(start.query().get("$expand")).isEqualTo("Robot,ReviewerUser");
        assertThat(start.header("X-UIPATH-OrganizationUnitId")).isEqualTo("39419");

        List<RecordedRequest> downloads = run.requests().stream().filter(RecordedRequest::isDownload).toList();
        assertThat(downloads).singleElement().satisfies(d -> {
            assertThat(d.header("Authorization")).isNull();
            assertThat(d.header("x-ms-version")).isEqualTo("2020-10-02");
            assertThat(d.header("x-sim-download-key")).isNotBlank();
            assertThat(d.status()).isEqualTo(200);
        });
        assertThat(run.logs()).doesNotContain(downloads.get(0).query().get("sig"));
    }

    @Test
    void linkThatRequiresAuthGetsTheBearerTokenAndNothingElseChanges() throws Exception {
        product.simulator().exports().requireAuth(true);

        ProductRun.Result run = product.exportOnly("Queue Demo").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload).singleElement().satisfies(d -> {
            assertThat(d.header("Authorization")).startsWith("Bearer ");
            assertThat(d.status()).isEqualTo(200);
        });
        assertThat(exportFiles()).hasSize(1);
    }

    @Test
    void theTokenNeverGoesToALinkOnAnotherOriginThanOrchestrators() throws Exception {
        product.simulator().exports().requireAuth(true);
        product.simulator().exports().authLinksOnDownloadHost(true);
        String downloadOrigin = product.simulator().downloadUrl();

        ProductRun.Result run = product.exportOnly("Queue Demo").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload).isNotEmpty()
                .allSatisfy(d -> assertThat(d.header("Authorization")).isNull());
        assertThat(run.auditText()).contains("points at " + downloadOrigin + ", which is not orchestrator.url's origin")
                .contains("export.download.trusted-hosts");
        assertThat(exportFiles()).isEmpty();

        ProductRun.Result trusted = product.with("export.download.trusted-hosts", downloadOrigin).runOnce();

        assertThat(trusted.exitCode()).as(trusted.logs()).isZero();
        assertThat(trusted.requests()).filteredOn(RecordedRequest::isDownload).singleElement()
                .satisfies(d -> assertThat(d.header("Authorization")).startsWith("Bearer "));
    }

    @ParameterizedTest(name = "ranges supported: {0}")
    @ValueSource(booleans = {true, false})
    void aDownloadCutTwiceIsResumedAndDeliveredWhole(boolean ranges) throws Exception {
        long size = 3_000_000;
        product.simulator().exports().syntheticSize(size);
        product.simulator().exports().supportRanges(ranges);
        product.simulator().exports().cutDownloadsAt(700_000, 2_100_000);

        ProductRun.Result run = product.exportOnly("Queue Demo").with("orchestrator.retry.initial-delay", "PT0.05S")
                .runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        long exportId = run.summary().get("exports").get(0).get("exportId").asLong();
        assertThat(Checksums.sha256(Files.newInputStream(exportFiles().get(0))))
                .isEqualTo(Checksums.sha256(product.simulator().exports().csv(exportId)));
        assertThat(run.logs()).contains("broke off after 700000 bytes").contains("resuming from there");
        long served = product.simulator().exports().bytesServed();
        if (ranges) {
            assertThat(served).as("only the missing bytes are sent again").isLessThanOrEqualTo(size * 11 / 10);
        } else {
            assertThat(served).as("each resume starts from the beginning").isGreaterThan(size + 2_000_000);
        }
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload).hasSize(3);
    }

    @Test
    void aDownloadHostAnswering503IsAskedAgainAfterTheBackOff() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        product.simulator().intercept(r -> r.isDownload() && failures.getAndIncrement() < 2
                ? java.util.Optional.of(SimulatedReply.error(503, 0, "busy")) : java.util.Optional.empty());

        ProductRun.Result run = product.exportOnly("Queue Demo").with("orchestrator.retry.initial-delay", "PT0.05S")
                .runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload).hasSize(3);
        assertThat(run.logs()).contains("was answered HTTP 503; asking again");
        assertThat(exportFiles()).hasSize(1);
    }

    @Test
    void aDownloadThatKeepsBreakingFailsAfterItsAttemptsAndLeavesNoFile() throws Exception {
        product.simulator().exports().syntheticSize(1_000_000);
        product.simulator().exports().cutDownloadsAt(100_000, 200_000, 300_000, 400_000);

        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.download.max-attempts", "3")
                .with("orchestrator.retry.initial-delay", "PT0.05S").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.audit().get(0).get("error").asText()).contains("broke off")
                .contains("gave up after 3 attempts, export.download.max-attempts");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void exportFilterIsAddedToTheQueueFilter() throws Exception {
        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.filter", "Status eq 'Successful'")
                .runOnce();

        assertThat(run.exitCode()).isZero();
        RecordedRequest start = run.requests().stream().filter(RecordedRequest::isExportStart).findFirst().orElseThrow();
        assertThat(start.query().get("$filter")).startsWith("((QueueDefinitionId eq " + SimulatedTenant.QUEUE_DEMO
                + ")) and (Status eq 'Successful') and (EndProcessing lt ");
        List<String> rows = Files.readAllLines(exportFiles().get(0));
        assertThat(rows).hasSizeGreaterThan(2);
        assertThat(rows.stream().skip(1).filter(r -> r.matches("^\\d+,.*")))
                .allSatisfy(r -> assertThat(r).contains(",\"Successful\","));
    }

    @Test
    void zippedExportIsUnpackedToItsCsvOnTheFly() throws Exception {
        product.simulator().exports().zipped(true);

        ProductRun.Result run = product.exportOnly("Banana Orders").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        long exportId = run.summary().get("exports").get(0).get("exportId").asLong();
        Path file = exportFiles().get(0);
        assertThat(Files.readString(file)).startsWith("Id,Reference,Status");
        assertThat(Checksums.sha256(Files.newInputStream(file))).isEqualTo(Checksums.sha256(product.simulator().exports().csv(exportId)));
    }

    @Test
    void queueLinkedToTwoFoldersIsExportedOnce() {
        ProductRun.Result run = product.exportOnly("Supplier Invoices").runOnce();

        assertThat(run.exitCode()).isZero();
        assertThat(run.requests()).filteredOn(RecordedRequest::isExportStart).hasSize(1);
    }

    @Test
    void failedExportIsRecordedAndTheOtherQueueIsStillDelivered() throws Exception {
        product.simulator().exports().failQueue(SimulatedTenant.QUEUE_DEMO);

        ProductRun.Result run = product.exportOnly("Queue Demo,Banana Orders").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(exportFiles()).singleElement()
                .satisfies(f -> assertThat(f.getFileName().toString()).startsWith("Banana_Orders-"));
        assertThat(run.summary().get("failures")).singleElement().satisfies(f -> {
            assertThat(f.get("queue").asText()).isEqualTo("Queue Demo");
            assertThat(f.get("error").asText()).contains("Failed");
        });
        assertThat(run.count("exported")).isEqualTo(1);
    }

    @Test
    void aFailureThatStopsTheRunLetsExportsInFlightFinishSoEveryDeliveredFileIsInTheSummary() throws Exception {
        // the second download link is refused (a revoked token stops the run) while the first export is downloading;
        // the server sends that download only once the run has had every chance to end without it (summary, or 2 s)
        AtomicInteger links = new AtomicInteger();
        java.util.concurrent.CountDownLatch refused = new java.util.concurrent.CountDownLatch(1);
        Path summaries = out.resolve("runs");
        product.simulator().intercept(r -> {
            if (r.path().endsWith("GetDownloadLink") && links.incrementAndGet() == 2) {
                refused.countDown();
                return Optional.of(SimulatedReply.error(401, 0, "Unauthorized"));
            }
            if (r.isDownload()) {
                HeldAnswer.until(() -> refused.getCount() == 0, Duration.ofSeconds(10));
                HeldAnswer.until(() -> Files.isDirectory(summaries) && summaries.toFile().list().length > 0,
                        Duration.ofSeconds(2));
            }
            return Optional.empty();
        });

        ProductRun.Result run = product.exportOnly("Queue Demo,Banana Orders").runOnce();

        assertThat(run.exitCode()).as("a refused token is the operator's to fix: exit 2").isEqualTo(2);
        assertThat(run.summary().get("runErrors")).singleElement()
                .satisfies(e -> assertThat(e.asText()).startsWith("Run stopped:").contains("HTTP 401"));
        List<String> delivered = exportFiles().stream().map(f -> f.getFileName().toString()).toList();
        assertThat(delivered).as("the export in flight was delivered").hasSize(1);
        assertThat(run.summary().get("exports")).as("every delivered file is in the summary").singleElement()
                .satisfies(e -> assertThat(e.toString()).contains(delivered.get(0)));
        assertThat(run.count("exported")).isEqualTo(1);
    }

    @Test
    void pollTimeoutFailsTheQueueAndTheNextRunResumesTheSameExport() throws Exception {
        product.simulator().exports().duration(Duration.ofHours(1));

        ProductRun.Result first = product.exportOnly("Queue Demo").with("export.poll.timeout", "PT0.5S").runOnce();

        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(first.summary().get("failures").get(0).get("error").asText()).contains("export.poll.timeout");
        assertThat(exportFiles()).isEmpty();
        long exportId = first.summary().get("failures").get(0).get("exportId").asLong();

        product.simulator().exports().duration(Duration.ofMillis(200));
        ProductRun.Result second = product.runOnce();

        assertThat(second.exitCode()).as(second.logs()).isZero();
        assertThat(second.requests()).noneMatch(RecordedRequest::isExportStart);
        assertThat(second.summary().get("exports").get(0).get("exportId").asLong()).isEqualTo(exportId);
        assertThat(second.logs()).contains("Resuming");
        assertThat(product.simulator().exports().startedCount()).isEqualTo(1);
    }

    @Test
    void spentBudgetStartsNoExportBeyondIt() {
        ProductRun.Result first = product.exportOnly("Queue Demo,Banana Orders").with("export.daily-budget", "1")
                .with("export.concurrency", "1").runOnce();

        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(first.requests()).filteredOn(RecordedRequest::isExportStart).hasSize(1);
        assertThat(first.summary().get("failures").get(0).get("error").asText()).contains("export.daily-budget=1");

        ProductRun.Result second = product.runOnce();
        assertThat(second.requests()).noneMatch(RecordedRequest::isExportStart);
        assertThat(second.exitCode()).isEqualTo(1);
    }

    @Test
    void quotaError4502IsNeverRetriedAndStopsFurtherStartsToday() {
        product.simulator().exports().dailyQuota(0, 429);

        ProductRun.Result first = product.exportOnly("Queue Demo").runOnce();

        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(first.requests()).filteredOn(RecordedRequest::isExportStart).hasSize(1);
        assertThat(first.summary().get("failures").get(0).get("error").asText()).contains("errorCode 4502");

        ProductRun.Result second = product.exportOnly("Banana Orders").runOnce();
        assertThat(second.requests()).noneMatch(RecordedRequest::isExportStart);
        assertThat(second.summary().get("failures").get(0).get("error").asText()).contains("4502");
    }

    @Test
    void refusedDownloadLinkIsAskedForAgainOnce() throws Exception {
        AtomicInteger downloads = new AtomicInteger();
        product.simulator().intercept(r -> r.isDownload() && downloads.getAndIncrement() == 0
                ? Optional.of(new SimulatedReply(403, "application/xml",
                        "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code></Error>"))
                : Optional.empty());

        ProductRun.Result run = product.exportOnly("Queue Demo").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.requests()).filteredOn(r -> r.path().endsWith("GetDownloadLink")).hasSize(2);
        assertThat(run.requests()).filteredOn(RecordedRequest::isDownload).extracting(RecordedRequest::status)
                .containsExactly(403, 200);
        assertThat(exportFiles()).hasSize(1);
    }

    @Test
    void downloadRefusedTwiceFailsWithTheStorageErrorCode() throws Exception {
        product.simulator().exports().linkLifetime(Duration.ZERO);

        ProductRun.Result run = product.exportOnly("Queue Demo").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.summary().get("failures").get(0).get("error").asText())
                .contains("HTTP 403").contains("AuthenticationFailed").contains("fresh link");
        assertThat(exportFiles()).isEmpty();
    }

    @Test
    void droppedDownloadLeavesNothingUnderTheFinalName() throws Exception {
        product.simulator().exports().syntheticSize(3_000_000);
        product.simulator().exports().dropDownloadsAfter(1_000_000);

        // no resume: the break ends the download
        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.download.max-attempts", "1").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(exportFiles()).as("no file under a final name").isEmpty();
        assertThat(allFiles()).as("nor a temporary one").isEmpty();
        assertThat(run.count("exported")).isZero();
        assertThat(run.summary().get("failures").get(0).get("error").asText()).contains("broke off after");
    }

    @Test
    void checksumSidecarIsWrittenWhenAsked() throws Exception {
        ProductRun.Result run = product.exportOnly("Queue Demo").with("export.sha256-file", "true").runOnce();

        assertThat(run.exitCode()).isZero();
        String file = run.summary().get("exports").get(0).get("file").asText();
        assertThat(Files.readString(out.resolve("exports").resolve(file + ".sha256")))
                .isEqualTo(run.summary().get("exports").get(0).get("sha256").asText() + "  " + file + "\n");
    }

    private List<Path> exportFiles() throws IOException {
        Path dir = out.resolve("exports");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(ExportTarget.TEMP_PREFIX))
                    .filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    private List<Path> allFiles() throws IOException {
        Path dir = out.resolve("exports");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

}
