package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --once the product keeps running and repeats the jobs every schedule.period. */
class ScheduledRunTest {

    @TempDir
    Path out;

    @Test
    void timerRunsThePurgeRepeatedlyUntilStopped() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            var settings = product.with("schedule.period", "PT0.5S").with("export.enabled", "true")
                    .with("export.queues", "Queue Demo").settings();
            Main main = OrchestratorQueueRoutes.newMain(settings, new AtomicInteger());
            Thread service = startInBackground(main);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> main.getCamelContext() != null
                        && main.getCamelContext().getStatus() == ServiceStatus.Started);
                CamelContext context = main.getCamelContext();

                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 3);
                assertThat(context.getRouteController().getRouteStatus("jobs-timer")).isEqualTo(ServiceStatus.Started);
            } finally {
                main.completed();
                service.join(30_000);
            }
            assertThat(service.isAlive()).isFalse();
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
            Main main = OrchestratorQueueRoutes.newMain(product.with("schedule.cron", "* * * * * ?")
                    .with("schedule.period", "PT1H").settings(), new AtomicInteger());
            Thread service = startInBackground(main);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 2);
                CamelContext context = main.getCamelContext();
                assertThat(context.getRouteController().getRouteStatus("jobs-cron")).isEqualTo(ServiceStatus.Started);
                assertThat(context.getRouteController().getRouteStatus("jobs-timer")).isEqualTo(ServiceStatus.Stopped);
            } finally {
                main.completed();
                service.join(30_000);
            }
        }
    }

    @Test
    void triggerDuringARunIsSkipped() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            Main main = OrchestratorQueueRoutes.newMain(product.with("schedule.period", "PT1H").settings(),
                    new AtomicInteger());
            AtomicReference<Object> overlapping = new AtomicReference<>();
            product.simulator().afterEachRequest(r -> {
                if (r.isQueueItemsList() && overlapping.get() == null) {
                    Exchange second = main.getCamelContext().createProducerTemplate().request("direct:run-jobs", e -> { });
                    overlapping.set(second.getVariable("runStarted"));
                }
            });
            Thread service = startInBackground(main);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> summaries() >= 1);
            } finally {
                main.completed();
                service.join(30_000);
            }
            assertThat(overlapping.get()).as("the trigger that arrived during the run was not started").isEqualTo(false);
            assertThat(summaries()).isEqualTo(1);
        }
    }

    private static Thread startInBackground(Main main) {
        Thread service = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "product-under-test");
        service.start();
        return service;
    }

    private long summaries() throws IOException {
        if (!Files.isDirectory(out.resolve("runs"))) {
            return 0;
        }
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            return files.count();
        }
    }
}
