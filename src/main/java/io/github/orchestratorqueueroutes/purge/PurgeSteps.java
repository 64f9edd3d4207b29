package io.github.orchestratorqueueroutes.purge;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.odata.KeysetPaging;
import io.github.orchestratorqueueroutes.odata.OrchestratorCaller;
import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.github.orchestratorqueueroutes.odata.ServerClock;
import io.github.orchestratorqueueroutes.export.ExportFailedException;
import io.github.orchestratorqueueroutes.run.ArchiveScope;
import io.github.orchestratorqueueroutes.run.AuditAction;
import io.github.orchestratorqueueroutes.run.AuditEntry;
import io.github.orchestratorqueueroutes.run.FailureReason;
import io.github.orchestratorqueueroutes.run.FailureScope;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.RunOptions;
import io.github.orchestratorqueueroutes.run.RunPlan;
import io.github.orchestratorqueueroutes.run.ShutdownGuard;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the purge routes ({@code routes/purge.camel.yaml}) that need Java: each reads and writes exchange
 * variables and delegates the decision to {@link PurgeCriteria}, {@link PurgeBody} or {@link QueueDirectory}.
 */
public class PurgeSteps {

    public static final String FOLDER = FolderRef.VARIABLE;
    public static final String CUTOFF = "purgeCutoff";
    public static final String QUEUE_IDS = "purgeQueueIds";
    public static final String LISTED_VERDICT = "listedVerdict";
    public static final String FRESH_VERDICT = "freshVerdict";
    public static final String LISTED_ROWS = "purgeListedRows";
    public static final String PASS = "purgePass";
    /** Items of the folder's pass that failed or were not begun; the split's item exchanges share the counter. */
    public static final String UNHANDLED_ITEMS = "purgeUnhandledItems";

    private static final Logger LOG = LoggerFactory.getLogger(PurgeSteps.class);

    private final int pageSize;
    private final QueueDirectory queues;
    private final RunJournal journal;
    private final OrchestratorCaller orchestrator;
    private final Executor listing;
    private final ShutdownGuard shutdownGuard;
    private final PurgeMarks marks;
    private final ServerClock serverClock;
    /** Ids of items of queues linked to several folders: only those can be listed twice in one run. */
    private final Set<Long> sharedItemsSeen = ConcurrentHashMap.newKeySet();

    /**
     * @param listing     where the item list calls run, beside the items being worked on
     * @param serverClock Orchestrator's time, for the age cutoff and the marks
     */
    public PurgeSteps(int pageSize, QueueDirectory queues, RunJournal journal, OrchestratorCaller orchestrator,
            Executor listing, ShutdownGuard shutdownGuard, PurgeMarks marks, ServerClock serverClock) {
        this.pageSize = pageSize;
        this.queues = queues;
        this.journal = journal;
        this.orchestrator = orchestrator;
        this.listing = listing;
        this.shutdownGuard = shutdownGuard;
        this.marks = marks;
        this.serverClock = serverClock;
    }

    public void beginRun(Exchange exchange) {
        ArchiveScope archive = RunPlan.options(exchange).archive();
        if (archive != null && archive.failure() != null) {
            throw new ExportFailedException("Nothing was purged: archive-then-purge clears only what was archived, and "
                    + "the " + archive.failure() + " did not complete.");
        }
        if (!serverClock.known()) {
            LOG.warn("Orchestrator's answers carry no Date header: purge marks cannot be set in the server's time, so "
                    + "every pass of this run lists every finished item (see README \"When runs happen\").");
        }
        Instant cutoff = RunPlan.options(exchange).criteria().cutoff(serverClock.instant());
        if (cutoff != null) {
            exchange.setVariable(CUTOFF, cutoff);
        }
        sharedItemsSeen.clear();
    }

    public void beginFolder(Exchange exchange) {
        FolderRef folder = exchange.getMessage().getBody(FolderRef.class);
        exchange.setVariable(FOLDER, folder);
        journal.folderStarted("purge", folder.id(), folder.path());
    }

