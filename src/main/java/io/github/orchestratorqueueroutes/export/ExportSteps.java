package io.github.orchestratorqueueroutes.export;

import java.time.Clock;
import java.util.function.LongConsumer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.config.Settings;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.odata.OrchestratorCallException;
import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.github.orchestratorqueueroutes.odata.ServerClock;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.purge.QueueDirectory;
import io.github.orchestratorqueueroutes.run.ArchiveBounds;
import io.github.orchestratorqueueroutes.run.ArchiveScope;
import io.github.orchestratorqueueroutes.run.AuditAction;
import io.github.orchestratorqueueroutes.run.AuditEntry;
import io.github.orchestratorqueueroutes.run.FailureReason;
import io.github.orchestratorqueueroutes.run.FailureScope;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.RunPlan;
import io.github.orchestratorqueueroutes.run.RunRequest;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the export routes ({@code routes/export.camel.yaml}) that need Java: start or resume an export, poll
 * it with back-off, ask for its download link, and record the outcome.
 */
public class ExportSteps {

    public static final String RESUMED = "exportResumed";
    public static final String POLLING = "exportPolling";
    /** Archive-then-purge of a whole-queue snapshot: note the queue's newest item before the export starts. */
    public static final String NOTE_NEWEST = "exportNotesNewestItem";
    private static final Logger LOG = LoggerFactory.getLogger(ExportSteps.class);
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Settings.Export settings;
    private final QueueDirectory queues;
    private final ExportState state;
    private final RunJournal journal;
    private final String targetForPeople;
    private final Clock clock;
    private final ServerClock serverClock;
    private final Duration overlap;
    private final List<PlannedExport> plan = new java.util.ArrayList<>();
    /** Where this run's windows end (the run's start in Orchestrator's time minus the overlap); null: snapshots. */
    private Instant windowsEnd;
    private Instant runStartedAt;
    private boolean requested;

    /**
     * @param clock       for poll deadlines
     * @param serverClock Orchestrator's time, for the windows and the export.every check
     * @param overlap     how long before the run's start a window ends, so items committed late are in the next
     */
    public ExportSteps(Settings.Export settings, QueueDirectory queues, ExportState state,
            RunJournal journal, String targetForPeople, Clock clock, ServerClock serverClock, Duration overlap) {
        this.settings = settings;
        this.queues = queues;
        this.state = state;
        this.journal = journal;
        this.targetForPeople = targetForPeople;
        this.clock = clock;
        this.serverClock = serverClock;
        this.overlap = overlap;
    }

    public void beginFolder(Exchange exchange) {
        exchange.setVariable(FolderRef.VARIABLE, exchange.getMessage().getBody(FolderRef.class));
    }

    /** A queue to export, in the first folder the run found it in. */
    public record PlannedExport(FolderRef folder, QueueDirectory.Queue queue, String stateKey) {
    }

    public synchronized void beginRun(Exchange exchange) {
        plan.clear();
        requested = exchange.getVariable(RunRequest.VARIABLE) != null;
        runStartedAt = serverClock.instant();
        windowsEnd = null;
        if (!settings.snapshot()) {
            if (serverClock.known()) {
                windowsEnd = serverClock.instant().minus(overlap).truncatedTo(ChronoUnit.SECONDS);
            } else {
                LOG.warn("Orchestrator's answers carry no Date header: this run exports whole queues (snapshots); the "
                        + "archive's windows go on with the next run that learns the server's time.");
            }
        }
    }

    /**
     * Adds the folder's queues to the run's plan: those in export.queues, or all. A queue linked to several folders
     * holds the same items in each, so it is exported once.
     */
    public synchronized void planFolder(Exchange exchange) {
        FolderRef folder = folder(exchange);
        List<Long> ids = queues.idsOf(folder.id(), RunPlan.options(exchange).exportQueues());
        for (long id : ids) {
            if (plan.stream().noneMatch(p -> p.queue().id() == id)) {
                plan.add(new PlannedExport(folder, queues.find(folder.id(), id), folder.id() + "/" + id + "/"
                        + ExportState.shortHash(String.valueOf(settings.filter()))));
            }
        }
    }

