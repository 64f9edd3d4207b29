package io.github.orchestratorqueueroutes.run;

import org.apache.camel.Exchange;

/**
 * Lets a run stop early when the service is asked to stop (SIGTERM, Ctrl-C, a host application stopping Camel).
 * Camel's graceful shutdown waits for the run's exchange, and a run over a large tenant could outlast the shutdown
 * timeout and be cut without a summary. Checked before each page, poll and export, it ends the run; items check it
 * without raising, so the split over a page waits for the items in flight (a PUT the server applied is always in
 * the audit) and begins no more. What was not reached is left for the next run.
 */
public class ShutdownGuard {

    /** The run stops because the service is stopping. */
    public static class ShuttingDownException extends RuntimeException {
        ShuttingDownException() {
            super("The service is shutting down; the run stopped early and the next run goes on where it left off.");
        }
    }

    private volatile boolean stopRequested;

    /** The launcher's signal: Camel Main was asked to stop, possibly while a run holds its main thread. */
    public void stopRequested() {
        stopRequested = true;
    }

    /** Stops the run (pages, polls, queues) by raising {@link ShuttingDownException} once the service is stopping. */
    public void checkRunning(Exchange exchange) {
        if (!running(exchange)) {
            throw new ShuttingDownException();
        }
    }

    /** For work that must not be cut off by the run ending: items check this and are simply not begun. */
    public boolean running(Exchange exchange) {
        return !stopRequested && !exchange.getContext().isStopping();
    }
}
