package io.github.orchestratorqueueroutes.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a call that failed transiently is repeated, the same for Orchestrator, its identity server and the export
 * download: after the server's Retry-After when it gave one, else after an exponential back-off with jitter, for at
 * most {@code maxAttempts} attempts in all and never past {@code maxTime} from the first
 * ({@code orchestrator.retry.*}).
 */
public record Backoff(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTime) {

    /** Answers that say "try again": timeout, throttled, and the gateway errors. */
    public static final Set<Integer> TRANSIENT = Set.of(408, 429, 502, 503, 504);

    /**
     * The wait before attempt {@code attempt + 1}: Retry-After if given (never less than the initial delay: a
     * server that says 0, or a date in the past, would otherwise be asked again at once, for the whole max-time),
     * else the back-off.
     */
    public Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(initialDelay) < 0 ? initialDelay : retryAfter;
        }
        long base = initialDelay.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(base, maxDelay.toMillis());
        // "equal jitter": at least half the back-off, so callers that failed together do not retry together
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** Whether a call first tried at {@code started}, with {@code attempt} attempts made, may wait and go again. */
    public boolean allows(int attempt, Instant started, Duration delay, Instant now) {
        return attempt < maxAttempts && !now.plus(delay).isAfter(started.plus(maxTime));
    }
}
