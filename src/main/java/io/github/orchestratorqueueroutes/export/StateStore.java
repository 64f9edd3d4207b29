package io.github.orchestratorqueueroutes.export;

/** Where {@link ExportState} keeps its JSON: a file (one instance, or a shared folder) or ZooKeeper (a cluster). */
public interface StateStore {

    /** The stored JSON, or null when nothing was stored yet. */
    String read();

    void write(String json);

    /** Where, for messages. */
    String describe();
}
