package io.github.orchestratorqueueroutes.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.HeldAnswer;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;

class ResilienceTest extends AgainstSimulator {

    @Test
    void unreachableOrchestratorEndsTheRunQuicklyWithExitOneAndOneClearMessage() {
        Instant start = Instant.now();

        ProductRun.Result run = product.with("orchestrator.url", "http://127.0.0.1:1")
                .with("orchestrator.retry.initial-delay", "PT0.05S").with("orchestrator.retry.max-delay", "PT0.1S")
                .runOnce();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.summary().get("runErrors").get(0).asText()).contains("cannot be reached")
                .contains("orchestrator.url");
        assertThat(run.logs()).doesNotContain("\tat ");
    }

    @Test
    void orchestratorGoingDownMidRunStopsTheRunInsteadOfFailingEveryItem() {
        // after five items the whole API answers 503
        product.simulator().intercept(r -> r.path().startsWith("/odata/")
                && product.simulator().requests().stream().filter(RecordedRequest::isItemPut).count() >= 5
                ? Optional.of(SimulatedReply.error(503, 0, "Service Unavailable")) : Optional.empty());

        ProductRun.Result run = product.with("orchestrator.retry.max-attempts", "2")
                .with("orchestrator.retry.initial-delay", "PT0.01S").with("orchestrator.retry.max-delay", "PT0.02S")
                .with("orchestrator.stop-after-failures", "4").with("purge.concurrency", "2").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.summary().get("runErrors")).singleElement()
                .satisfies(e -> assertThat(e.asText()).startsWith("Run stopped: Orchestrator looks down"));
        assertThat(run.count("failed")).as("items failed before the run stopped").isBetween(4L, 8L);
        assertThat(run.requests()).filteredOn(RecordedRequest::isItemPut).hasSizeLessThan(30);
        assertThat(run.summary().get("itemsNotReached").asLong()).as("left for the next run, not failed").isPositive();
    }

    @Test
    void aFailureThatStopsTheRunLetsItemsInFlightFinishSoEveryAppliedPutIsCounted() {
        // one item's PUT is in flight when other items' calls are refused (a revoked token stops the run); the server
        // applies that PUT only once the run has had every chance to end without it: its summary written, or 2 s
        long slow = SimulatedTenant.SEED_SUCCESSFUL_ITEM;
        AtomicBoolean slowPutArrived = new AtomicBoolean();
        CountDownLatch refused = new CountDownLatch(1);
        Path summaries = product.outputDir().resolve("runs");
        product.simulator().intercept(r -> {
            if (r.isItemPut() && r.itemId() == slow) {
                slowPutArrived.set(true);
                HeldAnswer.until(() -> refused.getCount() == 0, Duration.ofSeconds(10));
                HeldAnswer.until(() -> Files.isDirectory(summaries) && summaries.toFile().list().length > 0,
                        Duration.ofSeconds(2));
                return Optional.empty();
            }
            if (slowPutArrived.get() && r.isItemGet()) {
                refused.countDown();
                return Optional.of(SimulatedReply.error(401, 0, "Unauthorized"));
            }
            return Optional.empty();
        });

        ProductRun.Result run = product.with("purge.concurrency", "4").runOnce();

        assertThat(run.exitCode()).as("a refused token is the operator's to fix: exit 2").isEqualTo(2);
        assertThat(run.summary().get("runErrors")).singleElement()
                .satisfies(e -> assertThat(e.asText()).startsWith("Run stopped:").contains("HTTP 401"));
        Set<Long> applied = run.puts().stream().filter(p -> p.status() / 100 == 2).map(RecordedRequest::itemId)
                .collect(Collectors.toSet());
        assertThat(applied).contains(slow);
        Set<Long> audited = run.audit().stream().filter(a -> a.get("action").asText().equals("cleared"))
                .map(a -> a.get("itemId").asLong()).collect(Collectors.toSet());
        assertThat(audited).as("every PUT the server applied is in the audit").isEqualTo(applied);
        assertThat(run.count("cleared")).as("and counted in the summary").isEqualTo(applied.size());
    }

    @Test
    void malformedDetailFailsThatItemWithAClearReasonAndTheRunGoesOn() {
        product.simulator().intercept(r -> r.isItemGet() && r.itemId() == SimulatedTenant.SEED_SUCCESSFUL_ITEM
                ? Optional.of(new SimulatedReply(200, "text/html", "<html><body>Maintenance</body></html>"))
                : Optional.empty());

        ProductRun.Result run = product.runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.count("cleared")).isGreaterThan(50);
        assertThat(run.summary().get("failures")).singleElement().satisfies(f -> {
            assertThat(f.get("itemId").asLong()).isEqualTo(SimulatedTenant.SEED_SUCCESSFUL_ITEM);
            assertThat(f.get("error").asText()).contains("instead of JSON").contains("text/html");
        });
        assertThat(run.puts()).noneMatch(p -> p.itemId() == SimulatedTenant.SEED_SUCCESSFUL_ITEM);
    }

    @Test
    void detailWithAnUnknownStatusIsNotTouched() {
        product.simulator().tenant().setStatus(SimulatedTenant.SEED_SUCCESSFUL_ITEM, "Successful");
        product.simulator().intercept(r -> r.isItemGet() && r.itemId() == SimulatedTenant.SEED_SUCCESSFUL_ITEM
                ? Optional.of(new SimulatedReply(200, "application/json",
                        "{\"Id\":" + SimulatedTenant.SEED_SUCCESSFUL_ITEM + ",\"Status\":\"Archived\","
                                + "\"SpecificContent\":{\"a\":1}}"))
                : Optional.empty());

        ProductRun.Result run = product.runOnce();

        assertThat(run.puts()).noneMatch(p -> p.itemId() == SimulatedTenant.SEED_SUCCESSFUL_ITEM);
        assertThat(run.audit()).filteredOn(a -> a.get("itemId").asLong() == SimulatedTenant.SEED_SUCCESSFUL_ITEM)
                .singleElement().satisfies(a -> assertThat(a.get("action").asText()).isEqualTo("skipped-status"));
    }
}
