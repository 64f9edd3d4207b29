package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

                // written in pieces over more than a second: a reader without the read lock would see half of it
                Path dryRun = requests.resolve("dry-run-demo.json");
                try (OutputStream file = Files.newOutputStream(dryRun)) {
                    for (String piece : List.of("{\"job\":\"purge\",", "\"queues\":[\"Queue Demo\"],", "\"dryRun\":true}")) {
                        file.write(piece.getBytes(StandardCharsets.UTF_8));
                        file.flush();
                        Thread.sleep(400); // the writer's pace, not a wait for the product
                    }
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
