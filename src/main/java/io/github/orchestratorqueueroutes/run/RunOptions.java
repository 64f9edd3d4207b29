package io.github.orchestratorqueueroutes.run;

import java.util.List;
import java.util.Set;

import io.github.orchestratorqueueroutes.purge.PurgeCriteria;

/**
 * What one run does ({@code archive} is set only for archive-then-purge): the settings, or a file request's overrides of them. Lives in exchange variable
 * {@value #VARIABLE} for the length of the run.
 */
public record RunOptions(boolean export, boolean purge, List<String> folders, Set<String> purgeQueues,
        Set<String> exportQueues, PurgeCriteria criteria, boolean dryRun, ArchiveScope archive) {

    public static final String VARIABLE = "runOptions";
}
