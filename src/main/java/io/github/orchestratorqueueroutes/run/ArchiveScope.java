package io.github.orchestratorqueueroutes.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For an archive-then-purge run: which items the exports covered. For each delivered queue, the highest item Id
 * that existed just before its export started (item Ids only grow, so every item at or below it existed then).
 * The purge clears only those; if any export or delivery failed, it clears nothing.
 */
public final class ArchiveScope {

    private final Map<Long, Long> highestIdByQueue = new ConcurrentHashMap<>();
    private volatile String failure;

    public void delivered(long queueId, long highestItemId) {
        highestIdByQueue.put(queueId, highestItemId);
    }

    public void failed(String what) {
        failure = what;
    }

    /** Why nothing may be purged, or null when every export was delivered. */
    public String failure() {
        return failure;
    }

    /** The highest item Id the purge may clear in this queue, or null when the queue was not archived. */
    public Long highestId(long queueId) {
        return highestIdByQueue.get(queueId);
    }

    public Map<Long, Long> archived() {
        return Map.copyOf(highestIdByQueue);
    }
}
