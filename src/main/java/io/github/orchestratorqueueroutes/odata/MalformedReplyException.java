package io.github.orchestratorqueueroutes.odata;

/**
 * Orchestrator answered with a body that says it is JSON but does not parse: cut off by a proxy or a dropped
 * connection, not a sign of a wrong URL. A read is repeated like an I/O error; a POST that starts an export is not.
 */
public class MalformedReplyException extends OrchestratorCallException {

    public MalformedReplyException(String message, int status) {
        super(message, status, null);
    }
}