    public void beginItems(Exchange exchange) {
        FolderRef folder = folder(exchange);
        Set<String> queueNames = RunPlan.options(exchange).purgeQueues();
        PurgeCriteria criteria = RunPlan.options(exchange).criteria();
        List<Long> ids = queues.idsOf(folder.id(), queueNames);
        if (!queueNames.isEmpty() && ids.isEmpty() && archive(exchange) == null) {
            LOG.debug("purge {} ({}): none of the queues in purge.queues is in this folder", folder.path(), folder.id());
        }
        List<Long> selected = queueNames.isEmpty() ? null : ids;
        ArchiveScope archive = RunPlan.options(exchange).archive();
        Map<Long, PurgeCriteria.Archived> archived = archive != null ? archive.archived()
                : waitingForArchive(exchange, ids);
        if (archive != null) {
            // only queues whose export was delivered, and in them only what the delivered files hold
            selected = ids.stream().filter(archived::containsKey).toList();
        } else if (selected == null && !archived.isEmpty()) {
            // the bounds are per queue: name the folder's queues in the filter
            selected = ids;
        }
        exchange.setVariable(QUEUE_IDS, selected);
        if (selected != null && selected.isEmpty()) {
            // nothing of this folder is selected: no list call
            exchange.removeVariable(LISTED_ROWS);
            return;
        }
        PurgeMarks.Pass pass = archive == null
                ? plannedPass(exchange, folder, workedUpToAtMost(exchange, archived)) : null;
        exchange.setVariable(PASS, pass);
        exchange.setVariable(UNHANDLED_ITEMS, new AtomicInteger());
        KeysetPaging.Cursor cursor = new KeysetPaging.Cursor("odata/QueueItems",
                criteria.listFilter(selected, cutoff(exchange), archived, pass == null ? null : pass.since()),
                folder.id(), pageSize, "GET QueueItems");
        // the list calls copy this, not the folder's exchange, which the split works on meanwhile
        Exchange call = exchange.copy();
        // set here, not when the split asks for the rows: the split restores the variables it found when it began
        exchange.setVariable(LISTED_ROWS, new KeysetPaging.Rows(cursor, request -> orchestrator.call(call, request),
                listing, page -> journal.listed(folder.id(), page.size(), cursor.total()),
                () -> shutdownGuard.running(call)));
    }

    /**
     * The folder's items as listed, the next page listed while the workers take the items of this one (the split
     * over them streams). The list calls go through the route orchestrator-request like every other call, on their
     * own thread. Once the service is stopping no further page is read.
     */
    public Iterator<JsonNode> listedItems(Exchange exchange) {
        KeysetPaging.Rows rows = exchange.getVariable(LISTED_ROWS, KeysetPaging.Rows.class);
        return rows == null ? Collections.emptyIterator() : rows;
    }

    /**
     * Beside an export in windows, each exported queue of the folder is cleared only up to the end of its archive; a
     * queue whose export was not even planned (its folder failed) waits as if nothing were archived yet.
     */
    private Map<Long, PurgeCriteria.Archived> waitingForArchive(Exchange exchange, List<Long> ids) {
        RunOptions options = RunPlan.options(exchange);
        if (options.archiveBounds() == null) {
            return Map.of();
        }
        Map<Long, PurgeCriteria.Archived> bounds = options.archiveBounds().bounds();
        Map<Long, PurgeCriteria.Archived> waiting = new java.util.HashMap<>();
        for (long id : ids) {
            QueueDirectory.Queue queue = queues.find(folder(exchange).id(), id);
            if (options.exportQueues().isEmpty() || options.exportQueues().contains(queue.name())) {
                waiting.put(id, bounds.getOrDefault(id, PurgeCriteria.Archived.waitingForArchive(Instant.EPOCH)));
            }
        }
        return Map.copyOf(waiting);
    }

    /**
     * The latest time a pass can have worked up to: items that finished later were not eligible (the age cutoff) or
     * wait for their archive, so a mark past it would leave them to the next full sweep.
     */
    private static Instant workedUpToAtMost(Exchange exchange, Map<Long, PurgeCriteria.Archived> archived) {
        Instant limit = cutoff(exchange);
        for (PurgeCriteria.Archived bound : archived.values()) {
            if (bound.finishedBefore() != null && (limit == null || bound.finishedBefore().isBefore(limit))) {
                limit = bound.finishedBefore();
            }
        }
        return limit;
    }

