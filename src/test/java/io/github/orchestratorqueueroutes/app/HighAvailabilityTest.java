package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.LogCapture;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Two instances against one tenant with a shared cluster folder: one leader runs the jobs, the other takes over. */
class HighAvailabilityTest {

    @TempDir
    Path dir;

    private TestingServer zookeeper;

    @AfterEach
    void stopZooKeeper() throws IOException {
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file-lock", "zookeeper"})
    void onlyTheLeaderRunsAndTheOtherTakesOverWhenItStops(String mode) throws Exception {
        cluster = mode;
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            Path shared = dir.resolve("shared");
            RunningService first = new RunningService(instance(simulator, shared, "a", "PT0.5S"));
            await().atMost(Duration.ofSeconds(30)).until(() -> summaries("a") >= 2);
            try (RunningService second = new RunningService(instance(simulator, shared, "b", "PT0.5S"))) {
                long leaderRuns = summaries("a");
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries("a") >= leaderRuns + 3);
                assertThat(summaries("b")).as("the follower runs nothing").isZero();

                first.close();

                await().atMost(Duration.ofSeconds(30)).until(() -> summaries("b") >= 1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file-lock", "zookeeper"})
    void newLeaderResumesTheExportTheOldOneStarted(String mode) throws Exception {
        cluster = mode;
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            simulator.exports().duration(Duration.ofSeconds(4));
            Path shared = dir.resolve("shared");
            Properties a = exporting(instance(simulator, shared, "a", "PT1H"));
            Properties b = exporting(instance(simulator, shared, "b", "PT1H"));

            RunningService first = new RunningService(a);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    simulator.requests().stream().anyMatch(RecordedRequest::isExportStart));
            try (RunningService second = new RunningService(b)) {
                first.close();

                await().atMost(Duration.ofSeconds(60)).until(() -> exports() == 1);
                assertThat(simulator.requests()).filteredOn(RecordedRequest::isExportStart).hasSize(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file-lock", "zookeeper"})
    void newLeaderGoesOnWithTheSameMarksAndWindows(String mode) throws Exception {
        cluster = mode;
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            Path shared = dir.resolve("shared");
            Properties a = exporting(instance(simulator, shared, "a", "PT1H"));
            Properties b = exporting(instance(simulator, shared, "b", "PT1H"));
            for (Properties instance : List.of(a, b)) {
                instance.setProperty("purge.enabled", "true");
                instance.setProperty("export.every", "PT0S");
                instance.setProperty("purge.overlap", "PT1S");
            }
            try (RunningService first = new RunningService(a)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries("a") >= 1);
            }
            JsonNode leadersRun = onlySummary("a");
            Instant windowEnd = Instant.parse(leadersRun.at("/exports/0/windowTo").asText());
            // the next window can hold something only once a second has passed since the last one ended
            await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().minusSeconds(1)
                    .truncatedTo(ChronoUnit.SECONDS).isAfter(windowEnd));

            try (LogCapture logs = new LogCapture(false); RunningService second = new RunningService(b)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries("b") >= 1);

                assertThat(logs.text()).contains("items that finished since").doesNotContain("full sweep");
            }
            assertThat(onlySummary("b").at("/exports/0/windowFrom").asText()).isEqualTo(windowEnd.toString());
        }
    }

    private JsonNode onlySummary(String name) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(name).resolve("runs"))) {
            List<Path> summaries = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(summaries).hasSize(1);
            return new ObjectMapper().readTree(summaries.get(0).toFile());
        }
    }

    private Properties exporting(Properties settings) {
        settings.setProperty("export.enabled", "true");
        settings.setProperty("purge.enabled", "false");
        settings.setProperty("export.queues", "Queue Demo");
        settings.setProperty("export.target", "file:" + dir.resolve("exports"));
        return settings;
    }

    private String cluster;

    /** One instance's settings; with ZooKeeper the instances share nothing but the ensemble. */
    private Properties instance(OrchestratorSimulator simulator, Path shared, String name, String period)
            throws Exception {
        ProductRun settings = new ProductRun(simulator, dir.resolve(name)).with("schedule.period", period)
                .with("cluster.enabled", "true").with("cluster.node-id", name);
        if (cluster.equals("zookeeper")) {
            if (zookeeper == null) {
                zookeeper = new TestingServer(true);
            }
            settings.with("cluster.zookeeper.nodes", zookeeper.getConnectString());
        } else {
            settings.with("cluster.root", shared.toString()).with("cluster.acquire-interval", "PT0.5S");
        }
        return settings.settings();
    }

    private long summaries(String name) throws IOException {
        return count(dir.resolve(name).resolve("runs"));
    }

    private long exports() throws IOException {
        try (Stream<Path> files = Files.isDirectory(dir.resolve("exports")) ? Files.list(dir.resolve("exports"))
                : Stream.empty()) {
            return files.filter(f -> f.toString().endsWith(".csv") && !f.getFileName().toString().startsWith("."))
                    .count();
        }
    }

    private static long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
