package io.github.orchestratorqueueroutes.state;

/**
 * State that lives as long as the process: for the embedded simulator, whose tenant is made anew at every start, so
 * marks of an earlier process would describe items that no longer exist.
 */
public class MemoryStateStore implements StateStore {

    private volatile String json;

    @Override
    public String read() {
        return json;
    }

    @Override
    public void write(String json) {
        this.json = json;
    }

    @Override
    public String describe() {
        return "in memory (orchestrator.url=embedded)";
    }
}
