package io.github.orchestratorqueueroutes.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The product's own meters, named {@code oqr_*} in Prometheus (README "Metrics and health" lists them). Labels stay
 * few and bounded: folder ids and queue names of the tenant, operations with their ids replaced by {@code {id}}.
 */
public class RunMetrics {

    /** Where the product's meters go when nobody scrapes them (tests of single beans, embedding without metrics). */
    public static RunMetrics discarding() {
        return new RunMetrics(new SimpleMeterRegistry());
    }

    private final MeterRegistry meters;
    // Micrometer's register() builds and sorts the meter's id on every call; items count several times each
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong lastExitCode = new AtomicLong(-1);
    private final Timer runDuration;

    public RunMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.runDuration = Timer.builder("oqr.run.duration").description("Wall time of each run").register(meters);
        Gauge.builder("oqr.last.successful.run", lastSuccessEpochSeconds, AtomicLong::get)
                .description("End of the last run that exited 0, in seconds since the epoch (0: none yet)")
                .baseUnit("timestamp.seconds").register(meters);
        Gauge.builder("oqr.last.run.exit.code", lastExitCode, AtomicLong::get)
                .description("Exit code of the last run: 0 all done, 1 failures, 2 configuration (-1: none yet)")
                .register(meters);
    }

    /** The export starts this process may still spend today, read when Prometheus scrapes. */
    public void exportBudget(IntSupplier startsLeftToday) {
        Gauge.builder("oqr.export.budget.left", startsLeftToday, s -> s.getAsInt())
                .description("Export starts left today (UTC) under export.daily-budget")
                // Micrometer holds gauge sources weakly; this lambda has no other owner
                .strongReference(true).register(meters);
    }

    /** An item as listed, before anything is decided about it. */
    public void itemListed(long folderId, String queue) {
        counter("oqr.items.listed", "Queue items listed", "folder", Long.toString(folderId), "queue", label(queue))
                .increment();
    }

    /** What happened to one item: cleared, would-clear, skipped-empty, skipped-status or failed. */
    public void itemHandled(String action, long folderId, String queue) {
        counter("oqr.items", "Queue items handled, by outcome", "action", action, "folder", Long.toString(folderId),
                "queue", label(queue)).increment();
    }

    /** An export started, completed (delivered) or failed. */
    public void export(String event, String queue) {
        counter("oqr.exports", "Export jobs by event", "event", event, "queue", label(queue)).increment();
    }

    public void delivered(long bytes) {
        counter("oqr.export.delivered.bytes", "Bytes of export files delivered to export.target").increment(bytes);
    }

    /** One HTTP exchange with Orchestrator; {@code status} is the HTTP status, or {@code io-error}. */
    public void call(OrchestratorRequest request, String status) {
        call(operationOf(request), status);
    }

    public void call(String operation, String status) {
        counter("oqr.orchestrator.calls", "HTTP calls to Orchestrator and its identity server",
                "operation", operation, "status", status).increment();
    }

    /** A call repeated; {@code reason} is the status that caused it, or {@code io-error}. */
    public void retry(OrchestratorRequest request, String reason) {
        counter("oqr.orchestrator.retries", "Calls repeated after a transient failure or a refused token",
                "operation", operationOf(request), "reason", reason).increment();
        if ("429".equals(reason)) {
            counter("oqr.orchestrator.throttled", "429 Too Many Requests answers that were waited out").increment();
        }
    }

    public void runFinished(Duration duration, int exitCode, Instant end) {
        runDuration.record(duration);
        counter("oqr.runs", "Runs by exit code", "exit.code", Integer.toString(exitCode)).increment();
        lastExitCode.set(exitCode);
        if (exitCode == 0) {
            lastSuccessEpochSeconds.set(end.getEpochSecond());
        }
    }

    /** {@code GET odata/QueueItems(123)} becomes {@code GET QueueItems({id})}: one series per kind of call. */
    static String operationOf(OrchestratorRequest request) {
        if (request == null) {
            return "unknown";
        }
        String path = request.path().startsWith("odata/") ? request.path().substring("odata/".length()) : request.path();
        StringBuilder operation = new StringBuilder(request.method()).append(' ');
        int copied = 0;
        for (int open = path.indexOf('('); open >= 0; open = path.indexOf('(', open + 1)) {
            int close = path.indexOf(')', open);
            if (close > open + 1 && path.substring(open + 1, close).chars().allMatch(Character::isDigit)) {
                operation.append(path, copied, open + 1).append("{id}");
                copied = close;
            }
        }
        return operation.append(path, copied, path.length()).toString();
    }

    private Counter counter(String name, String description, String... tags) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(Arrays.asList(tags));
        return counters.computeIfAbsent(key,
                k -> Counter.builder(name).description(description).tags(tags).register(meters));
    }

    private static String label(String queue) {
        return queue == null ? "" : queue;
    }
}
