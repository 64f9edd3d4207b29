package io.github.orchestratorqueueroutes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The folders, queues and queue items of one simulated Orchestrator tenant. Items are kept as the JSON the API
 * returns, so what tests compare is exactly what a client sees.
 */
public final class SimulatedTenant {

    public static final long SHARED_FOLDER = 39419;
    public static final long BANANA_FOLDER = 62516;
    public static final long FINANCE_FOLDER = 70021;
    public static final long QUEUE_DEMO = 3899;
    public static final long BANANA_QUEUE = 29200;
    /** Linked to both Shared and Banana: its items are listed once per folder. */
    public static final long SHARED_INVOICES_QUEUE = 41007;
    public static final long FINANCE_QUEUE = 41008;
    public static final long SEED_SUCCESSFUL_ITEM = 2499339;
    public static final long SEED_NEW_ITEM = 3255808;

    static final List<String> STATUSES =
            List.of("New", "InProgress", "Failed", "Successful", "Abandoned", "Retried", "Deleted");
    static final Set<String> ITEM_PROPERTIES = Set.of("Id", "QueueDefinitionId", "Key", "UniqueKey", "Reference",
            "Status", "ReviewStatus", "ReviewerUserId", "Priority", "ProcessingExceptionType", "ProcessingException",
            "DueDate", "RiskSlaDate", "DeferDate", "StartProcessing", "EndProcessing", "CreationTime",
            "SecondsInPreviousAttempts", "AncestorId", "RetryNumber", "SpecificContent", "SpecificData", "Output",
            "OutputData", "Analytics", "AnalyticsData", "Progress", "RowVersion", "OrganizationUnitId",
            "OrganizationUnitFullyQualifiedName");
    static final Set<String> FOLDER_PROPERTIES =
            Set.of("Id", "Key", "DisplayName", "FullyQualifiedName", "ParentId", "Description");
    static final Set<String> QUEUE_PROPERTIES =
            Set.of("Id", "Key", "Name", "Description", "MaxNumberOfRetries", "FoldersCount", "OrganizationUnitId");

    private static final ObjectMapper JSON = new ObjectMapper();

    record Queue(long id, String name, long ownerFolder, Set<Long> folders) {
    }

    private final Map<Long, ObjectNode> folders = new LinkedHashMap<>();
    private final Map<Long, Queue> queues = new LinkedHashMap<>();
    private final TreeMap<Long, ObjectNode> items = new TreeMap<>();
    private long rowVersion = 0x7700000L;

    /** The standard demo tenant: the seed documents' items plus generated ones in every status. */
    public static SimulatedTenant seeded() {
        return seeded(60, 42);
    }

    /**
     * @param itemsPerQueue generated items per queue (besides the two seed items)
     * @param seed          random seed, so every run sees the same tenant
     */
    public static SimulatedTenant seeded(int itemsPerQueue, long seed) {
        SimulatedTenant tenant = new SimulatedTenant();
        tenant.addFolder(SHARED_FOLDER, "Shared", "Shared", null);
        tenant.addFolder(BANANA_FOLDER, "Banana", "Banana", null);
        tenant.addFolder(FINANCE_FOLDER, "Finance", "Shared/Finance", SHARED_FOLDER);
        tenant.queues.put(QUEUE_DEMO, new Queue(QUEUE_DEMO, "Queue Demo", SHARED_FOLDER, Set.of(SHARED_FOLDER)));
        tenant.queues.put(BANANA_QUEUE, new Queue(BANANA_QUEUE, "Banana Orders", BANANA_FOLDER, Set.of(BANANA_FOLDER)));
        tenant.queues.put(SHARED_INVOICES_QUEUE, new Queue(SHARED_INVOICES_QUEUE, "Supplier Invoices", SHARED_FOLDER,
                Set.of(SHARED_FOLDER, BANANA_FOLDER)));
        tenant.queues.put(FINANCE_QUEUE, new Queue(FINANCE_QUEUE, "Expense Claims", FINANCE_FOLDER,
                Set.of(FINANCE_FOLDER)));

        tenant.items.put(SEED_SUCCESSFUL_ITEM, seedSuccessfulItem());
        tenant.items.put(SEED_NEW_ITEM, seedNewItem());

        Random random = new Random(seed);
        long nextId = 2_600_000;
        for (Queue queue : tenant.queues.values()) {
            for (int i = 0; i < itemsPerQueue; i++) {
                nextId += 1 + random.nextInt(40);
                tenant.items.put(nextId, tenant.generatedItem(nextId, queue, i, random));
            }
        }
        return tenant;
    }

