package io.github.orchestratorqueueroutes.retry;

/** Orchestrator failed so many calls in a row that the run stops instead of failing item after item. */
public class OrchestratorDownException extends RuntimeException {

    public OrchestratorDownException(String message) {
        super(message);
    }
}
