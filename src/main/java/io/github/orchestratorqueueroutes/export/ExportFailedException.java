package io.github.orchestratorqueueroutes.export;

/** An export ended Failed, timed out, or could not be downloaded; the queue's export fails, the run goes on. */
public class ExportFailedException extends RuntimeException {

    public ExportFailedException(String message) {
        super(message);
    }
}
