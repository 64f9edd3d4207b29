package io.github.orchestratorqueueroutes.purge;

/**
 * What the purge knows about one item as it goes through the route: where it was listed, its queue, its latest
 * status. Never its content.
 */
public record PurgeItem(long folderId, long itemId, long queueDefinitionId, String queue, String status) {

    public static final String VARIABLE = "purgeItem";

    PurgeItem withStatus(String freshStatus) {
        return new PurgeItem(folderId, itemId, queueDefinitionId, queue, freshStatus);
    }
}
