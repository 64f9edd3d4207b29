package io.github.orchestratorqueueroutes.run;

import org.apache.camel.Exchange;

/**
 * Lets a run stop early: when the service is asked to stop (SIGTERM, Ctrl-C, a host application stopping Camel), and
 * when an item or export met a failure that stops the run ({@link RunJournal#stopRun}). Camel's graceful shutdown
 * waits for the run's exchange, and a run over a large tenant could outlast the shutdown timeout and be cut without a
 * summary. Work inside a parallel split (items, pages, exports, polls) asks {@link #running} and is not begun; after
 * the split, {@link #checkRunning} raises, so every item or export in flight finishes first (a PUT the server applied
 * or a file delivered is always in the audit). What was not reached is left for the next run.
 */
public class ShutdownGuard {

    /** The run stops because the service is stopping. */
    public static class ShuttingDownException extends RuntimeException {
        ShuttingDownException() {
            super("The service is shutting down; the run stopped early and the next run goes on where it left off.");
        }
    }

    private final RunJournal journal;
    private volatile boolean stopRequested;

    public ShutdownGuard(RunJournal journal) {
        this.journal = journal;
    }

    /** The launcher's signal: Camel Main was asked to stop, possibly while a run holds its main thread. */
    public void stopRequested() {
        stopRequested = true;
    }

    /** Raises what stops the run: the failure an item or export met, or {@link ShuttingDownException}. */
    public void checkRunning(Exchange exchange) {
        journal.raiseIfStopped();
        if (stopRequested || exchange.getContext().isStopping()) {
            throw new ShuttingDownException();
        }
    }

    /** Whether more work may begin in this run. */
    public boolean running(Exchange exchange) {
        return !stopRequested && !exchange.getContext().isStopping() && !journal.stopped();
    }
}
