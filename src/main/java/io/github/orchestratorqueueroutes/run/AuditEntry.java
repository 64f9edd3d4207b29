package io.github.orchestratorqueueroutes.run;

/**
 * One audit line: names the item, never its content.
 *
 * @param error the server's errorCode and message, or our reason, for {@code failed}; else null
 */
public record AuditEntry(AuditAction action, Long folderId, String queue, Long itemId, String status, String error) {
}
