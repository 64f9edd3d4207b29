package io.github.orchestratorqueueroutes.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
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
