package io.github.orchestratorqueueroutes.run;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import io.github.orchestratorqueueroutes.purge.PurgeCriteria.Archived;

/**
 * For a run that exports in windows and purges: per exported queue, the end of what its archive holds. The purge
 * clears an item of such a queue only once it finished before that end (it is in a delivered file), so content is
 * archived before it is cleared even when the queue is exported once a day and purged every hour. Items that never
 * finished processing are in no window and are cleared as without an export. Queues that are not exported are not
 * bounded.
 */
public final class ArchiveBounds {

    private final Map<Long, Instant> archivedUpTo = new ConcurrentHashMap<>();

    /** The queue is exported; its archive holds what finished before {@code end} (EPOCH: nothing yet). */
    public void archivedUpTo(long queueId, Instant end) {
        archivedUpTo.merge(queueId, end, (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * The bounds of a folder's exported queues: each up to the end of its archive; a queue whose export was not even
     * planned (its folder failed) waits as if nothing were archived yet.
     *
     * @param exportQueues the run's export.queues (empty: every queue is exported)
     */
    public Map<Long, Archived> waitingFor(List<Long> queueIds, Set<String> exportQueues, LongFunction<String> name) {
        Map<Long, Archived> waiting = new HashMap<>();
        for (long id : queueIds) {
            if (exportQueues.isEmpty() || exportQueues.contains(name.apply(id))) {
                waiting.put(id, Archived.waitingForArchive(archivedUpTo.getOrDefault(id, Instant.EPOCH)));
            }
        }
        return Map.copyOf(waiting);
    }
}
