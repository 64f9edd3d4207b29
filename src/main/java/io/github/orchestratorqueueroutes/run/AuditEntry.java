package io.github.orchestratorqueueroutes.run;

/**
 * One audit line: names the item or export, never content.
 *
 * @param error  the server's errorCode and message, or our reason, for {@code failed}; else null
 * @param export for an export: its id and, once delivered, where it went; else null
 */
public record AuditEntry(AuditAction action, Long folderId, String queue, Long itemId, String status, String error,
        ExportRecord export) {

    public AuditEntry(AuditAction action, Long folderId, String queue, Long itemId, String status, String error) {
        this(action, folderId, queue, itemId, status, error, null);
    }

    /**
     * An export as audited: the file fields are null until it was delivered; the window (items that finished at or
     * after {@code windowFrom} and before {@code windowTo}) is null for a whole-queue snapshot, and its start for the
     * first window of a queue.
     */
    public record ExportRecord(Long exportId, String target, String file, Long bytes, String sha256,
            String windowFrom, String windowTo) {
    }
}