    /** Archive-then-purge lists what the archive covers, whatever the marks say, and sets none. */
    private PurgeMarks.Pass plannedPass(Exchange exchange, FolderRef folder, Instant workedUpToAtMost) {
        RunOptions options = RunPlan.options(exchange);
        PurgeMarks.Pass pass = marks.plan(folder.id(), options.selection(), options.fullSweep(), serverClock.known(),
                workedUpToAtMost);
        if (pass.full()) {
            LOG.info("purge {} ({}): full sweep, every finished item is listed: {}", folder.path(), folder.id(),
                    pass.why());
        } else {
            LOG.info("purge {} ({}): items that finished since {} (the mark minus purge.overlap)", folder.path(),
                    folder.id(), pass.since());
        }
        return pass;
    }

    /**
     * After the folder's items, once nothing failed or stops the run: the selection is worked up to the pass's
     * start. A dry run changes nothing and moves no mark.
     */
    public void endFolder(Exchange exchange) {
        PurgeMarks.Pass pass = exchange.getVariable(PASS, PurgeMarks.Pass.class);
        KeysetPaging.Rows rows = exchange.getVariable(LISTED_ROWS, KeysetPaging.Rows.class);
        AtomicInteger unhandled = exchange.getVariable(UNHANDLED_ITEMS, AtomicInteger.class);
        if (pass != null && rows != null && rows.complete() && unhandled.get() == 0
                && !RunPlan.options(exchange).dryRun()) {
            marks.passSucceeded(pass);
        }
    }

    /**
     * Whether an item may begin: not once the service is stopping or a failure stopped the run. An item left so is
     * counted, and the folder's mark does not move past it.
     */
    public boolean mayBegin(Exchange exchange) {
        if (shutdownGuard.running(exchange)) {
            return true;
        }
        AtomicInteger unhandled = exchange.getVariable(UNHANDLED_ITEMS, AtomicInteger.class);
        if (unhandled != null) {
            unhandled.incrementAndGet();
        }
        return false;
    }

    /** After the split over {@link #listedItems}: a page that could not be read fails the folder now. */
    public void endItems(Exchange exchange) {
        KeysetPaging.Rows rows = exchange.getVariable(LISTED_ROWS, KeysetPaging.Rows.class);
        if (rows != null && rows.failure() != null) {
            throw rows.failure();
        }
    }

    /**
     * Looks at an item as listed. Sets {@value #LISTED_VERDICT}: {@code candidate} (fetch and clear it),
     * {@code skipped-empty} (content already empty: no further call), or {@code passed-over} (not selected, or
     * already handled in another folder of its queue).
     */
    @SuppressWarnings("unchecked")
    public void inspectListed(Exchange exchange) {
        JsonNode listed = exchange.getMessage().getBody(JsonNode.class);
        FolderRef folder = folder(exchange);
        long queueId = listed.path("QueueDefinitionId").asLong(-1);
        QueueDirectory.Queue queue = queues.find(folder.id(), queueId);
        PurgeItem item = new PurgeItem(folder.id(), listed.path("Id").asLong(-1), queueId,
                queue == null ? null : queue.name(), PurgeCriteria.statusName(listed.get("Status")));
        exchange.setVariable(PurgeItem.VARIABLE, item);
        journal.itemListed(folder.id(), item.queue());
        if (queue == null) {
            throw new MalformedItemException("its queue definition " + queueId
                    + " is not among the queues of folder " + folder.id());
        }
        String verdict;
        ArchiveScope archive = RunPlan.options(exchange).archive();
        if (!RunPlan.options(exchange).criteria().selected(listed, exchange.getVariable(QUEUE_IDS, List.class),
                cutoff(exchange), archive == null ? Map.of() : archive.archived())) {
            verdict = "passed-over";
        } else if (queue.foldersCount() > 1 && !sharedItemsSeen.add(item.itemId())) {
            verdict = "passed-over";
        } else if (!PurgeCriteria.hasContent(listed)) {
            verdict = "skipped-empty";
        } else {
            verdict = "candidate";
        }
        exchange.setVariable(LISTED_VERDICT, verdict);
    }

