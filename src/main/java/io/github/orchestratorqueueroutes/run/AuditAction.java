package io.github.orchestratorqueueroutes.run;

/** What a run did with one item or export; the words appear as-is in audit lines and summaries. */
public enum AuditAction {
    CLEARED("cleared"),
    WOULD_CLEAR("would-clear"),
    SKIPPED_EMPTY("skipped-empty"),
    SKIPPED_STATUS("skipped-status"),
    FAILED("failed"),
    EXPORTED("exported");

    private final String word;

    AuditAction(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
