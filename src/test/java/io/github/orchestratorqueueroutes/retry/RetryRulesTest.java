package io.github.orchestratorqueueroutes.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.orchestratorqueueroutes.odata.ListCallBudget;
import io.github.orchestratorqueueroutes.odata.OrchestratorCallException;
import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.github.orchestratorqueueroutes.http.RetryAfter;
import io.github.orchestratorqueueroutes.testing.MovableClock;
import org.junit.jupiter.api.Test;

class RetryRulesTest {

    private static final OrchestratorRequest GET = OrchestratorRequest.get("odata/QueueItems(1)", 1L, "GET");
    private static final OrchestratorRequest START_EXPORT =
            new OrchestratorRequest("POST", "odata/QueueDefinitions(1)/UiPathODataSvc.Export", Map.of(), 1L, null, "POST");
    private static final OrchestratorRequest LIST = OrchestratorRequest.get("odata/QueueItems", 1L, "GET QueueItems");

    private static OrchestratorCallException answer(int status, Integer errorCode) {
        return new OrchestratorCallException("x", status, errorCode);
    }

    @Test
    void transientAnswersAndIoErrorsAreRepeatedOthersAreNot() {
        for (int status : new int[] {408, 429, 502, 503, 504}) {
            assertThat(OrchestratorRetries.repeatable(answer(status, null), GET)).as("%d", status).isTrue();
        }
        for (int status : new int[] {400, 403, 404, 409, 500}) {
            assertThat(OrchestratorRetries.repeatable(answer(status, null), GET)).as("%d", status).isFalse();
        }
        assertThat(OrchestratorRetries.repeatable(new SocketTimeoutException(), GET)).isTrue();
        assertThat(OrchestratorRetries.repeatable(new ConnectException(), GET)).isTrue();
    }

    @Test
    void exportStartIsRepeatedOnlyWhenTheServerSurelyDidNotTakeIt() {
        assertThat(OrchestratorRetries.repeatable(answer(429, null), START_EXPORT)).isTrue();
        assertThat(OrchestratorRetries.repeatable(new ConnectException(), START_EXPORT)).isTrue();
        assertThat(OrchestratorRetries.repeatable(answer(503, null), START_EXPORT)).isFalse();
        assertThat(OrchestratorRetries.repeatable(new SocketTimeoutException(), START_EXPORT)).isFalse();
        assertThat(OrchestratorRetries.repeatable(new IOException("reset"), START_EXPORT)).isFalse();
        assertThat(OrchestratorRetries.repeatable(answer(429, 4502), START_EXPORT)).isFalse();
        assertThat(OrchestratorRetries.repeatable(answer(429, 4502), GET)).isFalse();
    }

    @Test
    void waitIsRetryAfterElseExponentialWithJitterAndACap() {
        OrchestratorRetries retries = new OrchestratorRetries(new io.github.orchestratorqueueroutes.http.Backoff(5,
                Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofMinutes(1)), new OrchestratorHealth(10), io.github.orchestratorqueueroutes.observe.RunMetrics.discarding(),
                Clock.systemUTC());

        assertThat(retries.delayFor(new OrchestratorCallException("x", 429, null, Duration.ofSeconds(7)), 1))
                .isEqualTo(Duration.ofSeconds(7));
        for (int i = 0; i < 50; i++) {
            assertThat(retries.delayFor(answer(503, null), 1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(retries.delayFor(answer(503, null), 3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(retries.delayFor(answer(503, null), 9)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
        assertThat(retries.delayFor(answer(401, null), 1)).isZero();
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

        assertThat(RetryAfter.parse("12", clock)).isEqualTo(Duration.ofSeconds(12));
        assertThat(RetryAfter.parse("1.5", clock)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("Mon, 23 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Mon, 23 Nov 2026 09:00:00 GMT", clock)).isZero();
        assertThat(RetryAfter.parse("soon", clock)).isNull();
        assertThat(RetryAfter.parse(null, clock)).isNull();
    }

    @Test
    void listBudgetNeverAllowsMoreCallsThanItsRateInAnyRollingMinute() throws Exception {
        MovableClock clock = new MovableClock();
        List<Instant> calls = new ArrayList<>();
        ListCallBudget budget = new ListCallBudget(10, clock, clock::advance);

        for (int i = 0; i < 35; i++) {
            budget.acquire(LIST);
            calls.add(clock.instant());
            clock.advance(Duration.ofMillis(700));
        }
        budget.acquire(GET);

        for (Instant call : calls) {
            long inWindow = calls.stream().filter(c -> !c.isBefore(call) && c.isBefore(call.plusSeconds(60))).count();
            assertThat(inWindow).isLessThanOrEqualTo(10);
        }
        assertThat(Duration.between(calls.get(0), calls.get(34))).isGreaterThanOrEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void lowRemainingCountFromTheServerSpacesTheNextListCalls() throws Exception {
        MovableClock clock = new MovableClock();
        ListCallBudget budget = new ListCallBudget(90, clock, clock::advance);
        budget.acquire(LIST);
        Instant first = clock.instant();

        budget.observe(LIST, "2");
        budget.acquire(LIST);

        assertThat(Duration.between(first, clock.instant())).isEqualTo(Duration.ofSeconds(20));
    }
}
