package io.github.orchestratorqueueroutes.export;

/** No export may be started now: the daily budget is spent or Orchestrator said 4502. */
public class ExportBudgetException extends RuntimeException {

    public ExportBudgetException(String message) {
        super(message);
    }
}
