package io.github.orchestratorqueueroutes.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The record of one run: the audit file ({@code audit/<run-id>.jsonl}, one line per item as it happens), the counts,
 * progress lines every few seconds, and the summary ({@code runs/<run-id>.json}) with the exit code. Runs never
 * overlap, so one journal serves the process; item records arrive from several threads.
 */
public class RunJournal {

    public static final String RUN_ID = "runId";
    public static final String RUN_STARTED = "runStarted";
    /** Set by triggers that must not be dropped (a request file): wait for the run in progress instead. */
    public static final String WAIT_FOR_TURN = "waitForTurn";
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURES = 1;
    public static final int EXIT_CONFIGURATION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_FAILURES_IN_SUMMARY = 1000;

    private final Path outputDir;
    private final Clock clock;
    private final Duration progressInterval;
    private final RunMetrics metrics;

    private String runId;
    private Instant start;
    private BufferedWriter audit;
    private final Map<AuditAction, Long> counts = new EnumMap<>(AuditAction.class);
    private final List<ObjectNode> failures = new ArrayList<>();
    private final List<ObjectNode> exports = new ArrayList<>();
    private long failureCount;
    private final List<String> runErrors = new ArrayList<>();
    private boolean configurationError;
    private final Map<Long, ObjectNode> folders = new LinkedHashMap<>();
    /** Item outcomes per queue name, for the report's chart. */
    private final Map<String, Map<AuditAction, Long>> queues = new TreeMap<>();
    private Progress progress;
    private RunSummary last;
    private long itemsListed;
    private long itemsHandled;
    private boolean running;
    /** The failure that stops the run, met by an item or an export; null while the run goes on. */
    private volatile Throwable stoppedBy;

    /** The outcome of a finished run, for the launcher and tests. */
    public record RunSummary(String runId, int exitCode, Map<AuditAction, Long> counts, Path summaryFile,
            Path auditFile) {
    }

    public RunJournal(Path outputDir, Clock clock, Duration progressInterval, RunMetrics metrics) {
        this.outputDir = outputDir;
        this.clock = clock;
        this.progressInterval = progressInterval;
        this.metrics = metrics;
    }

