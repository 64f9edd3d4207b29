package io.github.orchestratorqueueroutes.observe;

import static io.github.orchestratorqueueroutes.testing.Prometheus.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.Prometheus;
import io.github.orchestratorqueueroutes.testing.RunningService;
import io.github.orchestratorqueueroutes.testing.SftpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management server of a running service: Prometheus metrics after a run, readiness up and down. */
class MetricsAndHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;
    @TempDir
    Path keys;

    @Test
    void metricsAfterARunAgreeWithItsSummary() throws Exception {
        int port = Prometheus.freePort();
        try (ProductRun product = new ProductRun(out)) {
            // every 40th call answers 429 once: retries and throttling must show up
            product.simulator().faults().answer(40, 429, 1);
            Properties settings = product.exportOnly("Queue Demo").with("purge.enabled", "true")
                    .with("observe.enabled", "true").with("observe.port", Integer.toString(port))
                    .with("orchestrator.retry.initial-delay", "PT0.05S").settings();
            try (RunningService service = new RunningService(settings)) {
                RunJournal journal = service.context().getRegistry().lookupByNameAndType("runJournal",
                        RunJournal.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> journal.lastRun() != null);
                JsonNode summary = JSON.readTree(journal.lastRun().summaryFile().toFile());
                String scrape = Prometheus.get(port, "/observe/metrics").body();

                long cleared = summary.at("/counts/cleared").asLong();
                assertThat(cleared).isPositive();
                assertThat(value(scrape, "oqr_items_total", "action=cleared")).isEqualTo(cleared);
                assertThat(value(scrape, "oqr_items_total", "action=cleared", "folder=39419", "queue=Queue Demo"))
                        .isEqualTo(clearedIn(journal.lastRun().auditFile(), 39419, "Queue Demo"));
                assertThat(value(scrape, "oqr_items_total", "action=skipped-empty"))
                        .isEqualTo(summary.at("/counts/skipped-empty").asLong());
                assertThat(value(scrape, "oqr_items_listed_total")).isEqualTo(summary.get("itemsListed").asLong());
                assertThat(value(scrape, "oqr_exports_total", "event=started", "queue=Queue Demo")).isEqualTo(1);
                assertThat(value(scrape, "oqr_exports_total", "event=completed", "queue=Queue Demo")).isEqualTo(1);
                assertThat(value(scrape, "oqr_exports_total", "event=failed")).isZero();
                assertThat(value(scrape, "oqr_export_delivered_bytes_total"))
                        .isEqualTo(summary.at("/exports/0/bytes").asLong());
                // export.daily-budget=50 by default, one start spent
                assertThat(value(scrape, "oqr_export_budget_left")).isEqualTo(49);
                assertThat(value(scrape, "oqr_orchestrator_calls_total", "operation=PUT QueueItems({id})",
                        "status=200")).isEqualTo(cleared);
                assertThat(value(scrape, "oqr_orchestrator_calls_total", "status=429"))
                        .isPositive()
                        .isEqualTo(value(scrape, "oqr_orchestrator_retries_total", "reason=429"))
                        .isEqualTo(value(scrape, "oqr_orchestrator_throttled_total"));
                assertThat(value(scrape, "oqr_runs_total", "exit_code=0")).isEqualTo(1);
                assertThat(value(scrape, "oqr_last_run_exit_code")).isZero();
                assertThat(value(scrape, "oqr_last_successful_run_timestamp_seconds"))
                        .isEqualTo(java.time.Instant.parse(summary.get("end").asText()).getEpochSecond());
                assertThat(value(scrape, "oqr_run_duration_seconds_count")).isEqualTo(1);
            }
        }
    }

    @Test
    void readinessFollowsOrchestratorAndTheSftpTargetWhileLivenessStaysUp() throws Exception {
        int port = Prometheus.freePort();
        SftpServer sftp = new SftpServer(keys);
        try (ProductRun product = new ProductRun(out)) {
            Properties settings = product.exportOnly("Queue Demo")
                    .with("export.target", sftp.keyTarget("exports", sftp.knownHosts()))
                    .with("schedule.cron", "0 0 0 1 1 ? 2099")
                    .with("observe.enabled", "true").with("observe.port", Integer.toString(port))
                    .with("observe.recheck-after", "PT0S").settings();
            try (RunningService service = new RunningService(settings)) {
                // Camel's own readiness waits for the request-file consumer's first poll, about a second
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> up = Prometheus.get(port, "/observe/health/ready");
                    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
                    assertThat(JSON.readTree(up.body()).get("status").asText()).isEqualTo("UP");
                });
                assertThat(service.context().getRegistry().lookupByNameAndType("exportTargetReadiness",
                        ExportTargetReadiness.class).call().getMessage()).hasValueSatisfying(m ->
                        assertThat(m).startsWith("SFTP server 127.0.0.1:" + sftp.port() + " answered (SSH-2.0"));

                sftp.close();
                HttpResponse<String> ready = Prometheus.get(port, "/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(check(ready, "export-target").get("status").asText()).isEqualTo("DOWN");
                assertThat(check(ready, "export-target").get("message").asText())
                        .contains("SFTP server 127.0.0.1:" + sftp.port()).contains("cannot be reached");
                assertThat(check(ready, "orchestrator")).isNull();

                product.simulator().close();
                ready = Prometheus.get(port, "/observe/health");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(check(ready, "orchestrator").get("message").asText()).contains("cannot be reached");

                HttpResponse<String> live = Prometheus.get(port, "/observe/health/live");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            }
        } finally {
            sftp.close();
        }
    }

    @Test
    void readinessIsDownWhenNoTokenCanBeObtained() throws Exception {
        int port = Prometheus.freePort();
        try (ProductRun product = new ProductRun(out)) {
            Properties settings = product.clientCredentials()
                    .with("orchestrator.auth.client-secret", "not-the-secret-5f2a")
                    .with("schedule.cron", "0 0 0 1 1 ? 2099")
                    .with("observe.enabled", "true").with("observe.port", Integer.toString(port)).settings();
            try (RunningService service = new RunningService(settings)) {
                HttpResponse<String> ready = Prometheus.get(port, "/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(check(ready, "orchestrator").get("message").asText())
                        .startsWith("No token").contains("orchestrator.auth.client-secret")
                        .doesNotContain("not-the-secret-5f2a");
            }
        }
    }

    @Test
    void theManagementServerIsOffByDefault() throws Exception {
        int port = Prometheus.freePort();
        try (ProductRun product = new ProductRun(out)) {
            Properties settings = product.with("schedule.cron", "0 0 0 1 1 ? 2099")
                    .with("observe.port", Integer.toString(port)).settings();
            try (RunningService service = new RunningService(settings)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prometheus.get(port, "/observe/health"))
                        .isInstanceOf(java.net.ConnectException.class);
            }
        }
    }

    private static JsonNode check(HttpResponse<String> health, String name) throws Exception {
        for (JsonNode check : JSON.readTree(health.body()).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return null;
    }

    private static long clearedIn(Path auditFile, long folderId, String queue) throws Exception {
        return java.nio.file.Files.readAllLines(auditFile).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.path("action").asText().equals("cleared") && a.path("folderId").asLong() == folderId
                && a.path("queue").asText().equals(queue)).count();
    }
}
