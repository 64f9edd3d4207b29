package io.github.orchestratorqueueroutes.run;

import org.apache.camel.Exchange;

/**
 * Lets a run stop early when the service is asked to stop (SIGTERM, Ctrl-C, a host application stopping Camel).
 * Camel's graceful shutdown waits for the run's exchange, and a run over a large tenant could outlast the shutdown
 * timeout and be cut without a summary; checked before each page, item and poll, this ends the run within one item,
 * with its audit and summary written. In-flight calls finish; what was not reached is left for the next run.
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

    public void checkRunning(Exchange exchange) {
        if (stopRequested || exchange.getContext().isStopping()) {
            throw new ShuttingDownException();
        }
    }
}
