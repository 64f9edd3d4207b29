package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command, as an operator types it: {@code java -jar target/orchestrator-queue-routes.jar --once}. */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/orchestrator-queue-routes.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    record Launch(int exitCode, String output) {
    }

    @Test
    void runsOnceOnTheEmbeddedSimulatorFromTheProjectFolder() throws Exception {
        Launch launch = launch(Path.of("").toAbsolutePath(), "-Doutput.dir=" + out, "-jar", JAR.toString(), "--once");

        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output()).contains("built-in Orchestrator simulator").contains("exit code 0")
                .contains("cleared").doesNotContain("WARN").doesNotContain("ERROR");
        JsonNode summary = onlySummary();
        assertThat(summary.path("counts").path("cleared").asLong()).isPositive();
        assertThat(summary.path("exitCode").asInt()).isZero();
        assertThat(Files.readAllLines(Path.of(summary.get("auditFile").asText()))).isNotEmpty();
        assertThat(summary.path("counts").path("exported").asLong()).isPositive();
        try (Stream<Path> exports = Files.list(out.resolve("exports"))) {
            assertThat(exports.filter(f -> f.toString().endsWith(".csv")).count())
                    .isEqualTo(summary.path("counts").path("exported").asLong());
        }
    }

    @Test
    void runsFromAnotherFolderWithTheSettingsAndRoutesInsideTheJar(@TempDir Path elsewhere) throws Exception {
        Launch launch = launch(elsewhere, "-jar", JAR.toString(), "--once");

        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(elsewhere.resolve("out/runs")).isDirectory();
    }

    @Test
    void environmentVariableOverridesTheFileAndBadValueExitsTwo() throws Exception {
        ProcessBuilder builder = command(Path.of("").toAbsolutePath(), "-Doutput.dir=" + out, "-jar", JAR.toString(),
                "--once");
        builder.environment().put("PURGE_STATUSES", "Failed");

        Launch launch = run(builder);

        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(launch.output()).contains("'purge.statuses'").contains("'Failed'").doesNotContain("\tat ");
    }

    private JsonNode onlySummary() throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            List<Path> summaries = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(summaries).hasSize(1);
            return JSON.readTree(summaries.get(0).toFile());
        }
    }

    private static Launch launch(Path workingDir, String... args) throws Exception {
        return run(command(workingDir, args));
    }

    private static ProcessBuilder command(Path workingDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
    }

    private static Launch run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Launch(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
