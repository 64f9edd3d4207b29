package io.github.orchestratorqueueroutes.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.app.OrchestratorQueueRoutes;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;

/**
 * Runs the real application ({@code --once}) in this JVM against a simulator the test owns, the way an operator
 * runs it against a tenant: a real URL and credentials, nothing embedded.
 */
public final class ProductRun implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrchestratorSimulator simulator;
    private final Path outputDir;
    private final Properties settings = new Properties();

    /** What one run left behind. */
    public record Result(int exitCode, JsonNode summary, List<JsonNode> audit, String auditText, String summaryText,
            String reportText, String logs, List<RecordedRequest> requests) {

        public long count(String action) {
            return summary == null ? -1 : summary.path("counts").path(action).asLong();
        }

        public List<RecordedRequest> puts() {
            return requests.stream().filter(RecordedRequest::isItemPut).toList();
        }
    }

    public ProductRun(Path outputDir) {
        this(new OrchestratorSimulator().start(), outputDir);
    }

    public ProductRun(OrchestratorSimulator simulator, Path outputDir) {
        this.simulator = simulator;
        this.outputDir = outputDir;
        settings.setProperty("orchestrator.url", simulator.url());
        settings.setProperty("orchestrator.auth.mode", "token");
        settings.setProperty("orchestrator.auth.token", SimulatorAccounts.PERSONAL_ACCESS_TOKEN);
        settings.setProperty("output.dir", outputDir.toString());
        // export tests turn it on; the rest stay focused on the purge
        settings.setProperty("export.enabled", "false");
        settings.setProperty("export.poll.interval", "PT0.1S");
        settings.setProperty("requests.dir", outputDir.resolve("requests").toString());
    }

    public OrchestratorSimulator simulator() {
        return simulator;
    }

    public ProductRun with(String key, String value) {
        settings.setProperty(key, value);
        return this;
    }

    public ProductRun clientCredentials() {
        return with("orchestrator.auth.mode", "client-credentials")
                .with("orchestrator.auth.token-url", simulator.tokenUrl())
                .with("orchestrator.auth.client-id", SimulatorAccounts.CLIENT_ID)
                .with("orchestrator.auth.client-secret", SimulatorAccounts.CLIENT_SECRET);
    }

    public ProductRun password() {
        return with("orchestrator.auth.mode", "password")
                .with("orchestrator.auth.tenancy-name", SimulatorAccounts.TENANCY_NAME)
                .with("orchestrator.auth.username", SimulatorAccounts.USERNAME)
                .with("orchestrator.auth.password", SimulatorAccounts.PASSWORD);
    }

    /** Export only, to a folder under the output directory, polling fast. */
    public ProductRun exportOnly(String queues) {
        return with("export.enabled", "true").with("purge.enabled", "false").with("export.queues", queues)
                .with("export.target", "file:" + outputDir.resolve("exports"));
    }

    public Path outputDir() {
        return outputDir;
    }

    public Properties settings() {
        Properties copy = new Properties();
        copy.putAll(settings);
        return copy;
    }

    /** Runs {@code --once}, with these command-line arguments besides. */
    public Result runOnce(String... arguments) {
        return run(false, arguments);
    }

    /** Runs with every logger at DEBUG, for secret-hygiene checks. */
    public Result runOnceWithDebugLogs() {
        return run(true);
    }

    private Result run(boolean debug, String... arguments) {
        String[] args = new String[arguments.length + 1];
        args[0] = "--once";
        System.arraycopy(arguments, 0, args, 1, arguments.length);
        simulator.clearRequests();
        List<Path> summariesBefore = files(outputDir.resolve("runs"));
        int exitCode;
        String logs;
        try (LogCapture capture = new LogCapture(debug)) {
            exitCode = OrchestratorQueueRoutes.run(args, settings());
            logs = capture.text();
        }
        List<Path> newSummaries = new ArrayList<>(files(outputDir.resolve("runs")));
        newSummaries.removeAll(summariesBefore);
        newSummaries.removeIf(p -> !p.getFileName().toString().endsWith(".json"));
        if (newSummaries.isEmpty()) {
            return new Result(exitCode, null, List.of(), "", "", "", logs, simulator.requests());
        }
        try {
            String summaryText = Files.readString(newSummaries.get(0));
            JsonNode summary = JSON.readTree(summaryText);
            String auditText = Files.readString(Path.of(summary.get("auditFile").asText()));
            List<JsonNode> audit = new ArrayList<>();
            for (String line : auditText.split("\n")) {
                if (!line.isBlank()) {
                    audit.add(JSON.readTree(line));
                }
            }
            // the HTML report beside the summary, made from it: one more output that must hold no secret
            String reportText = Files.readString(newSummaries.get(0).resolveSibling(
                    summary.get("runId").asText() + ".html"));
            return new Result(exitCode, summary, audit, auditText, summaryText, reportText, logs, simulator.requests());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        simulator.close();
    }
}
