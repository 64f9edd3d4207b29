package io.github.orchestratorqueueroutes.run;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.MDC;

/**
 * The thread pool of a run's parallel work (the items of a folder, the exports): each task runs with the run id of
 * the thread that handed it over in its MDC, so every log line written for the run carries it. Camel's MDC logging
 * ({@code camel.main.useMdcLogging}) would carry it too, but copies and rewrites the MDC around every processor of
 * every exchange: a sixth of the CPU spent per purged item (bench/README.md).
 */
public final class RunIdCarryingExecutor extends AbstractExecutorService {

    private final ExecutorService pool;

    public RunIdCarryingExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        String runId = MDC.get(RunJournal.RUN_ID);
        pool.execute(() -> {
            String before = MDC.get(RunJournal.RUN_ID);
            putOrRemove(runId);
            try {
                task.run();
            } finally {
                putOrRemove(before);
            }
        });
    }

    private static void putOrRemove(String runId) {
        if (runId == null) {
            MDC.remove(RunJournal.RUN_ID);
        } else {
            MDC.put(RunJournal.RUN_ID, runId);
        }
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}