    /** Sets the body to the exports planned for this run. */
    public synchronized void planned(Exchange exchange) {
        for (String name : RunPlan.options(exchange).exportQueues()) {
            if (plan.stream().noneMatch(p -> p.queue().name().equals(name))) {
                LOG.warn("export.queues names '{}', which is in none of the run's folders; check the name "
                        + "(it is case-sensitive) and orchestrator.folders", name);
            }
        }
        ArchiveBounds bounds = RunPlan.options(exchange).archiveBounds();
        if (bounds != null) {
            // the purge after this export clears only what the archive holds, also in queues not due today
            plan.forEach(p -> bounds.archivedUpTo(p.queue().id(),
                    state.archivedUpTo(p.stateKey()).orElse(Instant.EPOCH)));
        }
        exchange.getMessage().setBody(plan.stream().filter(this::due).toList());
    }

    /**
     * An export in flight is resumed; otherwise a queue is exported when export.every has passed since its last
     * delivered export (a request file's run exports at once) and its window can hold anything.
     */
    private boolean due(PlannedExport planned) {
        String what = "Export of queue '" + planned.queue().name() + "' in folder " + planned.folder().path();
        if (state.inFlight(planned.stateKey()).isPresent()) {
            return true;
        }
        Optional<Instant> last = state.lastExportRun(planned.stateKey());
        // a hundredth of the period early still counts, so a daily schedule that fires a little early exports daily
        Duration every = settings.every().minus(settings.every().dividedBy(100));
        if (!requested && last.isPresent() && !every.isZero() && last.get().plus(every).isAfter(runStartedAt)) {
            LOG.info("{} is not due: the last one was made by the run of {} (export.every={})", what, last.get(),
                    settings.every());
            return false;
        }
        if (windowsEnd != null && window(planned.stateKey()).empty()) {
            LOG.info("{} is skipped: nothing can have finished since the last one", what);
            return false;
        }
        return true;
    }

    private ExportWindow window(String stateKey) {
        return new ExportWindow(state.archivedUpTo(stateKey).orElse(null), windowsEnd);
    }

    /** Starts work on one queue; resumes an export a previous run started and did not deliver. */
    public void beginQueue(Exchange exchange) {
        PlannedExport planned = exchange.getMessage().getBody(PlannedExport.class);
        ExportJob job = new ExportJob(planned.folder(), planned.queue(), planned.stateKey());
        exchange.setVariable(ExportJob.VARIABLE, job);
        var previous = state.inFlight(job.stateKey);
        previous.ifPresent(p -> {
            job.exportId = p.exportId();
            job.requestedAt = p.requestedAt();
            job.highestItemId = p.highestItemId();
            job.window = p.window();
            LOG.info("Resuming {} requested at {} by an earlier run", job.describe(), p.requestedAt());
        });
        if (previous.isEmpty() && windowsEnd != null) {
            job.window = window(job.stateKey);
        }
        exchange.setVariable(RESUMED, previous.isPresent());
        exchange.setVariable(NOTE_NEWEST, RunPlan.options(exchange).archive() != null && job.window == null);
        job.pollDelay = settings.pollInterval();
        job.pollDeadline = clock.instant().plus(settings.pollTimeout());
        exchange.setVariable(POLLING, true);
    }

