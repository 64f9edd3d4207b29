package io.github.orchestratorqueueroutes.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;

/**
 * A server that paces its callers (429 with Retry-After) is waited for without spending the attempts meant for real
 * failures, and a reply cut off mid-JSON is a damaged answer to repeat, not a sign of a wrong URL.
 */
class ThrottlingAndDamagedRepliesTest extends AgainstSimulator {

    private static final java.util.List<String> CLEARABLE = java.util.List.of("Successful", "Deleted", "Retried");

    @Test
    void aTenantThrottlingHalfOfTheCallsLosesNoItem() {
        AtomicLong calls = new AtomicLong();
        product.simulator().intercept(r -> r.path().startsWith("/odata/") && calls.incrementAndGet() % 2 == 0
                ? Optional.of(new SimulatedReply(429, "application/json",
                        "{\"message\":\"Too many requests\",\"errorCode\":0}", Map.of("Retry-After", "0.02")))
                : Optional.empty());

        // two attempts in all: before throttling waits stopped spending them, half the calls would run out
        ProductRun.Result run = product.with("orchestrator.retry.max-attempts", "2")
                .with("orchestrator.retry.initial-delay", "PT0.02S").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.count("failed")).isZero();
        assertThat(product.simulator().tenant().snapshot().values())
                .noneMatch(i -> CLEARABLE.contains(i.get("Status").asText()) && PurgeCriteria.hasContent(i));
        assertThat(run.requests()).filteredOn(r -> r.status() == 429).hasSizeGreaterThan(50);
    }

    @Test
    void aListPageCutOffOnceIsListedAgain() {
        AtomicInteger cut = new AtomicInteger();
        product.simulator().intercept(r -> r.isQueueItemsList() && cut.getAndIncrement() == 0
                ? Optional.of(new SimulatedReply(200, "application/json", "{\"@odata.count\":12,\"value\":[{\"Id\":2",
                        Map.of()))
                : Optional.empty());

        ProductRun.Result run = product.runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.count("cleared")).isPositive();
        assertThat(run.requests().stream().filter(RecordedRequest::isQueueItemsList)
                .filter(r -> r.query().get("$filter").endsWith("Id gt 0")).count())
                .as("the first page of the first folder twice").isEqualTo(4);
    }

    @Test
    void aReplyThatStaysBrokenIsReportedAsMalformedJsonNotAsAWrongUrl() {
        product.simulator().intercept(r -> r.isQueueItemsList()
                ? Optional.of(new SimulatedReply(200, "application/json", "{\"value\":[{\"Id\":2600", Map.of()))
                : Optional.empty());

        ProductRun.Result run = product.with("orchestrator.retry.max-attempts", "2")
                .with("orchestrator.retry.initial-delay", "PT0.05S").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.summary().get("runErrors").toString()).contains("malformed JSON")
                .contains("cut off or damaged").doesNotContain("orchestrator.url");
    }
}