    private void addFolder(long id, String name, String path, Long parent) {
        ObjectNode folder = JSON.createObjectNode();
        folder.put("Id", id);
        folder.put("Key", UUID.nameUUIDFromBytes(("folder" + id).getBytes()).toString());
        folder.put("DisplayName", name);
        folder.put("FullyQualifiedName", path);
        folder.put("Description", (String) null);
        if (parent == null) {
            folder.putNull("ParentId");
        } else {
            folder.put("ParentId", parent);
        }
        folders.put(id, folder);
    }

    private ObjectNode generatedItem(long id, Queue queue, int index, Random random) {
        // every status appears in every queue; a few finished items already had their content cleared
        String status = STATUSES.get(index % STATUSES.size());
        Instant created = Instant.parse("2021-01-04T08:00:00Z")
                .plus(Duration.ofMinutes(random.nextInt(60 * 24 * 365 * 3)))
                .truncatedTo(ChronoUnit.MILLIS);
        boolean started = !status.equals("New");
        boolean finished = started && !status.equals("InProgress");
        ObjectNode item = JSON.createObjectNode();
        item.put("QueueDefinitionId", queue.id());
        item.putNull("OutputData");
        item.putNull("AnalyticsData");
        item.put("Status", status);
        item.put("ReviewStatus", status.equals("Failed") ? "InReview" : "None");
        item.putNull("ReviewerUserId");
        item.put("Key", UUID.nameUUIDFromBytes(("item" + id).getBytes()).toString());
        putNullable(item, "Reference", random.nextInt(4) == 0 ? null : "REF-" + (10000 + random.nextInt(90000)));
        putNullable(item, "ProcessingExceptionType", status.equals("Failed") ? "BusinessException" : null);
        putNullable(item, "DueDate", random.nextInt(3) == 0 ? iso(created.plus(Duration.ofDays(3))) : null);
        putNullable(item, "RiskSlaDate", random.nextInt(3) == 0 ? iso(created.plus(Duration.ofDays(2))) : null);
        item.put("Priority", List.of("High", "Normal", "Low").get(random.nextInt(3)));
        putNullable(item, "DeferDate", random.nextInt(5) == 0 ? iso(created.plus(Duration.ofHours(6))) : null);
        Instant start = created.plus(Duration.ofMinutes(5 + random.nextInt(600)));
        putNullable(item, "StartProcessing", started ? iso(start) : null);
        putNullable(item, "EndProcessing", finished && random.nextInt(10) > 0
                ? iso(start.plus(Duration.ofSeconds(1 + random.nextInt(900)))) : null);
        item.put("SecondsInPreviousAttempts", status.equals("Retried") ? random.nextInt(120) : 0);
        item.putNull("AncestorId");
        item.put("RetryNumber", status.equals("Retried") ? 1 : 0);
        boolean alreadyCleared = finished && random.nextInt(8) == 0;
        ObjectNode content = alreadyCleared ? null : realisticContent(queue, random);
        item.put("CreationTime", iso(created));
        putNullable(item, "Progress", random.nextInt(4) == 0 ? "Step " + (1 + random.nextInt(5)) + " of 5" : null);
        item.put("RowVersion", nextRowVersion());
        item.put("OrganizationUnitId", queue.ownerFolder());
        item.put("OrganizationUnitFullyQualifiedName", folders.get(queue.ownerFolder()).get("FullyQualifiedName").asText());
        item.put("Id", id);
        putNullable(item, "ProcessingException", status.equals("Failed")
                ? JSON.createObjectNode().put("Reason", "Validation failed").put("Type", "BusinessException") : null);
        setContent(item, content);
        if (finished && random.nextInt(3) == 0) {
            item.set("Output", JSON.createObjectNode().put("Result", "Done"));
            item.put("OutputData", "{\"DynamicProperties\":{\"Result\":\"Done\"}}");
        } else {
            item.putNull("Output");
        }
        item.putNull("Analytics");
        return item;
    }

