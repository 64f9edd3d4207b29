package io.github.orchestratorqueueroutes.run;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.orchestratorqueueroutes.config.Settings;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import org.apache.camel.Exchange;

/** Works out what a run does: the settings, overridden by the file request that started it, if any. */
public class RunPlan {

    public static final String RUNS_EXPORT = "runsExport";
    public static final String RUNS_PURGE = "runsPurge";
    public static final String DRY_RUN = "purgeDryRun";
    public static final String ARCHIVE_THEN_PURGE = "archiveThenPurge";

    private final Settings settings;
    private final RunJournal journal;

    public RunPlan(Settings settings, RunJournal journal) {
        this.settings = settings;
        this.journal = journal;
    }

    public void begin(Exchange exchange) {
        RunOptions options = optionsFor(exchange.getVariable(RunRequest.VARIABLE, RunRequest.class));
        exchange.setVariable(RunOptions.VARIABLE, options);
        exchange.setVariable(RUNS_EXPORT, options.export());
        exchange.setVariable(RUNS_PURGE, options.purge());
        exchange.setVariable(DRY_RUN, options.dryRun());
        exchange.setVariable(ARCHIVE_THEN_PURGE, options.archive() != null);
        journal.announce(describe(options));
    }

    /**
     * For the line that opens the run, e.g. "export of every queue, then purge (dry run) of Successful,Retried,Deleted
     * items older than PT720H, every folder".
     */
    static String describe(RunOptions o) {
        List<String> jobs = new java.util.ArrayList<>();
        if (o.export()) {
            jobs.add("export" + (o.exportQueues().isEmpty() ? " of every queue" : " of queues " + o.exportQueues()));
        }
        if (o.purge()) {
            jobs.add((o.archive() != null ? "purge of what was archived" : "purge") + (o.dryRun() ? " (dry run)" : "")
                    + " of " + String.join(",", o.criteria().statuses()) + " items"
                    + (o.criteria().olderThan().isZero() ? "" : " older than " + o.criteria().olderThan())
                    + (o.purgeQueues().isEmpty() ? "" : " in queues " + o.purgeQueues())
                    + (o.fullSweep() && o.archive() == null ? " (full sweep)" : ""));
        }
        return (jobs.isEmpty() ? "no job enabled" : String.join(", then ", jobs))
                + (o.folders().isEmpty() ? ", every folder" : ", folders " + o.folders());
    }

    RunOptions optionsFor(RunRequest request) {
        if (request == null) {
            return new RunOptions(settings.export().enabled(), settings.purgeEnabled(), settings.folders(),
                    settings.purgeQueues(), settings.export().queues(),
                    new PurgeCriteria(settings.purgeStatuses(), settings.purgeOlderThan()), settings.purgeDryRun(), null,
                    settings.runFull(), bounds(settings.export().enabled() && settings.purgeEnabled()));
        }
        boolean archiveThenPurge = "archive-then-purge".equals(request.job());
        boolean export = request.job() == null ? settings.export().enabled()
                : request.job().equals("export") || archiveThenPurge;
        boolean purge = request.job() == null ? settings.purgeEnabled() : request.job().equals("purge") || archiveThenPurge;
        Set<String> statuses = request.statuses() == null ? settings.purgeStatuses()
                : request.statuses().stream().map(RunPlan::canonical).collect(Collectors.toCollection(LinkedHashSet::new));
        Duration olderThan = request.olderThan() == null ? settings.purgeOlderThan() : Duration.parse(request.olderThan());
        List<String> folders = request.folders() == null ? settings.folders() : request.folders();
        Set<String> queues = request.queues() == null ? null : Set.copyOf(request.queues());
        return new RunOptions(export, purge, folders,
                queues == null ? settings.purgeQueues() : queues,
                queues == null ? settings.export().queues() : queues,
                new PurgeCriteria(statuses, olderThan, archiveThenPurge ? settings.export().filter() : null),
                request.dryRun() == null ? settings.purgeDryRun() : request.dryRun(),
                archiveThenPurge ? new ArchiveScope() : null,
                request.full() == null ? settings.runFull() : request.full(),
                bounds(export && purge && !archiveThenPurge));
    }

    /** A windowed export beside a purge: the purge clears what the archive already holds. */
    private ArchiveBounds bounds(boolean exportAndPurge) {
        return exportAndPurge && !settings.export().snapshot() ? new ArchiveBounds() : null;
    }

    private static String canonical(String status) {
        return Settings.CLEARABLE_STATUSES.stream().filter(s -> s.equalsIgnoreCase(status)).findFirst().orElseThrow();
    }

    public static RunOptions options(Exchange exchange) {
        return exchange.getVariable(RunOptions.VARIABLE, RunOptions.class);
    }
}
