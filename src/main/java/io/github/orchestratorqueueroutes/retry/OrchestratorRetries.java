package io.github.orchestratorqueueroutes.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.orchestratorqueueroutes.odata.MalformedReplyException;
import io.github.orchestratorqueueroutes.odata.OrchestratorCall;
import io.github.orchestratorqueueroutes.odata.OrchestratorCallException;
import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for Camel's redelivery of route {@code orchestrator-request}, whether and when a failed Orchestrator call
 * is repeated. Repeated: 408, 429, 502, 503 and 504 answers and I/O errors (refused or reset connections,
 * timeouts), after Retry-After when the server gave one, else after an exponential back-off with jitter; bounded by
 * {@code orchestrator.retry.max-attempts} and {@code orchestrator.retry.max-time}. A 401 gets one repeat with a fresh
 * token. Never repeated: error 4502 (export quota), other 4xx, and a POST that starts an export unless the server
 * surely did not take it (429, or a connection that was never made).
 */
public class OrchestratorRetries {

    private static final String STARTED = "orchestratorCallStarted";
    private static final String TOKEN_RENEWED = "orchestratorTokenRenewed";
    private static final String NEXT_DELAY = "orchestratorRetryDelay";
    /** Attempts made of the current call. Our own count: preparing a repeat clears all message headers. */
    private static final String ATTEMPTS = "orchestratorAttempts";
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorRetries.class);

    private final Backoff backoff;
    private final Clock clock;
    private final OrchestratorHealth health;
    private final RunMetrics metrics;

    public OrchestratorRetries(Backoff backoff, OrchestratorHealth health, RunMetrics metrics, Clock clock) {
        this.health = health;
        this.metrics = metrics;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Marks the start of one call (its first attempt). */
    public void begin(Exchange exchange) {
        exchange.setVariable(STARTED, clock.instant());
        exchange.setVariable(TOKEN_RENEWED, false);
        exchange.setVariable(ATTEMPTS, 1);
    }

    /** The retryWhile predicate. */
    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = failure(exchange);
        OrchestratorRequest request = exchange.getVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.class);
        int attempt = exchange.getVariable(ATTEMPTS, 1, Integer.class);
        Duration delay = exchange.getVariable(NEXT_DELAY, Duration.ZERO, Duration.class);
        if (failure instanceof OrchestratorCallException call && call.status() == 401) {
            return !exchange.getVariable(TOKEN_RENEWED, false, Boolean.class);
        }
        if (!repeatable(failure, request)) {
            health.failedForGood(failure);
            return false;
        }
        Instant started = exchange.getVariable(STARTED, clock.instant(), Instant.class);
        boolean retry = backoff.allows(attempt, started, delay, clock.instant());
        if (retry && throttled(failure)) {
            LOG.debug("{}: {}; waiting {} s as the server asks", request.describe(), shortReason(failure),
                    String.format("%.1f", delay.toMillis() / 1000.0));
        } else if (retry) {
            LOG.info("{}: {}; attempt {} of {} in {} s", request.describe(), shortReason(failure), attempt + 1,
                    backoff.maxAttempts(), String.format("%.1f", delay.toMillis() / 1000.0));
        } else {
            LOG.warn("{}: {}; giving up after {} attempt(s)", request.describe(), shortReason(failure), attempt);
            health.failedForGood(failure);
        }
        return retry;
    }

    /** Whether this failure of this request may be repeated at all. */
    static boolean repeatable(Throwable failure, OrchestratorRequest request) {
        boolean startsExport = request != null && "POST".equals(request.method());
        if (failure instanceof MalformedReplyException) {
            return !startsExport;
        }
        if (failure instanceof OrchestratorCallException call) {
            if (Integer.valueOf(4502).equals(call.errorCode()) || !Backoff.TRANSIENT.contains(call.status())) {
                return false;
            }
            return !startsExport || call.status() == 429;
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            // an untrusted certificate or a failed handshake does not get better by asking again
            return false;
        }
        if (failure instanceof ConnectException) {
            return true;
        }
        return failure instanceof IOException && !startsExport;
    }

    /** onExceptionOccurred: decides the wait before the next attempt and hands it to Camel's redelivery. */
    public Processor delayStep() {
        return exchange -> {
            Throwable failure = failure(exchange);
            if (!(failure instanceof OrchestratorCallException)) {
                // an HTTP answer was counted when it was read; this call got none
                metrics.call(exchange.getVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.class), "io-error");
            }
            int attempt = exchange.getVariable(ATTEMPTS, 1, Integer.class);
            Duration delay = delayFor(failure, attempt);
            exchange.setVariable(NEXT_DELAY, delay);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
        };
    }

    Duration delayFor(Throwable failure, int attempt) {
        if (failure instanceof OrchestratorCallException call && call.status() == 401) {
            return Duration.ZERO;
        }
        return backoff.delay(attempt, failure instanceof OrchestratorCallException call ? call.retryAfter() : null);
    }

    /**
     * A 429 or 503 that says how long to wait is the server pacing its callers, not a failure: it is waited out
     * within orchestrator.retry.max-time and does not spend one of orchestrator.retry.max-attempts, which bound real
     * failures (a busy tenant would otherwise lose items to throttling).
     */
    static boolean throttled(Throwable failure) {
        return failure instanceof OrchestratorCallException call && call.retryAfter() != null
                && (call.status() == 429 || call.status() == 503);
    }

    /** onRedelivery: prepares the same call again (with a fresh token after a 401). */
    public Processor preparationStep(OrchestratorCall call) {
        return exchange -> {
            Throwable failure = failure(exchange);
            if (!throttled(failure)) {
                exchange.setVariable(ATTEMPTS, exchange.getVariable(ATTEMPTS, 1, Integer.class) + 1);
            }
            metrics.retry(exchange.getVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.class),
                    failure instanceof OrchestratorCallException failed ? Integer.toString(failed.status()) : "io-error");
            if (failure(exchange) instanceof OrchestratorCallException failed && failed.status() == 401) {
                exchange.setVariable(TOKEN_RENEWED, true);
                call.prepareAfterUnauthorized(exchange);
            } else {
                call.prepare(exchange);
            }
        };
    }

    private static Throwable failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    private static String shortReason(Throwable failure) {
        if (failure instanceof OrchestratorCallException call) {
            return "HTTP " + call.status() + (call.errorCode() == null ? "" : " errorCode " + call.errorCode());
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : " " + failure.getMessage());
    }
}
