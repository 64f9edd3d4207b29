package io.github.orchestratorqueueroutes.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recurring export is a continuous archive: each file holds the items of its queue that finished since the
 * previous delivered export, so across runs every finished item is in exactly one file; and with the defaults a queue
 * is exported at most once a day.
 */
class ExportWindowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Windows end this long before a run starts; short, so that items finished a moment ago are in the next one. */
    private static final Duration OVERLAP = Duration.ofSeconds(1);

    @TempDir
    Path out;

    @Test
    void overFiveRunsEveryFinishedItemIsInExactlyOneFileAndAFailedExportLeavesNoGap() throws IOException {
        try (ProductRun product = new ProductRun(out).exportOnly("Queue Demo").with("export.every", "PT0S")
                .with("purge.overlap", "PT1S").with("export.file-name", "${queue}-${from}-${to}-${exportId}.csv")) {
            SimulatedTenant tenant = product.simulator().tenant();
            List<String> windowEnds = new ArrayList<>();
            for (int run = 0; run < 5; run++) {
                if (run == 2) {
                    product.simulator().exports().failQueue(SimulatedTenant.QUEUE_DEMO);
                } else if (run == 3) {
                    product.simulator().exports().recoverQueue(SimulatedTenant.QUEUE_DEMO);
                }

                ProductRun.Result result = product.runOnce();

                if (run == 2) {
                    assertThat(result.exitCode()).isEqualTo(1);
                    assertThat(result.count("exported")).isZero();
                } else {
                    assertThat(result.exitCode()).as(result.logs()).isZero();
                    JsonNode export = result.summary().get("exports").get(0);
                    assertThat(export.get("windowFrom").isNull()).as("only the first window has no start")
                            .isEqualTo(run == 0);
                    if (run > 0) {
                        assertThat(export.get("windowFrom").asText()).as("a window starts where the last delivered "
                                + "one ended").isEqualTo(windowEnds.get(windowEnds.size() - 1));
                    }
                    windowEnds.add(export.get("windowTo").asText());
                    assertThat(result.audit()).singleElement().satisfies(a ->
                            assertThat(a.get("windowTo").asText()).isEqualTo(export.get("windowTo").asText()));
                    assertThat(export.get("file").asText()).contains("-" + (run == 0 ? "start"
                            : compact(export.get("windowFrom").asText())) + "-" + compact(export.get("windowTo").asText()));
                }
                // items finish before the next run, some of them in queues this export does not select
                Instant end = Instant.now();
                for (int i = 0; i < 3; i++) {
                    tenant.addItem(SimulatedTenant.QUEUE_DEMO, List.of("Successful", "Failed", "Deleted").get(i), end);
                }
                tenant.addItem(SimulatedTenant.BANANA_QUEUE, "Successful", end);
                tenant.addItem(SimulatedTenant.QUEUE_DEMO, "New", null);
                await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().minus(OVERLAP)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(end));
            }
            ProductRun.Result last = product.runOnce();
            windowEnds.add(last.summary().get("exports").get(0).get("windowTo").asText());

            List<Long> exported = new ArrayList<>();
            for (Path file : csvFiles()) {
                exported.addAll(ids(file));
            }
            Instant lastEnd = Instant.parse(windowEnds.get(windowEnds.size() - 1));
            Set<Long> finished = tenant.snapshot().values().stream()
                    .filter(i -> i.get("QueueDefinitionId").asLong() == SimulatedTenant.QUEUE_DEMO)
                    .filter(i -> !i.get("EndProcessing").isNull())
                    .filter(i -> Instant.parse(i.get("EndProcessing").asText()).isBefore(lastEnd))
                    .map(i -> i.get("Id").asLong()).collect(Collectors.toSet());
            assertThat(csvFiles()).hasSize(5);
            assertThat(new HashSet<>(exported)).as("every finished item is in a file").isEqualTo(finished);
            assertThat(exported).as("and in one file only").doesNotHaveDuplicates();
        }
    }

    @Test
    void withTheDefaultsAServiceExportsEachQueueOnceADay() throws Exception {
        try (ProductRun product = new ProductRun(out).with("export.enabled", "true").with("purge.enabled", "false")
                .with("export.target", "file:" + out.resolve("exports"))) {
            try (RunningService service = new RunningService(product.with("schedule.period", "PT0.3S").settings())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 4);
            }
            List<RecordedRequest> starts = product.simulator().requests().stream()
                    .filter(RecordedRequest::isExportStart).toList();
            assertThat(starts).as("one export start per queue in four runs").hasSize(4);
            assertThat(starts.stream().map(RecordedRequest::path).distinct()).hasSize(4);

            aDayPasses();

            ProductRun.Result nextDay = product.runOnce();

            assertThat(nextDay.requests().stream().filter(RecordedRequest::isExportStart)).hasSize(4);
            assertThat(nextDay.summary().get("exports")).allSatisfy(e ->
                    assertThat(e.get("windowFrom").isNull()).as("the next day's window follows on").isFalse());
        }
    }

    @Test
    void besideADailyExportTheHourlyPurgeClearsOnlyWhatTheArchiveHolds() throws IOException {
        try (ProductRun product = new ProductRun(out).with("export.enabled", "true")
                .with("export.queues", "Queue Demo").with("export.target", "file:" + out.resolve("exports"))
                .with("purge.overlap", "PT1S")) {
            SimulatedTenant tenant = product.simulator().tenant();
            ProductRun.Result first = product.runOnce();
            assertThat(first.count("exported")).isEqualTo(1);
            assertThat(first.count("cleared")).isPositive();
            long waiting = tenant.addItem(SimulatedTenant.QUEUE_DEMO, "Successful", Instant.now());
            long otherQueue = tenant.addItem(SimulatedTenant.BANANA_QUEUE, "Successful", Instant.now());
            laterThanOverlap();

            ProductRun.Result sameDay = product.runOnce();

            assertThat(sameDay.count("exported")).as("the queue is not due again today").isZero();
            assertThat(ids(sameDay.puts())).as("a queue that is not exported is purged as before")
                    .contains(otherQueue).doesNotContain(waiting);
            assertThat(tenant.snapshot().get(waiting).get("SpecificContent").isEmpty()).as("not archived yet")
                    .isFalse();

            aDayPasses();
            ProductRun.Result nextDay = product.runOnce();

            assertThat(nextDay.count("exported")).isEqualTo(1);
            assertThat(ids(nextDay.puts())).contains(waiting);
            Path file = out.resolve("exports").resolve(nextDay.summary().at("/exports/0/file").asText());
            assertThat(Files.readAllLines(file)).as("the archive holds the item with its content")
                    .anyMatch(l -> l.startsWith(waiting + ",") && l.contains("EmployeeName"));
        }
    }

    @Test
    void theArchiveOfASharedQueueGoesOnWhenItIsExportedFromAnotherFolder() {
        try (ProductRun product = new ProductRun(out).exportOnly("Supplier Invoices").with("export.every", "PT0S")
                .with("purge.overlap", "PT1S")) {
            ProductRun.Result fromShared = product.runOnce();
            laterThanOverlap();

            ProductRun.Result fromBanana = product.with("orchestrator.folders", "Banana").runOnce();

            assertThat(fromShared.summary().at("/exports/0/windowFrom").isNull()).isTrue();
            assertThat(fromBanana.summary().at("/exports/0/windowFrom").asText())
                    .isEqualTo(fromShared.summary().at("/exports/0/windowTo").asText());
        }
    }

    /** Windows end the overlap (one second here) before a run starts: waits until that is past now. */
    private static void laterThanOverlap() {
        Instant now = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().minus(OVERLAP)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(now));
    }

    /** The state says the queues' last exports were made by a run of a day ago. */
    private void aDayPasses() throws IOException {
        Path state = exportState();
        ObjectNode document = (ObjectNode) JSON.readTree(state.toFile());
        String aDayAgo = Instant.now().minus(Duration.ofHours(24)).toString();
        document.get("archive").forEach(queue -> ((ObjectNode) queue).put("runStartedAt", aDayAgo));
        Files.writeString(state, document.toString());
    }

    private static Set<Long> ids(List<RecordedRequest> requests) {
        return requests.stream().map(RecordedRequest::itemId).collect(Collectors.toSet());
    }

    private static String compact(String instant) {
        return instant.replace("-", "").replace(":", "");
    }

    /** The Id column of an export: every record starts with its Id (a field spanning lines never does). */
    private static List<Long> ids(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).filter(l -> l.matches("^\\d+,.*"))
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).toList();
    }

    private List<Path> csvFiles() throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("exports"))) {
            return files.filter(f -> f.toString().endsWith(".csv") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private long summaries() throws IOException {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private Path exportState() throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("state"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("export-state-")).findFirst()
                    .orElseThrow();
        }
    }
}
