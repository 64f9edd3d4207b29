package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** archive-then-purge clears exactly what the delivered export covered, and nothing if the export failed. */
class ArchiveThenPurgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CLEARABLE = Set.of("Successful", "Deleted", "Retried");
    private static final long LATE_ITEM = 9_000_001;

    @TempDir
    Path out;

    /**
     * A snapshot holds the items up to the newest one noted before it started; a window of the recurring archive
     * holds the items that finished before its end, so an item never processed (no EndProcessing) is in none and
     * keeps its content (the plain purge clears it).
     */
    @ParameterizedTest(name = "export.mode={0}")
    @ValueSource(strings = {"snapshot", "window"})
    void clearsOnlyArchivedItemsOfTheArchivedQueue(String mode) throws Exception {
        try (ProductRun product = new ProductRun(out).with("export.mode", mode)) {
            // an item that arrives (and finishes) while the export is being made is not in it: it keeps its content
            AtomicBoolean added = new AtomicBoolean();
            product.simulator().afterEachRequest(r -> {
                if (r.isExportStart() && added.compareAndSet(false, true)) {
                    ObjectNode late = (ObjectNode) product.simulator().tenant().snapshot()
                            .get(SimulatedTenant.SEED_SUCCESSFUL_ITEM).deepCopy();
                    late.put("Id", LATE_ITEM);
                    late.put("EndProcessing", java.time.Instant.now().toString());
                    product.simulator().tenant().putItem(late);
                }
            });
            Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

            JsonNode summary = request(product, "{\"job\":\"archive-then-purge\",\"queues\":[\"Queue Demo\"]}");

            assertThat(summary.path("counts").path("exported").asLong()).isEqualTo(1);
            assertThat(summary.path("counts").path("cleared").asLong()).isPositive();
            Map<Long, JsonNode> after = product.simulator().tenant().snapshot();
            assertThat(PurgeCriteria.hasContent(after.get(LATE_ITEM))).as("item newer than the export").isTrue();
            before.forEach((id, was) -> {
                boolean demo = was.get("QueueDefinitionId").asLong() == SimulatedTenant.QUEUE_DEMO;
                boolean inNoWindow = mode.equals("window") && was.get("EndProcessing").isNull();
                if (demo && CLEARABLE.contains(was.get("Status").asText()) && inNoWindow) {
                    assertThat(after.get(id)).as("item %d, in no window", id).isEqualTo(was);
                } else if (demo && CLEARABLE.contains(was.get("Status").asText())) {
                    assertThat(PurgeCriteria.hasContent(after.get(id))).as("archived item %d", id).isFalse();
                } else if (!demo) {
                    assertThat(after.get(id)).as("item %d of another queue", id).isEqualTo(was);
                }
            });
        }
    }

    @Test
    void failedExportMeansNothingIsPurged() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            product.simulator().exports().failQueue(SimulatedTenant.QUEUE_DEMO);
            Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

            JsonNode summary = request(product, "{\"job\":\"archive-then-purge\",\"queues\":[\"Queue Demo\"]}");

            assertThat(summary.path("counts").path("cleared").asLong()).isZero();
            assertThat(summary.path("exitCode").asInt()).isEqualTo(1);
            assertThat(summary.get("runErrors").toString()).contains("Nothing was purged");
            assertThat(product.simulator().requests()).noneMatch(RecordedRequest::isItemPut);
            assertThat(product.simulator().tenant().snapshot()).isEqualTo(before);
        }
    }

    private JsonNode request(ProductRun product, String json) throws Exception {
        Path requests = out.resolve("requests");
        try (RunningService service = new RunningService(product.with("schedule.period", "PT1H")
                .with("purge.enabled", "false").with("export.enabled", "false").settings())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(requests));
            Files.writeString(requests.resolve("archive.json"), json);
            Path summary = requests.resolve(".done/archive.json.summary.json");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(summary));
            return JSON.readTree(summary.toFile());
        }
    }
}
