package io.github.orchestratorqueueroutes.run;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.orchestratorqueueroutes.purge.PurgeCriteria;

/**
 * What one run does: the settings, or a file request's overrides of them. Lives in exchange variable
 * {@value #VARIABLE} for the length of the run.
 *
 * @param archive       set only for archive-then-purge: what the delivered exports hold
 * @param fullSweep     the purge lists every finished item, whatever the marks say
 * @param archiveBounds set when the run exports in windows and purges: the purge waits for each exported queue's
 *                      archive
 */
public record RunOptions(boolean export, boolean purge, List<String> folders, Set<String> purgeQueues,
        Set<String> exportQueues, PurgeCriteria criteria, boolean dryRun, ArchiveScope archive, boolean fullSweep,
        ArchiveBounds archiveBounds) {

    public static final String VARIABLE = "runOptions";

    /** What the purge selects, the same text for the same statuses, queues and age: the purge marks' key. */
    public String selection() {
        return "statuses=" + String.join(",", criteria.statuses()) + "; queues="
                + (purgeQueues.isEmpty() ? "*" : String.join(",", new TreeSet<>(purgeQueues)))
                + "; older-than=" + criteria.olderThan();
    }
}
