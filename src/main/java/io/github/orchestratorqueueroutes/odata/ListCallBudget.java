package io.github.orchestratorqueueroutes.odata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client-side limit for {@code GET /odata/QueueItems}, which Automation Cloud allows 100 times per rolling minute
 * per tenant, shared with every other caller. Shared by every route of the process: before a list call it waits until
 * fewer than {@code perMinute} calls were made in the last 60 seconds. When Orchestrator reports few calls left
 * ({@code X-RateLimit-Remaining}), others are using the budget too, and calls are spread over the rest of the
 * minute before the server has to answer 429.
 */
public class ListCallBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ListCallBudget.class);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** How the budget waits; tests give a clock-moving one. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int perMinute;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private Instant notBefore = Instant.MIN;

    /** @param perMinute list calls allowed per rolling minute; 0 for no limit */
    public ListCallBudget(int perMinute, Clock clock) {
        this(perMinute, clock, d -> Thread.sleep(Math.max(1, d.toMillis())));
    }

    public ListCallBudget(int perMinute, Clock clock, Sleeper sleeper) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /** Blocks until a list call is within the budget, then counts it. */
    public void acquire(OrchestratorRequest request) throws InterruptedException {
        if (!enabled() || !isQueueItemsList(request)) {
            return;
        }
        while (true) {
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(WINDOW))) {
                    recent.removeFirst();
                }
                if (recent.size() < perMinute && !now.isBefore(notBefore)) {
                    recent.addLast(now);
                    return;
                }
                Instant until = recent.size() >= perMinute ? recent.peekFirst().plus(WINDOW) : notBefore;
                if (until.isBefore(notBefore)) {
                    until = notBefore;
                }
                wait = Duration.between(now, until);
            }
            LOG.debug("List call budget: waiting {} ms", wait.toMillis());
            sleeper.sleep(wait);
        }
    }

    /** Reads the server's X-RateLimit-Remaining after a list call and spaces the next calls when it is low. */
    public synchronized void observe(OrchestratorRequest request, String remainingHeader) {
        if (!enabled() || !isQueueItemsList(request) || remainingHeader == null) {
            return;
        }
        try {
            int remaining = Integer.parseInt(remainingHeader.trim());
            if (remaining <= Math.max(1, perMinute / 10)) {
                Duration spacing = WINDOW.dividedBy(Math.max(1, remaining + 1));
                notBefore = clock.instant().plus(spacing);
                LOG.info("Orchestrator reports {} list call(s) left this minute; slowing down", remaining);
            }
        } catch (NumberFormatException e) {
            // an unreadable header changes nothing
        }
    }

    static boolean isQueueItemsList(OrchestratorRequest request) {
        return "GET".equals(request.method()) && "odata/QueueItems".equals(request.path());
    }
}
