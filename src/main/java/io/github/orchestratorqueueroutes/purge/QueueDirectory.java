package io.github.orchestratorqueueroutes.purge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.folders.FolderRef;
import io.github.orchestratorqueueroutes.odata.KeysetPaging;
import org.apache.camel.Exchange;

/**
 * Queue names and links by folder, read once per folder and run from {@code /odata/QueueDefinitions} (route
 * {@code folder-queues}): queue items carry only {@code QueueDefinitionId}, but the PUT must name the queue, and
 * {@code purge.queues} / {@code export.queues} name queues.
 */
public class QueueDirectory {

    /** @param foldersCount how many folders the queue is linked to; its items are listed in each of them */
    public record Queue(long id, String name, int foldersCount) {
    }

    private final Map<Long, Map<Long, Queue>> byFolder = new ConcurrentHashMap<>();
    private final Set<Long> complete = ConcurrentHashMap.newKeySet();
    private final int pageSize;

    public QueueDirectory(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Queue names may change between runs: each run reads them again. */
    public void beginRun() {
        byFolder.clear();
        complete.clear();
    }

    /** Starts listing the queues of the folder in variable {@value FolderRef#VARIABLE}, unless this run did. */
    public void beginListing(Exchange exchange) {
        FolderRef folder = exchange.getVariable(FolderRef.VARIABLE, FolderRef.class);
        KeysetPaging.begin(exchange, new KeysetPaging.Cursor("odata/QueueDefinitions", null, folder.id(), pageSize,
                "GET QueueDefinitions"));
        if (complete.contains(folder.id())) {
            exchange.setVariable(KeysetPaging.MORE_PAGES, false);
        } else {
            byFolder.remove(folder.id());
        }
    }

    @SuppressWarnings("unchecked")
    public void rememberPage(Exchange exchange) {
        FolderRef folder = exchange.getVariable(FolderRef.VARIABLE, FolderRef.class);
        remember(folder.id(), exchange.getMessage().getBody(List.class));
        if (!exchange.getVariable(KeysetPaging.MORE_PAGES, false, Boolean.class)) {
            complete.add(folder.id());
        }
    }

    void remember(long folderId, List<JsonNode> definitions) {
        Map<Long, Queue> queues = byFolder.computeIfAbsent(folderId, id -> new ConcurrentHashMap<>());
        for (JsonNode d : definitions) {
            long id = d.get("Id").asLong();
            queues.put(id, new Queue(id, d.path("Name").asText(), d.path("FoldersCount").asInt(1)));
        }
    }

    /** The queue, or null when the folder has no queue with this id. */
    public Queue find(long folderId, long queueId) {
        return byFolder.getOrDefault(folderId, Map.of()).get(queueId);
    }

    /** Ids of the queues with these names in the folder; every queue of the folder when names is empty. */
    public List<Long> idsOf(long folderId, Set<String> names) {
        List<Long> ids = new ArrayList<>();
        for (Queue q : byFolder.getOrDefault(folderId, Map.of()).values()) {
            if (names.isEmpty() || names.contains(q.name())) {
                ids.add(q.id());
            }
        }
        return ids;
    }
}
