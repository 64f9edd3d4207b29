package io.github.orchestratorqueueroutes.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.LogCapture;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recurring purges cost what changed since the last complete pass: later runs list only what finished since the
 * mark (minus the overlap), full sweeps catch what became clearable without a new EndProcessing, and a failure
 * keeps the mark where it was.
 */
class IncrementalPurgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Queues that belong to one folder each, so every new item is listed once. */
    private static final List<Long> SINGLE_FOLDER_QUEUES =
            List.of(SimulatedTenant.QUEUE_DEMO, SimulatedTenant.BANANA_QUEUE, SimulatedTenant.FINANCE_QUEUE);
    private static final List<String> CLEARABLE = List.of("Successful", "Deleted", "Retried");

    @TempDir
    Path out;

    @Test
    void overASequenceOfRunsEveryEligibleItemIsClearedOnceAndTheFullSweepCatchesTheRest() {
        try (ProductRun product = new ProductRun(out)) {
            SimulatedTenant tenant = product.simulator().tenant();
            ProductRun.Result first = product.runOnce();
            assertThat(first.logs()).contains("full sweep, every finished item is listed: first pass");
            Set<Long> clearedSoFar = ids(first.puts());
            assertThat(clearedSoFar).hasSizeGreaterThan(50);

            for (int run = 0; run < 3; run++) {
                List<Long> fresh = finishItems(tenant, 4 + run);
                long stillNew = tenant.addItem(SimulatedTenant.QUEUE_DEMO, "New", null);
                long failed = tenant.addItem(SimulatedTenant.BANANA_QUEUE, "Failed", Instant.now());

                ProductRun.Result next = product.runOnce();

                assertThat(next.exitCode()).as(next.logs()).isZero();
                assertThat(next.logs()).contains("items that finished since").doesNotContain("full sweep");
                assertThat(ids(next.puts())).as("run %d clears what finished since the last", run)
                        .containsExactlyInAnyOrderElementsOf(fresh).doesNotContainAnyElementsOf(clearedSoFar);
                assertThat(next.requests()).noneMatch(r -> r.isItemGet() && r.itemId() == stillNew)
                        .noneMatch(r -> r.isItemGet() && r.itemId() == failed);
                clearedSoFar.addAll(fresh);
            }

            // clearable without a new EndProcessing: a New item a user deleted, a Failed one retried by hand
            long deletedNew = withContent(tenant, "New");
            tenant.setStatus(deletedNew, "Deleted");
            long retriedLate = withContent(tenant, "Failed");
            tenant.setStatus(retriedLate, "Retried");
            assertThat(product.runOnce().puts()).as("an incremental run cannot see them").isEmpty();

            ProductRun.Result sweep = product.with("run.full", "true").runOnce();

            assertThat(sweep.logs()).contains("full sweep, every finished item is listed: a full sweep was requested");
            assertThat(ids(sweep.puts())).containsExactlyInAnyOrder(deletedNew, retriedLate);
            assertThat(tenant.snapshot().values()).as("nothing clearable keeps its content")
                    .noneMatch(i -> CLEARABLE.contains(i.get("Status").asText()) && PurgeCriteria.hasContent(i));
            assertThat(tenant.snapshot().get(SimulatedTenant.SEED_NEW_ITEM).get("SpecificContent").isEmpty())
                    .isFalse();
        }
    }

    @Test
    void anIncrementalRunCostsWhatChangedNotTheTenantsHistory() {
        int pageSize = 10;
        try (ProductRun product = new ProductRun(new OrchestratorSimulator(SimulatedTenant.seeded(150, 7)).start(), out)
                .with("orchestrator.page-size", Integer.toString(pageSize))) {
            ProductRun.Result first = product.runOnce();
            int n = 25;
            List<Long> fresh = finishItems(product.simulator().tenant(), n);
            int folders = 3;

            ProductRun.Result next = product.runOnce();

            assertThat(ids(next.puts())).containsExactlyInAnyOrderElementsOf(fresh);
            int bound = 2 * n + (n + pageSize - 1) / pageSize + folders * 2 + 2;
            assertThat(next.requests()).as("requests of the incremental run").hasSizeLessThanOrEqualTo(bound);
            assertThat(first.requests()).as("the first run worked through the whole history")
                    .hasSizeGreaterThan(3 * bound);
        }
    }

    @Test
    void aFailedItemKeepsTheMarkAndTheNextRunListsItsWindowAgain() throws IOException {
        try (ProductRun product = new ProductRun(out)) {
            SimulatedTenant tenant = product.simulator().tenant();
            product.runOnce();
            Map<String, String> marksAfterFirstRun = marks();
            List<Long> fresh = finishItems(tenant, 3);
            long refused = fresh.get(1);
            laterSecond();
            AtomicBoolean refusing = new AtomicBoolean(true);
            product.simulator().intercept(r -> refusing.get() && r.isItemPut() && r.itemId() == refused
                    ? Optional.of(SimulatedReply.error(409, 1000, "The item was changed by another process."))
                    : Optional.empty());

            ProductRun.Result failing = product.runOnce();

            assertThat(failing.exitCode()).isEqualTo(1);
            String folderOfRefused = Long.toString(tenant.snapshot().get(refused).get("OrganizationUnitId").asLong());
            Map<String, String> marksAfterFailure = marks();
            assertThat(markOf(marksAfterFailure, folderOfRefused)).as("the failing folder's mark stays")
                    .isEqualTo(markOf(marksAfterFirstRun, folderOfRefused));
            assertThat(marksAfterFailure).as("the other folders' marks move on").isNotEqualTo(marksAfterFirstRun);

            refusing.set(false);
            laterSecond();
            ProductRun.Result next = product.runOnce();

            assertThat(ids(next.puts())).containsExactly(refused);
            assertThat(markOf(marks(), folderOfRefused)).isNotEqualTo(markOf(marksAfterFirstRun, folderOfRefused));
        }
    }

    @Test
    void aPageThatCannotBeReadKeepsTheMark() throws IOException {
        try (ProductRun product = new ProductRun(out).with("orchestrator.page-size", "10")) {
            SimulatedTenant tenant = product.simulator().tenant();
            product.runOnce();
            Map<String, String> before = marks();
            String demoFolder = Long.toString(SimulatedTenant.SHARED_FOLDER);
            finishItems(tenant, 36);
            laterSecond();
            AtomicBoolean refusing = new AtomicBoolean(true);
            product.simulator().intercept(r -> refusing.get() && r.isQueueItemsList() && !r.query().get("$filter").endsWith("Id gt 0")
                    && demoFolder.equals(r.header("X-UIPATH-OrganizationUnitId"))
                    ? Optional.of(SimulatedReply.error(400, 1000, "The filter cannot be applied."))
                    : Optional.empty());

            ProductRun.Result failing = product.runOnce();

            assertThat(failing.exitCode()).isEqualTo(1);
            assertThat(markOf(marks(), demoFolder)).isEqualTo(markOf(before, demoFolder));
            refusing.set(false);
            String sinceOfFailingRun = since(failing, demoFolder);
            laterSecond();

            ProductRun.Result next = product.runOnce();

            assertThat(since(next, demoFolder)).as("the same window is listed again").isEqualTo(sinceOfFailingRun);
            assertThat(tenant.snapshot().values())
                    .noneMatch(i -> CLEARABLE.contains(i.get("Status").asText()) && PurgeCriteria.hasContent(i));
        }
    }

    @Test
    void anItemThatBecomesOldEnoughLaterIsListedByTheNextIncrementalRun() {
        try (ProductRun product = new ProductRun(out).with("purge.older-than", "PT5S").with("purge.overlap", "PT1S")) {
            SimulatedTenant tenant = product.simulator().tenant();
            product.runOnce();
            // finished a few seconds before the next run: not old enough for it, old enough a few seconds later
            Instant finished = Instant.now().minusSeconds(4);
            long item = tenant.addItem(SimulatedTenant.QUEUE_DEMO, "Successful", finished);

            ProductRun.Result tooYoung = product.runOnce();
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(finished.plusSeconds(7)));
            ProductRun.Result oldEnough = product.runOnce();

            assertThat(ids(tooYoung.puts())).doesNotContain(item);
            assertThat(oldEnough.logs()).contains("items that finished since");
            assertThat(ids(oldEnough.puts())).containsExactly(item);
        }
    }

    @Test
    void aDryRunMovesNoMark() throws IOException {
        try (ProductRun product = new ProductRun(out)) {
            product.runOnce();
            Map<String, String> before = marks();
            finishItems(product.simulator().tenant(), 3);
            laterSecond();

            ProductRun.Result dry = product.with("purge.dry-run", "true").runOnce();

            assertThat(dry.count("would-clear")).isEqualTo(3);
            assertThat(marks()).isEqualTo(before);
        }
    }

    @Test
    void aNewSelectionStartsWithAFullSweepOfItsOwn() {
        try (ProductRun product = new ProductRun(out)) {
            product.runOnce();

            ProductRun.Result narrower = product.with("purge.statuses", "Deleted").runOnce();
            ProductRun.Result again = product.runOnce();

            assertThat(narrower.logs()).contains("full sweep, every finished item is listed: first pass");
            assertThat(again.logs()).contains("items that finished since").doesNotContain("full sweep");
        }
    }

    @Test
    void aFullSweepIsDueWhenTheLastOneIsOlderThanFullSweepEvery() throws IOException {
        try (ProductRun product = new ProductRun(out)) {
            product.runOnce();
            // eight days pass: the state says the last full sweep was then
            Path file = marksFile();
            ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
            String eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).toString();
            state.get("purgeMarks").forEach(entry -> ((ObjectNode) entry).put("lastFullSweep", eightDaysAgo));
            Files.writeString(file, state.toString());

            ProductRun.Result run = product.runOnce();

            assertThat(run.logs()).contains("full sweep, every finished item is listed: last full sweep "
                    + eightDaysAgo + " (purge.full-sweep-every=PT168H)");
        }
    }

    @Test
    void theCommandLineAndARequestFileAskForAFullSweep() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            product.runOnce();

            assertThat(product.runOnce("--full").logs()).contains("full sweep, every finished item is listed: "
                    + "a full sweep was requested").contains("(full sweep), every folder");

            Path requests = out.resolve("requests");
            try (LogCapture logs = new LogCapture(false);
                    RunningService service = new RunningService(product.with("schedule.period", "PT1H").settings())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(requests));
                Files.writeString(requests.resolve("sweep.json"), "{\"job\":\"purge\",\"full\":true}");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Files.exists(requests.resolve(".done/sweep.json.summary.json")));

                assertThat(logs.text()).contains("a full sweep was requested");
            }
        }
    }

    @Test
    void anUnreadableMarksFileStopsTheRunWithExitCodeTwoNamingIt() throws IOException {
        try (ProductRun product = new ProductRun(out)) {
            product.runOnce();
            Path file = marksFile();
            Files.writeString(file, "{\"purgeMarks\": {\"39419/x\": {\"mark\": \"yesterday\"");

            ProductRun.Result run = product.runOnce();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.logs()).contains("'state.dir'").contains(file.toString()).contains("cannot be read")
                    .doesNotContain("\tat ");
            assertThat(run.puts()).isEmpty();
        }
    }

    /** Marks have whole seconds: waits until the clock is in the next one, so a mark that moves shows it. */
    private static void laterSecond() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(now));
    }

    /** Adds items finished now, in clearable statuses, spread over queues of one folder each. */
    private static List<Long> finishItems(SimulatedTenant tenant, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(tenant.addItem(SINGLE_FOLDER_QUEUES.get(i % SINGLE_FOLDER_QUEUES.size()),
                    CLEARABLE.get(i % CLEARABLE.size()), Instant.now()));
        }
        return ids;
    }

    private static long withContent(SimulatedTenant tenant, String status) {
        return tenant.snapshot().values().stream()
                .filter(i -> i.get("Status").asText().equals(status) && PurgeCriteria.hasContent(i))
                .filter(i -> i.get("Id").asLong() != SimulatedTenant.SEED_NEW_ITEM)
                .filter(i -> SINGLE_FOLDER_QUEUES.contains(i.get("QueueDefinitionId").asLong()))
                .map(i -> i.get("Id").asLong()).findFirst().orElseThrow();
    }

    private static Set<Long> ids(List<RecordedRequest> requests) {
        return requests.stream().map(RecordedRequest::itemId).collect(Collectors.toCollection(HashSet::new));
    }

    /** The {@code EndProcessing ge} bound of the run's list calls in a folder. */
    private static String since(ProductRun.Result run, String folder) {
        return run.requests().stream().filter(RecordedRequest::isQueueItemsList)
                .filter(r -> folder.equals(r.header("X-UIPATH-OrganizationUnitId")))
                .map(r -> r.query().get("$filter").replaceAll(".*EndProcessing ge (\\S+) .*", "$1"))
                .findFirst().orElseThrow();
    }

    private Path marksFile() throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("state"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("purge-marks-")).findFirst().orElseThrow();
        }
    }

    /** Key (folder/selection) to mark. */
    private Map<String, String> marks() throws IOException {
        JsonNode state = JSON.readTree(marksFile().toFile());
        Map<String, String> marks = new java.util.TreeMap<>();
        state.path("purgeMarks").fields().forEachRemaining(e -> marks.put(e.getKey(), e.getValue().get("mark").asText()));
        return marks;
    }

    private static String markOf(Map<String, String> marks, String folder) {
        return marks.entrySet().stream().filter(e -> e.getKey().startsWith(folder + "/")).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new UncheckedIOException(new IOException("no mark for " + folder)));
    }
}
