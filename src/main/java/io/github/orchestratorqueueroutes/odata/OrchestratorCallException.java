package io.github.orchestratorqueueroutes.odata;

/**
 * Orchestrator answered a call with an error, or with something that is not the JSON the API promises. Carries the
 * HTTP status and Orchestrator's errorCode so callers can treat 404 or 409 as per-item outcomes.
 */
public class OrchestratorCallException extends RuntimeException {

    private final int status;
    private final Integer errorCode;
    private final java.time.Duration retryAfter;

    public OrchestratorCallException(String message, int status, Integer errorCode) {
        this(message, status, errorCode, null);
    }

    public OrchestratorCallException(String message, int status, Integer errorCode, java.time.Duration retryAfter) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait (Retry-After, or retry_after in the body), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public int status() {
        return status;
    }

    /** Orchestrator's errorCode (1002 not found, 1100/1101 folder, 4502 export quota), null if it gave none. */
    public Integer errorCode() {
        return errorCode;
    }
}
