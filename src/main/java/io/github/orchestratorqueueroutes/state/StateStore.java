package io.github.orchestratorqueueroutes.state;

/**
 * Where what runs must remember lives (the export budget and exports in flight, the purge marks): a file (one
 * instance, or a folder the cluster shares) or a znode (a cluster elected through ZooKeeper).
 */
public interface StateStore {

    /** The stored JSON, or null when nothing was stored yet. */
    String read();

    void write(String json);

    /** Where, for messages. */
    String describe();
}