    public void detailRequest(Exchange exchange) {
        PurgeItem item = item(exchange);
        exchange.setVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.get(
                "odata/QueueItems(" + item.itemId() + ")", item.folderId(), "GET QueueItems(" + item.itemId() + ")"));
    }

    /**
     * Judges the fresh detail in the body. Sets {@value #FRESH_VERDICT}: {@code clear}, {@code skipped-status} (no
     * longer in an allowed status) or {@code skipped-empty}.
     */
    public void judgeDetail(Exchange exchange) {
        JsonNode detail = exchange.getMessage().getBody(JsonNode.class);
        PurgeItem item = item(exchange);
        if (detail == null || !detail.isObject() || detail.path("Id").asLong(-1) != item.itemId()) {
            throw new MalformedItemException("the detail reply for item " + item.itemId() + " is not that item");
        }
        item = item.withStatus(PurgeCriteria.statusName(detail.get("Status")));
        exchange.setVariable(PurgeItem.VARIABLE, item);
        String verdict;
        if (!RunPlan.options(exchange).criteria().statusAllowed(detail.get("Status"))) {
            verdict = "skipped-status";
        } else if (!PurgeCriteria.hasContent(detail)) {
            verdict = "skipped-empty";
        } else {
            verdict = "clear";
        }
        exchange.setVariable(FRESH_VERDICT, verdict);
    }

    public void putRequest(Exchange exchange) {
        JsonNode detail = exchange.getMessage().getBody(JsonNode.class);
        PurgeItem item = item(exchange);
        String body = PurgeBody.build(detail, item.queue()).toString();
        exchange.setVariable(OrchestratorRequest.VARIABLE, OrchestratorRequest.put(
                "odata/QueueItems(" + item.itemId() + ")", item.folderId(), body, "PUT QueueItems(" + item.itemId() + ")"));
    }

    public void recordCleared(Exchange exchange) {
        record(exchange, AuditAction.CLEARED, null);
    }

    public void recordWouldClear(Exchange exchange) {
        record(exchange, AuditAction.WOULD_CLEAR, null);
    }

    public void recordSkippedEmpty(Exchange exchange) {
        record(exchange, AuditAction.SKIPPED_EMPTY, null);
    }

    public void recordSkippedStatus(Exchange exchange) {
        record(exchange, AuditAction.SKIPPED_STATUS, null);
    }

    public void recordPassedOver(Exchange exchange) {
        journal.itemPassedOver();
    }

    public void recordFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        AtomicInteger unhandled = exchange.getVariable(UNHANDLED_ITEMS, AtomicInteger.class);
        if (unhandled != null) {
            unhandled.incrementAndGet();
        }
        if (FailureScope.stopsTheRun(failure)) {
            // the item is left for the next run; the run stops once the items in flight are done
            journal.stopRun(failure);
            return;
        }
        String reason = failure == null ? "unknown failure" : FailureReason.of(failure);
        LOG.warn("Item {} failed: {}", item(exchange).itemId(), reason);
        record(exchange, AuditAction.FAILED, reason);
    }

    public void recordFolderFailure(Exchange exchange) {
        journal.folderFailed("Purge", exchange);
    }

    private void record(Exchange exchange, AuditAction action, String error) {
        PurgeItem item = item(exchange);
        journal.record(new AuditEntry(action, item.folderId(), item.queue(), item.itemId(), item.status(), error));
    }

    private static ArchiveScope archive(Exchange exchange) {
        return RunPlan.options(exchange).archive();
    }

    private static PurgeItem item(Exchange exchange) {
        return exchange.getVariable(PurgeItem.VARIABLE, PurgeItem.class);
    }

    private static FolderRef folder(Exchange exchange) {
        return exchange.getVariable(FOLDER, FolderRef.class);
    }

    private static Instant cutoff(Exchange exchange) {
        return exchange.getVariable(CUTOFF, Instant.class);
    }
}
