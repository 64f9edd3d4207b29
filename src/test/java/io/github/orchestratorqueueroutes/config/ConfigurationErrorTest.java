package io.github.orchestratorqueueroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import io.github.orchestratorqueueroutes.app.OrchestratorQueueRoutes;
import io.github.orchestratorqueueroutes.testing.LogCapture;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A wrong or missing setting stops the product with exit code 2 and one message that names the key. */
class ConfigurationErrorTest {

    @TempDir
    Path out;

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "purge.statuses | Successful,New",
        "purge.statuses | Done",
        "purge.older-than | 30 days",
        "purge.concurrency | 0",
        "purge.dry-run | maybe",
        "orchestrator.url | ftp://orchestrator.example",
        "orchestrator.auth.mode | kerberos",
        "orchestrator.page-size | 5000",
        "schedule.period | PT0S",
        "orchestrator.folders | Nowhere/Folder",
        "export.target | /data/exports",
        "export.target | sftp://127.0.0.1/in?noSuchOption=1",
        "export.file-name | ${queue}-${when}.csv",
        "export.file-name | ${queue}.csv",
        "export.poll.max-interval | PT0.05S",
        "export.daily-budget | -1",
        "schedule.cron | every night",
        "run.progress-interval | PT0S",
        "observe.port | 70000",
        "observe.enabled | yes",
    })
    void badValueExitsWithCodeTwoNamingTheKey(String key, String value) {
        try (ProductRun product = new ProductRun(out)) {
            ProductRun.Result run = product.with(key, value).runOnce();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.logs()).contains("'" + key + "'").doesNotContain("\tat ");
            assertThat(run.requests()).noneMatch(r -> r.path().startsWith("/odata/QueueItems"));
        }
    }

    @org.junit.jupiter.api.Test
    void unwritableStateFolderStopsStartUpWhenExportIsOn() {
        try (ProductRun product = new ProductRun(out)) {
            ProductRun.Result run = product.exportOnly("Queue Demo").with("state.dir", "/proc/no-such-place").runOnce();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.logs()).contains("'state.dir'");
            assertThat(run.requests()).noneMatch(r -> r.path().startsWith("/odata/"));
        }
    }

    @org.junit.jupiter.api.Test
    void managementPortInUseStopsStartUpNamingTheKey() throws Exception {
        try (ProductRun product = new ProductRun(out); java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            ProductRun.Result run = product.with("observe.enabled", "true")
                    .with("observe.port", Integer.toString(taken.getLocalPort())).runOnce();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.logs()).contains("'observe.port'").contains("already uses").doesNotContain("\tat ");
        }
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource(delimiter = '|', value = {
        "token | orchestrator.auth.token",
        "client-credentials | orchestrator.auth.client-id",
        "password | orchestrator.auth.username",
    })
    void missingCredentialForTheChosenModeExitsWithCodeTwo(String mode, String key) {
        Properties settings = new Properties();
        settings.setProperty("orchestrator.url", "https://cloud.uipath.com/acme/DefaultTenant/orchestrator_");
        settings.setProperty("orchestrator.auth.mode", mode);
        settings.setProperty("output.dir", out.toString());
        settings.setProperty("orchestrator.auth.tenancy-name", "Default");
        settings.setProperty("orchestrator.auth.password", "x");
        try (LogCapture logs = new LogCapture(false)) {
            int exit = OrchestratorQueueRoutes.run(new String[] {"--once"}, settings);

            assertThat(exit).isEqualTo(2);
            assertThat(logs.text()).contains("'" + key + "' is missing").contains(key.toUpperCase().replace('.', '_')
                    .replace('-', '_'));
        }
    }
}
