package io.github.orchestratorqueueroutes.purge;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.github.orchestratorqueueroutes.run.ArchiveScope;
import io.github.orchestratorqueueroutes.run.AuditAction;
import io.github.orchestratorqueueroutes.run.AuditEntry;
import io.github.orchestratorqueueroutes.run.FailureReason;
import io.github.orchestratorqueueroutes.run.FailureScope;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.RunPlan;
import io.github.orchestratorqueueroutes.run.ShutdownGuard;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of route {@code purge-item} (one listed item, on a worker thread): look at it as listed, fetch and judge
 * its fresh detail, build the PUT, record the outcome. The folder-level steps are {@link PurgeSteps}'.
 */
public class PurgeItemSteps {

    public static final String LISTED_VERDICT = "listedVerdict";
    public static final String FRESH_VERDICT = "freshVerdict";

    private static final Logger LOG = LoggerFactory.getLogger(PurgeItemSteps.class);

    private final QueueDirectory queues;
    private final RunJournal journal;
    private final ShutdownGuard shutdownGuard;
    /** Ids of items of queues linked to several folders: only those can be listed twice in one run. */
    private final Set<Long> sharedItemsSeen = ConcurrentHashMap.newKeySet();

    public PurgeItemSteps(QueueDirectory queues, RunJournal journal, ShutdownGuard shutdownGuard) {
        this.queues = queues;
        this.journal = journal;
        this.shutdownGuard = shutdownGuard;
    }

    /** A new run: items of shared queues may be handled again. */
    void forgetSharedItems() {
        sharedItemsSeen.clear();
    }

    /**
     * Whether an item may begin: not once the service is stopping or a failure stopped the run. An item left so is
     * counted, and the folder's mark does not move past it.
     */
    public boolean mayBegin(Exchange exchange) {
        if (shutdownGuard.running(exchange)) {
            return true;
        }
        AtomicInteger unhandled = exchange.getVariable(PurgeSteps.UNHANDLED_ITEMS, AtomicInteger.class);
        if (unhandled != null) {
            unhandled.incrementAndGet();
        }
        return false;
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
        if (!RunPlan.options(exchange).criteria().selected(listed, exchange.getVariable(PurgeSteps.QUEUE_IDS, List.class),
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
        AtomicInteger unhandled = exchange.getVariable(PurgeSteps.UNHANDLED_ITEMS, AtomicInteger.class);
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

    private void record(Exchange exchange, AuditAction action, String error) {
        PurgeItem item = item(exchange);
        journal.record(new AuditEntry(action, item.folderId(), item.queue(), item.itemId(), item.status(), error));
    }

    private static PurgeItem item(Exchange exchange) {
        return exchange.getVariable(PurgeItem.VARIABLE, PurgeItem.class);
    }

    private static FolderRef folder(Exchange exchange) {
        return exchange.getVariable(PurgeSteps.FOLDER, FolderRef.class);
    }

    private static Instant cutoff(Exchange exchange) {
        return exchange.getVariable(PurgeSteps.CUTOFF, Instant.class);
    }
}
