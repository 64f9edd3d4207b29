package io.github.orchestratorqueueroutes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transient faults of the simulated API, for resilience tests: error answers, 429 with Retry-After, dropped
 * connections, answers slower than the client waits, and Automation Cloud's limit on list calls. A fault hits every
 * n-th request, and the same request (method, path, query, body) at most {@link #MAX_HITS_PER_REQUEST} times, so a
 * client that repeats transient failures always gets through. A POST (export start) only ever gets 429, the one
 * answer after which repeating it is safe.
 */
public final class SimulatorFaults {

    static final int MAX_HITS_PER_REQUEST = 2;

    /** What happens to one request. */
    sealed interface Fault permits Answer, Drop, Slow {
    }

    record Answer(int status, int retryAfterSeconds) implements Fault {
    }

    record Drop() implements Fault {
    }

    record Slow(Duration delay) implements Fault {
    }

    /** One kind of fault, hitting every n-th request it applies to. */
    private record Rule(int everyNth, Fault fault, AtomicLong counter) {
    }

    private final java.util.List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private final Deque<Instant> listCalls = new ArrayDeque<>();
    private volatile int listCallsPerMinute;

    /** Every n-th request is answered with this status (with Retry-After in seconds when above 0). */
    public SimulatorFaults answer(int everyNth, int status, int retryAfterSeconds) {
        rules.add(new Rule(everyNth, new Answer(status, retryAfterSeconds), new AtomicLong()));
        return this;
    }

    /** Every n-th request's connection is closed before any answer (the request is not applied). */
    public SimulatorFaults dropConnections(int everyNth) {
        rules.add(new Rule(everyNth, new Drop(), new AtomicLong()));
        return this;
    }

    /** Every n-th request is answered only after this delay, with 503 and without being applied. */
    public SimulatorFaults slowAnswers(int everyNth, Duration delay) {
        rules.add(new Rule(everyNth, new Slow(delay), new AtomicLong()));
        return this;
    }

    /** Like Automation Cloud: at most this many GET /odata/QueueItems per rolling minute, else 429. */
    public SimulatorFaults limitListCalls(int perMinute) {
        this.listCallsPerMinute = perMinute;
        return this;
    }

    Fault decide(RecordedRequest request, String bodyKey) {
        if (listCallsPerMinute > 0 && request.isQueueItemsList()) {
            synchronized (listCalls) {
                Instant now = Instant.now();
                while (!listCalls.isEmpty() && listCalls.peekFirst().isBefore(now.minusSeconds(60))) {
                    listCalls.removeFirst();
                }
                if (listCalls.size() >= listCallsPerMinute) {
                    long wait = Duration.between(now, listCalls.peekFirst().plusSeconds(60)).toSeconds() + 1;
                    return new Answer(429, (int) wait);
                }
                listCalls.addLast(now);
            }
        }
        if (!request.path().startsWith("/odata/")) {
            return null;
        }
        boolean post = request.method().equals("POST");
        String key = request.method() + " " + request.path() + "?" + request.query() + "#" + bodyKey;
        for (Rule rule : rules) {
            if (post && !(rule.fault() instanceof Answer answer && answer.status() == 429)) {
                continue;
            }
            if (rule.counter().incrementAndGet() % rule.everyNth() != 0) {
                continue;
            }
            if (hits.merge(key, 1, Integer::sum) > MAX_HITS_PER_REQUEST) {
                return null;
            }
            return rule.fault();
        }
        return null;
    }
}
