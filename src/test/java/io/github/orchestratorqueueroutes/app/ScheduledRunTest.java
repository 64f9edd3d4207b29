package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.RunningService;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --once the product keeps running and repeats the jobs every schedule.period. */
class ScheduledRunTest {

    @TempDir
    Path out;

    @Test
    void timerRunsThePurgeRepeatedlyUntilStopped() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            // whole-queue exports at every run: by default a queue is exported once a day (ExportWindowsTest)
            var settings = product.with("schedule.period", "PT0.5S").with("export.enabled", "true")
                    .with("export.queues", "Queue Demo").with("export.mode", "snapshot").with("export.every", "PT0S")
                    .settings();
            RunningService service = new RunningService(settings);
            try (service) {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 3);
                assertThat(service.context().getRouteController().getRouteStatus("jobs-timer"))
                        .isEqualTo(ServiceStatus.Started);
            }
            assertThat(service.stopped()).isTrue();
            assertThat(summaries()).as("one summary per run").isGreaterThanOrEqualTo(3);
            try (Stream<Path> exports = Files.list(out.resolve("exports"))) {
                assertThat(exports.count()).as("each scheduled run exported the queue").isGreaterThanOrEqualTo(3);
            }
            assertThat(product.simulator().requests()).filteredOn(RecordedRequest::isItemPut)
                    .as("only the first run had anything to clear").extracting(RecordedRequest::itemId)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void cronScheduleReplacesTheTimer() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            try (RunningService service = new RunningService(product.with("schedule.cron", "* * * * * ?")
                    .with("schedule.period", "PT1H").settings())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 2);
                CamelContext context = service.context();
                assertThat(context.getRouteController().getRouteStatus("jobs-cron")).isEqualTo(ServiceStatus.Started);
                assertThat(context.getRouteController().getRouteStatus("jobs-timer")).isEqualTo(ServiceStatus.Stopped);
            }
        }
    }

    @Test
    void triggerDuringARunIsSkipped() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            AtomicReference<CamelContext> context = new AtomicReference<>();
            AtomicReference<Object> overlapping = new AtomicReference<>();
            product.simulator().afterEachRequest(r -> {
                if (r.isQueueItemsList() && overlapping.get() == null && context.get() != null) {
                    Exchange second = context.get().createProducerTemplate().request("direct:run-jobs", e -> { });
                    overlapping.set(second.getVariable("runStarted"));
                }
            });
            try (RunningService service = new RunningService(product.with("schedule.period", "PT1S").settings())) {
                context.set(service.context());
                await().atMost(Duration.ofSeconds(30)).until(() -> overlapping.get() != null);
            }
            assertThat(overlapping.get()).as("the trigger that arrived during the run was not started").isEqualTo(false);
        }
    }

    private long summaries() throws IOException {
        if (!Files.isDirectory(out.resolve("runs"))) {
            return 0;
        }
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
