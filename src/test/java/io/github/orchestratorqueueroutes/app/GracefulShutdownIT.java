package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of a run: in-flight work finishes, audit and summary are written, the next run completes. */
class GracefulShutdownIT {

    private static final Path JAR = Path.of("target/orchestrator-queue-routes.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CLEARABLE = Set.of("Successful", "Deleted", "Retried");

    @TempDir
    Path out;

    @Test
    void sigtermMidRunExitsCleanlyAndTheNextRunFinishesTheWork() throws Exception {
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            simulator.latency(Duration.ofMillis(40));
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorchestrator.url=" + simulator.url(),
                    "-Dorchestrator.auth.token=" + SimulatorAccounts.PERSONAL_ACCESS_TOKEN,
                    "-Dexport.enabled=false", "-Dpurge.concurrency=2", "-Dorchestrator.page-size=20",
                    "-Doutput.dir=" + out, "-jar", JAR.toString(), "--once")
                    .redirectErrorStream(true).redirectOutput(out.resolve("product.log").toFile()).start();

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    simulator.requests().stream().filter(RecordedRequest::isItemPut).count() >= 10);
            process.destroy();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            String log = Files.readString(out.resolve("product.log"), StandardCharsets.UTF_8);
            assertThat(log).doesNotContain("\tat ");
            JsonNode summary = onlySummary();
            List<String> audit = Files.readAllLines(Path.of(summary.get("auditFile").asText()));
            Set<Long> applied = simulator.requests().stream().filter(RecordedRequest::isItemPut)
                    .filter(r -> r.status() == 200).map(RecordedRequest::itemId).collect(Collectors.toSet());
            long auditedCleared = audit.stream().filter(l -> l.contains("\"cleared\"")).count();
            assertThat(auditedCleared).as("every applied PUT is in the audit; product log:%n%s", log)
                    .isEqualTo(applied.size());
            assertThat(summary.path("counts").path("cleared").asLong()).isEqualTo(applied.size());
            long eligible = simulator.tenant().snapshot().values().stream()
                    .filter(i -> CLEARABLE.contains(i.get("Status").asText())).filter(PurgeCriteria::hasContent)
                    .count();
            assertThat(eligible).as("the run was stopped before the end").isPositive();

            simulator.latency(Duration.ZERO);
            try (ProductRun second = new ProductRun(simulator, out.resolve("second"))) {
                ProductRun.Result run = second.runOnce();
                assertThat(run.exitCode()).isZero();
                assertThat(run.count("cleared")).isEqualTo(eligible);
            }
        }
    }

    private JsonNode onlySummary() throws Exception {
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            List<Path> summaries = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(summaries).hasSize(1);
            return JSON.readTree(summaries.get(0).toFile());
        }
    }
}
