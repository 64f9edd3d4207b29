package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started by JSON request files dropped into requests.dir while the service runs. */
class FileRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void requestsRunWithTheirOverridesAndInvalidOnesAreRejectedWhileTheServiceGoesOn() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            Path requests = out.resolve("requests");
            try (RunningService service = new RunningService(
                    product.with("schedule.period", "PT1H").with("purge.enabled", "false").settings())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(requests));

                // a slow writer appends three pieces 400 ms apart: a reader without the read lock would see half a file
                Path dryRun = requests.resolve("dry-run-demo.json");
                List<String> pieces = List.of("{\"job\":\"purge\",", "\"queues\":[\"Queue Demo\"],", "\"dryRun\":true}");
                ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
                try {
                    for (int i = 0; i < pieces.size(); i++) {
                        byte[] piece = pieces.get(i).getBytes(StandardCharsets.UTF_8);
                        writer.schedule(() -> Files.write(dryRun, piece, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND), i == 0 ? 0 : 400, TimeUnit.MILLISECONDS).get();
                    }
                } finally {
                    writer.shutdown();
                }
                Path invalid = requests.resolve("bad.json");
                Files.writeString(invalid, "{\"job\":\"purge\",\"color\":\"red\"}");

                Path summaryFile = requests.resolve(".done/dry-run-demo.json.summary.json");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(summaryFile)
                        && Files.exists(requests.resolve(".failed/bad.json")));

                JsonNode summary = JSON.readTree(summaryFile.toFile());
                assertThat(summary.path("counts").path("would-clear").asLong()).isPositive();
                assertThat(summary.path("counts").path("cleared").asLong()).isZero();
                assertThat(summary.path("counts").path("exported").asLong()).isZero();
                List<String> audit = Files.readAllLines(Path.of(summary.get("auditFile").asText()));
                assertThat(audit).isNotEmpty().allSatisfy(line -> assertThat(line).contains("\"queue\":\"Queue Demo\""));
                assertThat(requests.resolve(".done/dry-run-demo.json")).exists();
                assertThat(dryRun).doesNotExist();
                assertThat(Files.readString(requests.resolve(".failed/bad.json.error.txt"))).contains("'color'");
                assertThat(service.context().getRouteController().getRouteStatus("jobs-on-request"))
                        .isEqualTo(ServiceStatus.Started);
                assertThat(product.simulator().requests()).as("the request was a dry run")
                        .filteredOn(RecordedRequest::isItemPut).allSatisfy(p ->
                                assertThat(p.at()).isBefore(Files.getLastModifiedTime(dryRun.resolveSibling(
                                        ".done/dry-run-demo.json")).toInstant()));
            }
        }
    }
}
