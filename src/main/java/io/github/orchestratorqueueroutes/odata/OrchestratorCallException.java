package io.github.orchestratorqueueroutes.odata;

/**
 * Orchestrator answered a call with an error, or with something that is not the JSON the API promises. Carries the
 * HTTP status and Orchestrator's errorCode so callers can treat 404 or 409 as per-item outcomes.
 */
public class OrchestratorCallException extends RuntimeException {

    private final int status;
    private final Integer errorCode;

    public OrchestratorCallException(String message, int status, Integer errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** Orchestrator's errorCode (1002 not found, 1100/1101 folder, 4502 export quota), null if it gave none. */
    public Integer errorCode() {
        return errorCode;
    }
}