    private static ObjectNode realisticContent(Queue queue, Random random) {
        List<String> first = List.of("Ana", "Bilal", "Chen", "Dagny", "Emeka", "Farah", "Giulia", "Hiro", "Ines", "Jonas");
        List<String> last = List.of("Okafor", "Lindqvist", "Tanaka", "Moreau", "Novak", "Haddad", "Silva", "Kowalski");
        ObjectNode content = JSON.createObjectNode();
        content.put("EmployeeName", first.get(random.nextInt(first.size())) + " " + last.get(random.nextInt(last.size())));
        content.put("ContactNumber", "+44" + (7000000 + random.nextInt(2999999)));
        content.put("Amount", 50 + random.nextInt(5000));
        content.put("Description", queue.name() + " request " + random.nextInt(1000));
        content.put("RequirePass", random.nextBoolean());
        return content;
    }

    private static ObjectNode seedSuccessfulItem() {
        ObjectNode item = parse("""
                {"QueueDefinitionId":3899,"OutputData":null,"AnalyticsData":null,"Status":"Successful",
                 "ReviewStatus":"None","ReviewerUserId":null,"Key":"6ea50a9c-b657-4df3-bfe6-d1893c4f31ec",
                 "Reference":"82086","ProcessingExceptionType":null,"DueDate":null,
                 "RiskSlaDate":"2022-02-17T13:27:43.895Z","Priority":"High","DeferDate":null,"StartProcessing":null,
                 "EndProcessing":null,"SecondsInPreviousAttempts":0,"AncestorId":null,"RetryNumber":0,
                 "SpecificData":"{\\"DynamicProperties\\":{\\"EmployeeName\\":\\"John Kensington\\",\\"ContactNumber\\":\\"+4457899\\",\\"RelocationDistance\\":500,\\"Description\\":\\"Home relocation\\",\\"ExpenseCode\\":\\"UI234\\",\\"Amount\\":1000,\\"RequirePass\\":true}}",
                 "CreationTime":"2021-03-19T17:37:35.893Z","Progress":null,"RowVersion":"AAAAAABQET4=",
                 "OrganizationUnitId":39419,"OrganizationUnitFullyQualifiedName":"Shared","Id":2499339,
                 "ProcessingException":null,
                 "SpecificContent":{"EmployeeName":"John Kensington","ContactNumber":"+4457899","RelocationDistance":500,
                   "Description":"Home relocation","ExpenseCode":"UI234","Amount":1000,"RequirePass":true},
                 "Output":null,"Analytics":null}""");
        return item;
    }

