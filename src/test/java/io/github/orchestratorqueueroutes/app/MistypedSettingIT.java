package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A one-letter typo of purge.dry-run, in each place an operator sets things, stops the packaged jar with exit code 2
 * before anything reaches Orchestrator: left alone, the typo would run a real purge instead of the preview meant.
 */
class MistypedSettingIT {

    private static final Path JAR = Path.of("target/orchestrator-queue-routes.jar").toAbsolutePath();

    @TempDir
    Path workingDir;

    private OrchestratorSimulator simulator;

    @BeforeEach
    void startTenant() {
        simulator = new OrchestratorSimulator().start();
    }

    @AfterEach
    void stopTenant() {
        simulator.close();
    }

    record Launch(int exitCode, String output) {
    }

    @Test
    void inThePropertiesFile() throws Exception {
        Files.writeString(workingDir.resolve("application.properties"), "purge.dry-runn=true\n");

        Launch launch = launch(new ProcessBuilder());

        assertStoppedBeforeAnyRequest(launch, "'purge.dry-runn' (in application.properties)", "'purge.dry-run'");
    }

    @Test
    void asSystemProperty() throws Exception {
        Launch launch = launch(new ProcessBuilder(), "-Dpurge.dryrun=true");

        assertStoppedBeforeAnyRequest(launch, "'purge.dryrun' (-Dpurge.dryrun system property)", "'purge.dry-run'");
    }

    @Test
    void asEnvironmentVariable() throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().put("PURGE_DRYRUN", "true");

        Launch launch = launch(builder);

        assertStoppedBeforeAnyRequest(launch, "Environment variable PURGE_DRYRUN", "PURGE_DRY_RUN (purge.dry-run)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "system property", "environment"})
    void theRightKeyRunsTheDryRun(String source) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().put("RUN_ID", "build-42");
        List<String> options = new ArrayList<>();
        switch (source) {
            case "file" -> Files.writeString(workingDir.resolve("application.properties"), "purge.dry-run=true\n");
            case "system property" -> options.add("-Dpurge.dry-run=true");
            default -> builder.environment().put("PURGE_DRY_RUN", "true");
        }

        Launch launch = launch(builder, options.toArray(String[]::new));

        assertThat(launch.exitCode()).as(launch.output()).isZero();
        assertThat(launch.output()).containsPattern("would-clear +[1-9]").containsPattern("cleared +0");
        assertThat(simulator.requests()).noneMatch(r -> "PUT".equals(r.method()));
    }

    private void assertStoppedBeforeAnyRequest(Launch launch, String typo, String meant) {
        assertThat(launch.exitCode()).as(launch.output()).isEqualTo(2);
        assertThat(launch.output()).contains(typo).contains("Did you mean " + meant + "?")
                .doesNotContain("\tat ");
        assertThat(simulator.requests()).isEmpty();
        assertThat(workingDir.resolve("out/runs")).doesNotExist();
    }

    private Launch launch(ProcessBuilder builder, String... options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorchestrator.url=" + simulator.url());
        command.add("-Dorchestrator.auth.token=" + SimulatorAccounts.PERSONAL_ACCESS_TOKEN);
        command.add("-Dexport.enabled=false");
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", JAR.toString(), "--once"));
        Process process = builder.command(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Launch(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
