package io.github.orchestratorqueueroutes.retry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.odata.OrchestratorCallException;
import org.apache.camel.Exchange;

/**
 * A circuit breaker for the run: counts calls that failed even after their retries (no answer, or a 408/429/5xx)
 * in a row, across all routes. Once {@code orchestrator.stop-after-failures} is reached every further call fails at
 * once with {@link OrchestratorDownException}, which stops the run with one clear error; items it did not reach are
 * not processed rather than failed one by one. Any real answer from the server closes it again, and so does a new
 * run.
 */
public class OrchestratorHealth {

    private final int stopAfter;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");

    public OrchestratorHealth(int stopAfter) {
        this.stopAfter = stopAfter;
    }

    public void beginRun() {
        consecutiveFailures.set(0);
    }

    /** Before a call: refuses it when Orchestrator is considered down. */
    public void checkUp(Exchange exchange) {
        int failures = consecutiveFailures.get();
        if (failures >= stopAfter) {
            throw new OrchestratorDownException("Orchestrator looks down: " + failures + " calls in a row failed "
                    + "after their retries (last: " + lastFailure.get() + "). The run stops here; what it did not "
                    + "reach is handled by the next run. See orchestrator.stop-after-failures.");
        }
    }

    /** The server answered (with data or with a definite error such as 404). */
    public void answered(Exchange exchange) {
        consecutiveFailures.set(0);
    }

    /** A call failed for good; only failures that say nothing about the request itself count. */
    void failedForGood(Throwable failure) {
        if (failure instanceof OrchestratorCallException call && !Backoff.TRANSIENT.contains(call.status())
                && call.status() >= 400) {
            consecutiveFailures.set(0);
            return;
        }
        lastFailure.set(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        consecutiveFailures.incrementAndGet();
    }
}
