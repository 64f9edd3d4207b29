package io.github.orchestratorqueueroutes.purge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.state.StateDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the purge has fully worked, per folder and selection (statuses, queues, older-than), in Orchestrator's
 * time: every item of that selection that finished before the mark was handled. A later pass lists only what
 * finished since the mark minus {@code purge.overlap} (for clock skew and late commits). Items that become eligible
 * without a new {@code EndProcessing} (a New item deleted by a user, a Failed item retried by hand long after) are
 * caught by a full sweep: on the first pass of a selection, every {@code purge.full-sweep-every}, and on request.
 * <p>
 * A mark advances only through {@link #passSucceeded}, which the purge calls when a folder's pass ended with every
 * page read and no item failed or left unreached.
 */
public class PurgeMarks {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeMarks.class);

    private final StateDocument document;
    private final Duration overlap;
    private final Duration fullSweepEvery;
    private final Clock serverClock;

    /**
     * One folder's pass over one selection.
     *
     * @param since      list only items that finished at or after this; null for a full sweep
     * @param workedUpTo the mark the pass sets when it succeeds: Orchestrator's time when it began, or the latest
     *                   time up to which items were eligible if earlier; null when the server's time is unknown,
     *                   and then the pass sets no mark
     * @param startedAt  Orchestrator's time when the pass began, the time of its full sweep if it is one
     * @param why        why a pass is full, for the log and the summary; null for an incremental one
     */
    public record Pass(String key, String selection, Instant since, Instant workedUpTo, Instant startedAt,
            String why) {

        public boolean full() {
            return since == null;
        }
    }

    /**
     * @param serverClock Orchestrator's time; {@code known()} false on a ServerClock means no answer told it yet
     */
    public PurgeMarks(StateDocument document, Duration overlap, Duration fullSweepEvery, Clock serverClock) {
        this.document = document;
        this.overlap = overlap;
        this.fullSweepEvery = fullSweepEvery;
        this.serverClock = serverClock;
    }

    /**
     * Plans a folder's pass.
     *
     * @param selection   the selection's description, the same text for the same statuses, queues and age
     * @param fullRequest a full sweep was asked for (request file, command line)
     * @param serverTime  whether {@code serverClock} tells Orchestrator's time (from an answer's Date header)
     * @param atMost      the latest time the pass can work up to, when items that finished later are not eligible yet
     *                    (the age cutoff, or their archive); null when it is the pass's start
     */
    public synchronized Pass plan(FolderRef folder, String selection, boolean fullRequest, boolean serverTime,
            Instant atMost) {
        Pass pass = plan(folder.id(), selection, fullRequest, serverTime, atMost);
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
     * The latest time a pass can work up to: items that finished later are not eligible (the age cutoff) or wait
     * for their archive, so a mark past it would leave them to the next full sweep.
     */
    public static Instant atMost(Instant cutoff, Collection<PurgeCriteria.Archived> archived) {
        Instant limit = cutoff;
        for (PurgeCriteria.Archived bound : archived) {
            if (bound.finishedBefore() != null && (limit == null || bound.finishedBefore().isBefore(limit))) {
                limit = bound.finishedBefore();
            }
        }
        return limit;
    }

    private Pass plan(long folderId, String selection, boolean fullRequest, boolean serverTime, Instant atMost) {
        String key = folderId + "/" + StateDocument.shortHash(selection);
        Instant now = serverClock.instant();
        Instant startedAt = serverTime ? now.truncatedTo(ChronoUnit.SECONDS) : null;
        Instant workedUpTo = startedAt;
        if (workedUpTo != null && atMost != null && atMost.isBefore(workedUpTo)) {
            workedUpTo = atMost.truncatedTo(ChronoUnit.SECONDS);
        }
        JsonNode entry = document.read().path("purgeMarks").path(key);
        Instant mark = instant(entry.get("mark"));
        Instant lastFullSweep = instant(entry.get("lastFullSweep"));
        String why = null;
        if (fullRequest) {
            why = "a full sweep was requested";
        } else if (mark == null || lastFullSweep == null) {
            why = "first pass of this selection in this folder";
        } else if (!lastFullSweep.plus(fullSweepEvery).isAfter(now)) {
            why = "last full sweep " + lastFullSweep + " (purge.full-sweep-every=" + fullSweepEvery + ")";
        }
        Instant since = why == null ? mark.minus(overlap) : null;
        return new Pass(key, selection, since, workedUpTo, startedAt, why);
    }

    /** The pass handled every item it listed and read every page: its selection is worked up to its start. */
    public synchronized void passSucceeded(Pass pass) {
        if (pass.workedUpTo() == null) {
            return;
        }
        ObjectNode state = document.read();
        ObjectNode entry = state.with("purgeMarks").with(pass.key());
        Instant previous = instant(entry.get("mark"));
        entry.put("selection", pass.selection());
        if (previous == null || !previous.isAfter(pass.workedUpTo())) {
            // else a later pass (another instance of the cluster, a request run) already got further
            entry.put("mark", pass.workedUpTo().toString());
        }
        if (pass.full()) {
            entry.put("lastFullSweep", pass.startedAt().toString());
        }
        document.write(state);
    }

    private Instant instant(JsonNode node) {
        try {
            return node == null || node.isNull() ? null : Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw document.unreadable("'" + node.asText() + "' is not a time");
        }
    }
}