    /**
     * Starts a run and sets variable {@value #RUN_STARTED} to true, or to false when a run is already in progress
     * (the trigger is then skipped).
     */
    public synchronized void begin(Exchange exchange) throws InterruptedException {
        if (exchange.getVariable(WAIT_FOR_TURN, false, Boolean.class)) {
            while (running && !exchange.getContext().isStopping()) {
                wait(1000);
            }
        }
        if (running) {
            LOG.warn("A run was triggered while run {} is still in progress; skipped", runId);
            exchange.setVariable(RUN_STARTED, false);
            return;
        }
        running = true;
        exchange.setVariable(RUN_STARTED, true);
        start = clock.instant();
        runId = RUN_ID_TIME.format(start) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        counts.clear();
        failures.clear();
        exports.clear();
        failureCount = 0;
        runErrors.clear();
        configurationError = false;
        folders.clear();
        queues.clear();
        progress = null;
        itemsListed = 0;
        itemsHandled = 0;
        stoppedBy = null;
        try {
            Files.createDirectories(outputDir.resolve("audit"));
            Files.createDirectories(outputDir.resolve("runs"));
            audit = Files.newBufferedWriter(auditFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            running = false;
            throw new InvalidSettingException("output.dir", "points at '" + outputDir.toAbsolutePath()
                    + "', where the audit file cannot be written (" + e.getClass().getSimpleName() + "). "
                    + "Use a writable folder.");
        }
        exchange.setVariable(RUN_ID, runId);
        // the run's thread pools (RunIdCarryingExecutor) carry it to the threads working for this run
        MDC.put(RUN_ID, runId);
    }

    /**
     * An item or export met a failure that stops the run (a refused credential, Orchestrator down, the service
     * stopping). Kept here rather than raised in it: raised there, it would end the parallel split while others are
     * still in flight, and the run could end before a PUT the server applied or a file delivered is in the audit. No
     * item or export begins after this, and the split's caller raises it once the split is done
     * ({@link #raiseIfStopped}).
     */
    public synchronized void stopRun(Throwable failure) {
        if (stoppedBy == null) {
            stoppedBy = failure;
        }
    }

    public boolean stopped() {
        return stoppedBy != null;
    }

    public void raiseIfStopped() {
        Throwable failure = stoppedBy;
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** The one line that opens a run: what it will do, and where its audit trail goes. */
    public synchronized void announce(String plan) {
        LOG.info("Run {} started: {}. Audit trail: {}", runId, plan, auditFile());
    }

    public synchronized void record(AuditEntry entry) {
        counts.merge(entry.action(), 1L, Long::sum);
        if (entry.export() != null) {
            metrics.export(entry.action() == AuditAction.EXPORTED ? "completed" : "failed", entry.queue());
            if (entry.action() == AuditAction.EXPORTED && entry.export().bytes() != null) {
                metrics.delivered(entry.export().bytes());
            }
        } else if (entry.itemId() != null) {
            metrics.itemHandled(entry.action().word(), entry.folderId(), entry.queue());
            queues.computeIfAbsent(entry.queue() == null ? "" : entry.queue(), q -> new EnumMap<>(AuditAction.class))
                    .merge(entry.action(), 1L, Long::sum);
        }
        ObjectNode line = JSON_LINE.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("runId", runId);
        line.put("action", entry.action().word());
        line.put("folderId", entry.folderId());
        line.put("queue", entry.queue());
        line.put("itemId", entry.itemId());
        line.put("status", entry.status());
        line.put("error", SecretMasker.mask(entry.error()));
        if (entry.export() != null) {
            putExport(line, entry.export());
            if (entry.action() == AuditAction.EXPORTED) {
                ObjectNode export = JSON_LINE.createObjectNode();
                export.put("folderId", entry.folderId());
                export.put("queue", entry.queue());
                putExport(export, entry.export());
                exports.add(export);
            }
        }
        try {
            audit.write(JSON_LINE.writeValueAsString(line));
            audit.newLine();
            audit.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the audit file " + auditFile(), e);
        }
        if (entry.action() == AuditAction.FAILED) {
            failureCount++;
            if (failures.size() < MAX_FAILURES_IN_SUMMARY) {
                ObjectNode failure = JSON_LINE.createObjectNode();
                failure.put("folderId", entry.folderId());
                failure.put("queue", entry.queue());
                if (entry.itemId() != null) {
                    failure.put("itemId", entry.itemId());
                }
                if (entry.export() != null) {
                    failure.put("exportId", entry.export().exportId());
                }
                failure.put("error", SecretMasker.mask(entry.error()));
                failures.add(failure);
            }
        }
        if (entry.itemId() != null) {
            itemHandled();
        }
    }

    /** An item as listed in a folder, before anything is decided about it (metrics only). */
    public void itemListed(long folderId, String queue) {
        metrics.itemListed(folderId, queue);
    }

    /** An export job was started on the server (not a resumed one). */
    public void exportStarted(String queue) {
        metrics.export("started", queue);
    }

    /**
     * Progress of one download, logged every progress interval: bytes so far, of how many, rate and time left.
     * The consumer is called with the bytes downloaded so far after every read.
     */
    public LongConsumer downloadProgress(String label, long totalBytes) {
        Instant started = clock.instant();
        Instant[] lastLog = {started};
        return bytes -> {
            Instant now = clock.instant();
            if (Duration.between(lastLog[0], now).compareTo(progressInterval) < 0) {
                return;
            }
            lastLog[0] = now;
            double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
            double rate = bytes / seconds;
            String eta = totalBytes <= 0 || rate <= 0 ? ""
                    : String.format(", about %d s left", Math.max(0, Math.round((totalBytes - bytes) / rate)));
            LOG.info("Downloading {}: {}{}, {}/s{}", label, RunReport.bytes(bytes),
                    totalBytes > 0 ? " of " + RunReport.bytes(totalBytes) : "", RunReport.bytes((long) rate), eta);
        };
    }

    /** Counts an item that needed no audit line (not selected, or already handled in another folder). */
    public synchronized void itemPassedOver() {
        itemHandled();
    }

    /** A folder's walk begins; progress is reported per folder. */
    public synchronized void folderStarted(String job, long folderId, String path) {
        ObjectNode folder = JSON_LINE.createObjectNode();
        folder.put("id", folderId);
        folder.put("path", path);
        folder.put("listed", 0);
        folders.put(folderId, folder);
        progress = new Progress(job + " " + path + " (" + folderId + ")", clock.instant());
    }

    /** Items listed in the current folder, and the server's total when it gave one. */
    public synchronized void listed(long folderId, int count, Long total) {
        ObjectNode folder = folders.get(folderId);
        if (folder != null) {
            folder.put("listed", folder.get("listed").asLong() + count);
        }
        itemsListed += count;
        if (progress != null && total != null) {
            progress.total = total;
        }
    }

    /** An error that stopped the run or a folder (not one item). */
    public synchronized void runFailed(String message, Throwable cause) {
        runErrors.add(SecretMasker.mask(message));
        if (cause != null && FailureReason.isConfigurationProblem(cause)) {
            configurationError = true;
        }
        LOG.error("{}", message);
    }

    /** A job could not work through the folder in variable {@value FolderRef#VARIABLE}; the next folder still runs. */
    public void folderFailed(String job, Exchange exchange) {
        Throwable failure = FailureScope.localOrRethrow(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        FolderRef folder = exchange.getVariable(FolderRef.VARIABLE, FolderRef.class);
        runFailed(job + " of folder " + folder.path() + " (" + folder.id() + ") stopped: "
                + (failure == null ? "unknown failure" : FailureReason.of(failure)), failure);
    }

    /** The run stopped on an error no folder or item caught (for example a refused credential). */
    public void recordRunFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        runFailed("Run stopped: " + (failure == null ? "unknown failure" : FailureReason.of(failure)), failure);
    }

    public synchronized RunSummary finish() {
        Instant end = clock.instant();
        int exitCode = configurationError ? EXIT_CONFIGURATION
                : failureCount > 0 || !runErrors.isEmpty() ? EXIT_FAILURES : EXIT_OK;
        ObjectNode summary = JSON.createObjectNode();
        summary.put("runId", runId);
        summary.put("start", start.toString());
        summary.put("end", end.toString());
        summary.put("durationSeconds", Duration.between(start, end).toMillis() / 1000.0);
        ObjectNode countNode = summary.putObject("counts");
        for (AuditAction action : AuditAction.values()) {
            countNode.put(action.word(), counts.getOrDefault(action, 0L));
        }
        ArrayNode folderNode = summary.putArray("folders");
        folders.values().forEach(folderNode::add);
        ArrayNode exportNode = summary.putArray("exports");
        exports.forEach(exportNode::add);
        summary.put("itemsListed", itemsListed);
        // listed but never handled: the run stopped first (shutdown, Orchestrator down); the next run gets them
        summary.put("itemsNotReached", Math.max(0, itemsListed - itemsHandled));
        summary.put("failureCount", failureCount);
        ArrayNode failureNode = summary.putArray("failures");
        failures.forEach(failureNode::add);
        if (failureCount > failures.size()) {
            summary.put("failuresNotListed", failureCount - failures.size());
        }
        ArrayNode errorNode = summary.putArray("runErrors");
        runErrors.forEach(errorNode::add);
        ArrayNode queueNode = summary.putArray("queues");
        queues.forEach((queue, outcome) -> {
            ObjectNode q = queueNode.addObject().put("queue", queue);
            for (AuditAction action : AuditAction.values()) {
                if (action != AuditAction.EXPORTED) {
                    q.put(action.word(), outcome.getOrDefault(action, 0L));
                }
            }
        });
        summary.put("auditFile", auditFile().toString());
        summary.put("exitCode", exitCode);
        Path summaryFile = outputDir.resolve("runs").resolve(runId + ".json");
        Path reportFile = outputDir.resolve("runs").resolve(runId + ".html");
        running = false;
        notifyAll();
        try {
            if (audit != null) {
                audit.close();
            }
            Files.writeString(summaryFile, JSON.writeValueAsString(summary) + System.lineSeparator());
            Files.writeString(reportFile, RunReport.html(summary), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run summary " + summaryFile, e);
        }
        metrics.runFinished(Duration.between(start, end), exitCode, end);
        LOG.info("Run {} finished in {} s, exit code {}: {}; {} failure(s){}. Summary: {}, report: {}{}", runId,
                String.format("%.1f", Duration.between(start, end).toMillis() / 1000.0), exitCode, describeCounts(),
                failureCount, runErrors.isEmpty() ? "" : ", " + runErrors.size() + " run error(s)", summaryFile,
                reportFile, RunReport.text(summary));
        MDC.remove(RUN_ID);
        last = new RunSummary(runId, exitCode, Map.copyOf(counts), summaryFile, auditFile());
        return last;
    }

    private static void putExport(ObjectNode node, AuditEntry.ExportRecord export) {
        node.put("exportId", export.exportId());
        if (export.windowTo() != null) {
            node.put("windowFrom", export.windowFrom());
            node.put("windowTo", export.windowTo());
        }
        if (export.file() != null) {
            node.put("target", export.target());
            node.put("file", export.file());
            node.put("bytes", export.bytes());
            node.put("sha256", export.sha256());
        }
    }

    public synchronized RunSummary lastRun() {
        return last;
    }

    private String describeCounts() {
        StringBuilder sb = new StringBuilder();
        for (AuditAction action : AuditAction.values()) {
            long n = counts.getOrDefault(action, 0L);
            if (n > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(action.word()).append(' ').append(n);
            }
        }
        return sb.isEmpty() ? "nothing to do" : sb.toString();
    }

    private Path auditFile() {
        return outputDir.resolve("audit").resolve(runId + ".jsonl");
    }

    private void itemHandled() {
        itemsHandled++;
        if (progress == null) {
            return;
        }
        progress.done++;
        Instant now = clock.instant();
        if (Duration.between(progress.lastLog, now).compareTo(progressInterval) >= 0) {
            progress.lastLog = now;
            double seconds = Math.max(0.001, Duration.between(progress.started, now).toMillis() / 1000.0);
            double rate = progress.done / seconds;
            String of = progress.total == null ? "" : "/" + progress.total;
            String eta = progress.total == null || rate <= 0 ? ""
                    : String.format(", about %d s left", Math.max(0, Math.round((progress.total - progress.done) / rate)));
            LOG.info("{}: {}{} items done, {} items/s{}", progress.label, progress.done, of,
                    String.format("%.1f", rate), eta);
        }
    }

    private static final class Progress {
        final String label;
        final Instant started;
        Instant lastLog;
        long done;
        Long total;

        Progress(String label, Instant started) {
            this.label = label;
            this.started = started;
            this.lastLog = started;
        }
    }
}
