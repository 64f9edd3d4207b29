package io.github.orchestratorqueueroutes.purge;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.odata.KeysetPaging;
import io.github.orchestratorqueueroutes.odata.OrchestratorCaller;
import io.github.orchestratorqueueroutes.odata.ServerClock;
import io.github.orchestratorqueueroutes.export.ExportFailedException;
import io.github.orchestratorqueueroutes.run.ArchiveScope;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.RunOptions;
import io.github.orchestratorqueueroutes.run.RunPlan;
import io.github.orchestratorqueueroutes.run.ShutdownGuard;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run- and folder-level steps of the purge routes ({@code routes/purge.camel.yaml}): the cutoff, the folder's
 * selection and pass (incremental or a full sweep, {@link PurgeMarks}), the listing, and the mark at the end. An
 * item's own steps are {@link PurgeItemSteps}'.
 */
public class PurgeSteps {

    public static final String FOLDER = FolderRef.VARIABLE;
    public static final String CUTOFF = "purgeCutoff";
    public static final String QUEUE_IDS = "purgeQueueIds";
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
    private final PurgeItemSteps items;

    /**
     * @param listing     where the item list calls run, beside the items being worked on
     * @param serverClock Orchestrator's time, for the age cutoff and the marks
     */
    public PurgeSteps(int pageSize, QueueDirectory queues, RunJournal journal, OrchestratorCaller orchestrator,
            Executor listing, ShutdownGuard shutdownGuard, PurgeMarks marks, ServerClock serverClock,
            PurgeItemSteps items) {
        this.items = items;
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
        items.forgetSharedItems();
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
        RunOptions options = RunPlan.options(exchange);
        Map<Long, PurgeCriteria.Archived> archived = archive != null ? archive.archived()
                : options.archiveBounds() == null ? Map.of()
                : options.archiveBounds().waitingFor(ids, options.exportQueues(),
                        id -> queues.find(folder.id(), id).name());
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
        // archive-then-purge lists what the archive covers, whatever the marks say, and sets none
        PurgeMarks.Pass pass = archive != null ? null : marks.plan(folder, options.selection(), options.fullSweep(),
                serverClock.known(), PurgeMarks.atMost(cutoff(exchange), archived.values()));
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

    /** After the split over {@link #listedItems}: a page that could not be read fails the folder now. */
    public void endItems(Exchange exchange) {
        KeysetPaging.Rows rows = exchange.getVariable(LISTED_ROWS, KeysetPaging.Rows.class);
        if (rows != null && rows.failure() != null) {
            throw rows.failure();
        }
    }

    public void recordFolderFailure(Exchange exchange) {
        journal.folderFailed("Purge", exchange);
    }

    private static ArchiveScope archive(Exchange exchange) {
        return RunPlan.options(exchange).archive();
    }

    private static FolderRef folder(Exchange exchange) {
        return exchange.getVariable(FOLDER, FolderRef.class);
    }

    private static Instant cutoff(Exchange exchange) {
        return exchange.getVariable(CUTOFF, Instant.class);
    }
}
