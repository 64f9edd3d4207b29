package io.github.orchestratorqueueroutes.purge;

/** An item reply the purge cannot safely act on; the item fails with this reason and the run goes on. */
public class MalformedItemException extends RuntimeException {

    public MalformedItemException(String reason) {
        super(reason);
    }
}
