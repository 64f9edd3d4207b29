package io.github.orchestratorqueueroutes.run;

import io.github.orchestratorqueueroutes.auth.AuthenticationException;
import io.github.orchestratorqueueroutes.retry.OrchestratorDownException;

/**
 * Whether a failure stays local (one item, one export, one folder) or stops the run: a refused credential or an
 * Orchestrator that is down stop it. Looks through the cause chain, because a parallel split wraps the failure of an
 * item in its own exception.
 */
public final class FailureScope {

    private FailureScope() {
    }

    public static boolean stopsTheRun(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof OrchestratorDownException
                    || t instanceof ShutdownGuard.ShuttingDownException) {
                return true;
            }
        }
        return false;
    }

    /** Called first by every doCatch bean: a run-stopping failure goes on up instead of being recorded here. */
    public static Throwable localOrRethrow(Throwable failure) {
        if (stopsTheRun(failure)) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(failure);
        }
        return failure;
    }
}