    private static ObjectNode seedNewItem() {
        return parse("""
                {"QueueDefinitionId":29200,"OutputData":"{\\"DynamicProperties\\":{\\"Prop1\\":\\"run\\"}}",
                 "AnalyticsData":null,"Status":"New","ReviewStatus":"None","ReviewerUserId":null,
                 "Key":"bc4e8fac-dc4b-4f77-8f20-13590e19ff26","Reference":null,"ProcessingExceptionType":null,
                 "DueDate":null,"RiskSlaDate":null,"Priority":"Normal","DeferDate":null,
                 "StartProcessing":"2022-02-16T15:30:12.13Z","EndProcessing":"2022-02-16T15:30:12.46Z",
                 "SecondsInPreviousAttempts":0,"AncestorId":null,"RetryNumber":0,
                 "SpecificData":"{\\"DynamicProperties\\":{\\"Prop2\\":\\"accelerate\\"}}",
                 "CreationTime":"2022-02-16T15:30:11.753Z","Progress":null,"RowVersion":"AAAAAAB2liA=",
                 "OrganizationUnitId":62516,"OrganizationUnitFullyQualifiedName":"Banana","Id":3255808,
                 "ProcessingException":null,"SpecificContent":{"Prop2":"Test demo"},"Output":{"Prop1":"vgdfdf"},
                 "Analytics":null}""");
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putNullable(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static void putNullable(ObjectNode node, String field, JsonNode value) {
        node.set(field, value == null ? JSON.nullNode() : value);
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private String nextRowVersion() {
        rowVersion++;
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(8).putLong(rowVersion).array());
    }

    /** Sets SpecificContent and the SpecificData text the server derives from it. */
    static void setContent(ObjectNode item, JsonNode content) {
        if (content == null || content.isNull()) {
            item.putNull("SpecificContent");
            item.putNull("SpecificData");
        } else {
            item.set("SpecificContent", content.deepCopy());
            item.put("SpecificData", "{\"DynamicProperties\":" + content + "}");
        }
    }

    // --- queries used by the simulator's endpoints; callers hold the tenant's lock ---

    synchronized List<ObjectNode> folders() {
        return folders.values().stream().map(ObjectNode::deepCopy).toList();
    }

    synchronized Optional<ObjectNode> folder(long id) {
        return Optional.ofNullable(folders.get(id));
    }

    synchronized List<ObjectNode> queuesIn(long folderId) {
        List<ObjectNode> result = new ArrayList<>();
        for (Queue q : queues.values()) {
            if (q.folders().contains(folderId)) {
                result.add(queueJson(q, folderId));
            }
        }
        return result;
    }

    synchronized Optional<Queue> queue(long id) {
        return Optional.ofNullable(queues.get(id));
    }

    private static ObjectNode queueJson(Queue q, long folderId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Id", q.id());
        node.put("Key", UUID.nameUUIDFromBytes(("queue" + q.id()).getBytes()).toString());
        node.put("Name", q.name());
        node.put("Description", q.name() + " (simulated)");
        node.put("MaxNumberOfRetries", 1);
        node.put("FoldersCount", q.folders().size());
        node.put("OrganizationUnitId", folderId);
        return node;
    }

    synchronized List<ObjectNode> itemsIn(long folderId) {
        List<ObjectNode> result = new ArrayList<>();
        for (ObjectNode item : items.values()) {
            Queue queue = queues.get(item.get("QueueDefinitionId").asLong());
            if (queue != null && queue.folders().contains(folderId)) {
                result.add(item.deepCopy());
            }
        }
        return result;
    }

    /** One page of a folder's items and, when counted, how many match in all. */
    record Page(List<ObjectNode> rows, int count) {
    }

    /** The first {@code limit} items of the folder with an Id above {@code afterId} that match, in Id order. */
    synchronized Page itemsIn(long folderId, long afterId, java.util.function.Predicate<JsonNode> selected, int limit,
            boolean countAll) {
        List<ObjectNode> rows = new ArrayList<>();
        int count = 0;
        for (ObjectNode item : items.tailMap(afterId, false).values()) {
            Queue queue = queues.get(item.get("QueueDefinitionId").asLong());
            if (queue == null || !queue.folders().contains(folderId) || !selected.test(item)) {
                continue;
            }
            count++;
            if (rows.size() < limit) {
                rows.add(item.deepCopy());
            } else if (!countAll) {
                break;
            }
        }
        return new Page(rows, count);
    }

    synchronized Optional<ObjectNode> itemIn(long folderId, long itemId) {
        ObjectNode item = items.get(itemId);
        if (item == null) {
            return Optional.empty();
        }
        Queue queue = queues.get(item.get("QueueDefinitionId").asLong());
        return queue != null && queue.folders().contains(folderId) ? Optional.of(item.deepCopy()) : Optional.empty();
    }

    /** Applies the fields Orchestrator's PUT applies; the caller has validated the body. */
    synchronized void applyUpdate(long itemId, JsonNode body) {
        ObjectNode item = items.get(itemId);
        for (String field : List.of("Progress", "Priority", "DueDate", "DeferDate")) {
            item.set(field, body.has(field) ? body.get(field).deepCopy() : JSON.nullNode());
        }
        JsonNode content = body.get("SpecificContent");
        setContent(item, content == null || content.isNull() || content.isEmpty() ? null : content);
        item.put("RowVersion", nextRowVersion());
    }

    // --- for tests and the embedded demo ---

    /** How many items the tenant holds. */
    public synchronized int size() {
        return items.size();
    }

    /** A deep copy of every item, by Id. */
    public synchronized Map<Long, JsonNode> snapshot() {
        Map<Long, JsonNode> copy = new TreeMap<>();
        items.forEach((id, item) -> copy.put(id, item.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    public synchronized Set<Long> folderIdsOfQueue(long queueId) {
        return queues.get(queueId).folders();
    }

    public synchronized String queueName(long queueId) {
        return queues.get(queueId).name();
    }

    /** Replaces or adds an item (tests use it to craft edge cases). */
    public synchronized void putItem(ObjectNode item) {
        items.put(item.get("Id").asLong(), item.deepCopy());
    }

    /** Changes an item's status, as a robot or a user would between two calls of a client. */
    public synchronized void setStatus(long itemId, String status) {
        items.get(itemId).put("Status", status);
    }

    /**
     * Adds an item to a queue as a robot leaves it: in {@code status}, with content, finished (EndProcessing) at
     * {@code endProcessing} (null for an item never processed, such as a New item a user deleted). Its Id is above
     * every other, as Orchestrator numbers new items.
     *
     * @return the new item's Id
     */
    public synchronized long addItem(long queueId, String status, Instant endProcessing) {
        Queue queue = queues.get(queueId);
        long id = items.lastKey() + 1;
        ObjectNode item = generatedItem(id, queue, STATUSES.indexOf(status), new Random(id));
        Instant created = endProcessing == null ? Instant.now().minus(Duration.ofDays(1))
                : endProcessing.minus(Duration.ofMinutes(3));
        item.put("CreationTime", iso(created));
        putNullable(item, "StartProcessing", endProcessing == null ? null : iso(created.plusSeconds(60)));
        putNullable(item, "EndProcessing", endProcessing == null ? null : iso(endProcessing));
        setContent(item, realisticContent(queue, new Random(id)));
        items.put(id, item);
        return id;
    }

    /**
     * Turns the tenant into one whose work is done and purged: every item finished (Successful, unless Deleted or
     * Retried already), with an EndProcessing, and without content. The benchmark's recurring run starts from it.
     */
    public synchronized void finishAndClearAll() {
        finishAll();
        items.values().forEach(item -> setContent(item, null));
    }

    /**
     * Every item finished (Successful, unless Deleted or Retried already), with an EndProcessing and with content:
     * all of it for the purge to clear. The benchmark's scale figure starts from it.
     */
    public synchronized void finishAll() {
        Random random = new Random(7);
        for (ObjectNode item : items.values()) {
            String status = item.get("Status").asText();
            if (!status.equals("Deleted") && !status.equals("Retried")) {
                item.put("Status", "Successful");
            }
            if (item.get("EndProcessing").isNull()) {
                item.put("EndProcessing", iso(Instant.parse(item.get("CreationTime").asText()).plusSeconds(600)));
            }
            JsonNode content = item.get("SpecificContent");
            if (content == null || content.isNull() || content.isEmpty()) {
                setContent(item, realisticContent(queues.get(item.get("QueueDefinitionId").asLong()), random));
            }
        }
    }

    /** Sets an item's EndProcessing, as the server stamps it (null: the item never finished processing). */
    public synchronized void setEndProcessing(long itemId, Instant endProcessing) {
        putNullable(items.get(itemId), "EndProcessing", endProcessing == null ? null : iso(endProcessing));
    }
}