    /** For archive-then-purge: asks for the queue's newest item, before the export starts. */
    public void highestIdRequest(Exchange exchange) {
        ExportJob job = job(exchange);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("$filter", "QueueDefinitionId eq " + job.queue.id());
        query.put("$orderby", "Id desc");
        query.put("$top", "1");
        exchange.setVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.get("odata/QueueItems", job.folder.id(),
                "GET newest item of queue " + job.queue.id()).withQuery(query));
    }

    public void rememberHighestId(Exchange exchange) {
        JsonNode newest = exchange.getMessage().getBody(JsonNode.class).path("value").path(0);
        job(exchange).highestItemId = newest.path("Id").asLong(0);
    }

    public void startRequest(Exchange exchange) {
        ExportJob job = job(exchange);
        state.reserveStart();
        Map<String, String> query = new LinkedHashMap<>();
        StringBuilder filter = new StringBuilder("((QueueDefinitionId eq " + job.queue.id() + "))");
        if (settings.filter() != null) {
            filter.append(" and (").append(settings.filter()).append(')');
        }
        if (job.window != null) {
            filter.append(" and (").append(job.window.filter()).append(')');
        }
        query.put("$filter", filter.toString());
        query.put("$expand", "Robot,ReviewerUser");
        exchange.setVariable(OrchestratorRequest.VARIABLE, new OrchestratorRequest("POST",
                "odata/QueueDefinitions(" + job.queue.id() + ")/UiPathODataSvc.Export", query, job.folder.id(), null,
                "POST QueueDefinitions(" + job.queue.id() + ")/UiPathODataSvc.Export").withQuery(query));
    }

    /** Persists the new export before any poll, so a crash from here on resumes it. */
    /** The export target as the messages name it, without secrets. */
    String targetForPeople() {
        return targetForPeople;
    }

    /** Logs a download's progress every few seconds. */
    LongConsumer downloadProgress(ExportJob job) {
        return journal.downloadProgress(job.describe(), job.size);
    }

    public void started(Exchange exchange) {
        ExportJob job = job(exchange);
        JsonNode reply = exchange.getMessage().getBody(JsonNode.class);
        if (reply == null || !reply.path("Id").canConvertToLong()) {
            throw new OrchestratorCallException("The export start for queue '" + job.queue.name()
                    + "' returned no export Id.", 200, null);
        }
        job.exportId = reply.get("Id").asLong();
        job.requestedAt = serverClock.instant();
        state.inFlight(job.stateKey, new ExportState.InFlight(job.exportId, job.requestedAt, job.highestItemId,
                job.window));
        journal.exportStarted(job.queue.name());
        LOG.info("Started {}; {} export start(s) left today", job.describe(), state.startsLeftToday());
    }

    public void pollRequest(Exchange exchange) {
        ExportJob job = job(exchange);
        exchange.setVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.get("odata/Exports(" + job.exportId + ")",
                job.folder.id(), "GET Exports(" + job.exportId + ")"));
    }

    /** Reads a poll reply: ends the loop when Completed, fails on Failed or when export.poll.timeout has passed. */
    public void polled(Exchange exchange) {
        ExportJob job = job(exchange);
        JsonNode reply = exchange.getMessage().getBody(JsonNode.class);
        job.status = reply.path("Status").asText("");
        switch (job.status) {
            case "Completed" -> {
                job.size = reply.path("Size").canConvertToLong() ? reply.get("Size").asLong() : -1;
                exchange.setVariable(POLLING, false);
                LOG.info("{} is ready ({} bytes)", capitalized(job.describe()), job.size < 0 ? "unknown" : job.size);
            }
            case "Failed" -> {
                state.done(job.stateKey);
                throw new ExportFailedException("Orchestrator reports " + job.describe()
                        + " as Failed; a later run starts a new one.");
            }
            default -> {
                Instant now = clock.instant();
                if (!now.isBefore(job.pollDeadline)) {
                    throw new ExportFailedException(capitalized(job.describe()) + " is still " + job.status
                            + " after export.poll.timeout (" + settings.pollTimeout() + "); the next run resumes it.");
                }
                LOG.info("{} is {} ({} s since it was requested); next look in {} s", capitalized(job.describe()),
                        job.status, Duration.between(job.requestedAt, now).toSeconds(),
                        String.format("%.1f", job.pollDelay.toMillis() / 1000.0));
                Duration doubled = job.pollDelay.multipliedBy(2);
                job.pollDelay = doubled.compareTo(settings.pollMaxInterval()) > 0 ? settings.pollMaxInterval() : doubled;
            }
        }
    }

    public void linkRequest(Exchange exchange) {
        ExportJob job = job(exchange);
        exchange.setVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.get("odata/Exports(" + job.exportId
                + ")/UiPath.Server.Configuration.OData.GetDownloadLink", job.folder.id(),
                "GET download link of export " + job.exportId));
    }

    /** The final file name, from export.file-name. */
    public String fileName(ExportJob job) {
        if (job.fileName == null) {
            job.fileName = settings.fileName()
                    .replace("${queue}", safe(job.queue.name()))
                    .replace("${folder}", safe(job.folder.path()))
                    .replace("${exportId}", String.valueOf(job.exportId))
                    .replace("${timestamp}", FILE_TIME.format(clock.instant()))
                    .replace("${from}", job.window == null ? "start" : job.window.fromForFileName())
                    .replace("${to}", job.window == null ? FILE_TIME.format(job.requestedAt)
                            : job.window.toForFileName());
        }
        return job.fileName;
    }

    public void recordDelivered(Exchange exchange) {
        ExportJob job = job(exchange);
        DeliveredStream stream = job.delivered;
        state.delivered(job.stateKey, job.window, runStartedAt);
        ArchiveBounds bounds = RunPlan.options(exchange).archiveBounds();
        if (bounds != null && job.window != null) {
            bounds.archivedUpTo(job.queue.id(), job.window.to());
        }
        ArchiveScope archive = RunPlan.options(exchange).archive();
        if (archive != null && job.window != null) {
            archive.delivered(job.queue.id(), PurgeCriteria.Archived.finishedBefore(job.window.to()));
        } else if (archive != null && job.highestItemId != null) {
            archive.delivered(job.queue.id(), PurgeCriteria.Archived.upToId(job.highestItemId));
        }
        journal.record(new AuditEntry(AuditAction.EXPORTED, job.folder.id(), job.queue.name(), null, job.status, null,
                new AuditEntry.ExportRecord(job.exportId, targetForPeople, job.fileName, stream.deliveredBytes(),
                        stream.sha256(), windowFrom(job), windowTo(job))));
        LOG.info("Delivered {} as {} ({} bytes{}, sha256 {}{})", job.describe(), job.fileName, stream.deliveredBytes(),
                stream.zipped() ? ", unzipped from " + stream.downloadedBytes() : "", stream.sha256(),
                job.window == null ? "" : "; items that finished in " + job.window);
    }

    public void recordFailure(Exchange exchange) {
        ExportJob job = job(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (FailureScope.stopsTheRun(failure)) {
            // left for the next run, which resumes it; the run stops once the exports in flight are done
            journal.stopRun(failure);
            return;
        }
        if (failure instanceof OrchestratorCallException call && Integer.valueOf(4502).equals(call.errorCode())) {
            state.quotaReached();
        }
        if (failure instanceof OrchestratorCallException call && call.status() == 404 && job.exportId != null
                && !"Completed".equals(job.status)) {
            // exports are deleted after 7 days (or lived on another server): start afresh next time
            state.done(job.stateKey);
        }
        String reason = failure == null ? "unknown failure" : FailureReason.of(failure);
        ExportTarget.discardTemporary(settings.target(), job.fileName);
        ArchiveScope archive = RunPlan.options(exchange).archive();
        if (archive != null) {
            archive.failed(job.describe());
        }
        LOG.warn("{} failed: {}", capitalized(job.describe()), reason);
        LOG.debug("Failure detail", failure);
        journal.record(new AuditEntry(AuditAction.FAILED, job.folder.id(), job.queue.name(), null, job.status, reason,
                new AuditEntry.ExportRecord(job.exportId, null, null, null, null, windowFrom(job), windowTo(job))));
    }

    public void recordFolderFailure(Exchange exchange) {
        journal.folderFailed("Export", exchange);
    }

    private static String windowFrom(ExportJob job) {
        return job.window == null || job.window.from() == null ? null : job.window.from().toString();
    }

    private static String windowTo(ExportJob job) {
        return job.window == null ? null : job.window.to().toString();
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static ExportJob job(Exchange exchange) {
        return exchange.getVariable(ExportJob.VARIABLE, ExportJob.class);
    }

    private static FolderRef folder(Exchange exchange) {
        return exchange.getVariable(FolderRef.VARIABLE, FolderRef.class);
    }
}
