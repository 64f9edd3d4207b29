package io.github.orchestratorqueueroutes.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.orchestratorqueueroutes.purge.PurgeCriteria.Archived;

/**
 * For an archive-then-purge run: what the delivered exports hold, per queue: the items up to the highest Id noted
 * before a whole-queue snapshot started, or the items that finished before the end of a recurring archive's latest
 * window. The purge clears only those; if any export or delivery failed, it clears nothing.
 */
public final class ArchiveScope {

    private final Map<Long, Archived> archivedByQueue = new ConcurrentHashMap<>();
    private volatile String failure;

    public void delivered(long queueId, Archived archived) {
        archivedByQueue.put(queueId, archived);
    }

    public void failed(String what) {
        failure = what;
    }

    /** Why nothing may be purged, or null when every export was delivered. */
    public String failure() {
        return failure;
    }

    public Map<Long, Archived> archived() {
        return Map.copyOf(archivedByQueue);
    }
}
