package io.github.orchestratorqueueroutes.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.orchestratorqueueroutes.simulator.ODataQueryEvaluator.InvalidQueryException;

/**
 * An in-process fake UiPath Orchestrator on a loopback port. It is strict where the real service is strict (folder
 * header, {@code $top} limit, PUT rules, token expiry) so the product cannot pass tests by luck, and it records every
 * request so tests can assert on what was sent.
 */
public final class OrchestratorSimulator implements AutoCloseable {

    static {
        // the JDK server leaves Nagle's algorithm on; with the client's delayed ACKs every small reply waits ~40 ms.
        // Read once when the server classes load, so it must be set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ITEM_PATH = Pattern.compile("/odata/QueueItems\\((\\d+)\\)");
    private static final Pattern QUEUE_PATH = Pattern.compile("/odata/QueueDefinitions\\((\\d+)\\)");
    private static final Pattern EXPORT_START =
            Pattern.compile("/odata/QueueDefinitions\\((\\d+)\\)/UiPathODataSvc\\.Export");
    private static final Pattern EXPORT_PATH = Pattern.compile("/odata/Exports\\((\\d+)\\)");
    private static final Pattern EXPORT_LINK =
            Pattern.compile("/odata/Exports\\((\\d+)\\)/UiPath\\.Server\\.Configuration\\.OData\\.GetDownloadLink");
    private static final Pattern BLOB_PATH = Pattern.compile("/exports/(\\d+)/[^/]+");
    /** The keyset term the product ends its list filters with. */
    private static final Pattern KEYSET = Pattern.compile("\\bId gt (\\d+)$");
    private static final Set<String> PUT_FIELDS = Set.of("Name", "Priority", "SpecificContent", "DeferDate",
            "DueDate", "RiskSlaDate", "Reference", "Progress");
    private static final Set<String> CLEARABLE = Set.of("Successful", "Deleted", "Retried");
    private static final int MAX_TOP = 100;

    private final SimulatedTenant tenant;
    private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean recording = true;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Duration latency = Duration.ZERO;
    private final List<Function<RecordedRequest, Optional<SimulatedReply>>> interceptors = new CopyOnWriteArrayList<>();
    private final List<Consumer<RecordedRequest>> afterRequest = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger itemCallsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxItemCallsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final SimulatedExports exports = new SimulatedExports(java.time.Clock.systemUTC());
    private final SimulatorFaults faults = new SimulatorFaults();
    private HttpServer server;
    private HttpServer blobServer;
    private ExecutorService executor;
    private javax.net.ssl.SSLContext tls;

    public OrchestratorSimulator(SimulatedTenant tenant) {
        this.tenant = tenant;
    }

    public OrchestratorSimulator() {
        this(SimulatedTenant.seeded());
    }

    /** Serves the API and the downloads over HTTPS with this server certificate (call before {@link #start}). */
    public synchronized OrchestratorSimulator https(javax.net.ssl.SSLContext serverContext) {
        this.tls = serverContext;
        return this;
    }

    private HttpServer newServer() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            return HttpServer.create(loopback, 64);
        }
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 64);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        return https;
    }

    private String scheme() {
        return tls == null ? "http://" : "https://";
    }

    public synchronized OrchestratorSimulator start() {
        if (server != null) {
            return this;
        }
        try {
            server = newServer();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a loopback port for the Orchestrator simulator", e);
        }
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "orchestrator-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        try {
            // download links point at another host:port, like the storage account behind Automation Cloud
            blobServer = newServer();
        } catch (IOException e) {
            close();
            throw new IllegalStateException("Cannot open a loopback port for the simulator's downloads", e);
        }
        blobServer.setExecutor(executor);
        blobServer.createContext("/", this::handleDownload);
        blobServer.start();
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            if (blobServer != null) {
                blobServer.stop(0);
                blobServer = null;
            }
            executor.shutdownNow();
            server = null;
        }
    }

    /** Base URL, like an on-prem Orchestrator's: {@code http://127.0.0.1:port}. */
    public String url() {
        return scheme() + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return url() + SimulatorAccounts.TOKEN_PATH;
    }

    public SimulatedTenant tenant() {
        return tenant;
    }

    /** Transient faults of the API. */
    public SimulatorFaults faults() {
        return faults;
    }

    /** The export jobs and their knobs. */
    public SimulatedExports exports() {
        return exports;
    }

    /** Base URL of the download host. */
    public String downloadUrl() {
        return scheme() + blobServer.getAddress().getAddress().getHostAddress() + ":"
                + blobServer.getAddress().getPort();
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Whether requests are kept for {@link #requests()}; a benchmark of hundreds of thousands turns it off. */
    public void recordRequests(boolean keep) {
        recording = keep;
    }

    private void record(RecordedRequest request) {
        if (recording) {
            requests.add(request);
        }
    }

    public void clearRequests() {
        requests.clear();
        maxInFlight.set(0);
        maxItemCallsInFlight.set(0);
    }

    /** The most requests the simulator was answering at the same time since the last {@link #clearRequests()}. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** The same for requests about one queue item (detail GET, PUT). */
    public int maxConcurrentItemRequests() {
        return maxItemCallsInFlight.get();
    }

    // --- knobs ---

    /** Lifetime of tokens issued from now on (client credentials, password login). */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** Makes every issued token invalid at once, as a revocation or an expiry would. */
    public void expireIssuedTokens() {
        issuedTokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** Delay added to every request before it is answered. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /**
     * Answers matching requests with the given reply instead of the simulated API, for fault tests. The function sees
     * the request (status 0) and returns a reply, or empty to let the simulator answer.
     */
    public void intercept(Function<RecordedRequest, Optional<SimulatedReply>> interceptor) {
        interceptors.add(interceptor);
    }

    /** Runs after each answered request, e.g. to change the tenant as another user would between two calls. */
    public void afterEachRequest(Consumer<RecordedRequest> listener) {
        afterRequest.add(listener);
    }

    /** A canned answer for {@link #intercept}. */
    public record SimulatedReply(int status, String contentType, String body, Map<String, String> headers) {

        public SimulatedReply(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        public static SimulatedReply error(int status, int errorCode, String message) {
            return jsonReply(status, errorBody(errorCode, message));
        }
    }

    // --- dispatch ---

    private static SimulatedReply jsonReply(int status, JsonNode body) {
        return new SimulatedReply(status, "application/json; charset=utf-8", body == null ? "" : body.toString());
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().startsWith("/exports/")) {
            // an on-prem Orchestrator serves the downloads that need its token itself
            handleDownload(exchange);
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> query = decodeQuery(exchange.getRequestURI().getRawQuery());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        RecordedRequest seen = new RecordedRequest(Instant.now(), exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), query, headers, body, 0);
        SimulatedReply reply;
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        boolean itemCall = seen.isItemGet() || seen.isItemPut();
        if (itemCall) {
            maxItemCallsInFlight.accumulateAndGet(itemCallsInFlight.incrementAndGet(), Math::max);
        }
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            SimulatorFaults.Fault fault = faults.decide(seen, Integer.toHexString(body.hashCode()));
            if (fault instanceof SimulatorFaults.Drop) {
                record(new RecordedRequest(seen.at(), seen.method(), seen.path(), query, headers, body, -1));
                exchange.close();
                return;
            }
            if (fault instanceof SimulatorFaults.Slow slow) {
                // the client has given up by now; the request is not applied
                Thread.sleep(slow.delay().toMillis());
                fault = new SimulatorFaults.Answer(503, 0);
            }
            reply = fault instanceof SimulatorFaults.Answer answer ? faultReply(answer)
                    : intercepted(seen).orElseGet(() -> route(exchange, query, body));
        } catch (InvalidQueryException e) {
            reply = error(400, 1000, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = error(503, 0, "Shutting down");
        } catch (RuntimeException e) {
            reply = error(500, 0, "Simulator error: " + e);
        } finally {
            inFlight.decrementAndGet();
            if (itemCall) {
                itemCallsInFlight.decrementAndGet();
            }
        }
        RecordedRequest answered = new RecordedRequest(seen.at(), seen.method(), seen.path(), query, headers, body,
                reply.status());
        record(answered);
        afterRequest.forEach(listener -> listener.accept(answered));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (!reply.contentType().isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SimulatedReply faultReply(SimulatorFaults.Answer answer) {
        SimulatedReply error = error(answer.status(), 0, answer.status() == 429
                ? "Too many requests. Please try again later." : "The service is temporarily unavailable.");
        return answer.retryAfterSeconds() > 0
                ? new SimulatedReply(error.status(), error.contentType(), error.body(),
                        Map.of("Retry-After", Integer.toString(answer.retryAfterSeconds())))
                : error;
    }

    private Optional<SimulatedReply> intercepted(RecordedRequest request) {
        for (var interceptor : interceptors) {
            Optional<SimulatedReply> reply = interceptor.apply(request);
            if (reply.isPresent()) {
                return reply;
            }
        }
        return Optional.empty();
    }

    private SimulatedReply route(HttpExchange exchange, Map<String, String> query, String body) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (path.equals(SimulatorAccounts.TOKEN_PATH) && method.equals("POST")) {
            return clientCredentialsToken(exchange, body);
        }
        if (path.startsWith("/identity_")) {
            // what a mistyped identity URL really answers: a sign-in page with status 200
            return new SimulatedReply(200, "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><head><title>Sign in</title></head><body>UiPath</body></html>");
        }
        if (path.equals("/api/Account/Authenticate") && method.equals("POST")) {
            return passwordLogin(body);
        }
        if (!path.startsWith("/odata/")) {
            return error(404, 0, "No endpoint at " + path);
        }
        if (!authorized(exchange)) {
            return new SimulatedReply(401, "application/json; charset=utf-8",
                    "{\"message\":\"You are not authenticated!\",\"errorCode\":0,\"traceId\":\"" + traceId() + "\"}");
        }
        if (path.equals("/odata/Folders") && method.equals("GET")) {
            return collection(tenant.folders(), query, SimulatedTenant.FOLDER_PROPERTIES, "Folders");
        }
        Matcher exportLink = EXPORT_LINK.matcher(path);
        if (exportLink.matches() && method.equals("GET")) {
            return exports.job(Long.parseLong(exportLink.group(1)))
                    .filter(job -> exports.status(job).equals("Completed"))
                    .map(job -> jsonReply(200, exports.downloadLink(job, exports.downloadBase(job, url(), downloadUrl()))))
                    .orElseGet(() -> error(404, 1002, "Export does not exist or is not completed."));
        }
        Matcher exportPath = EXPORT_PATH.matcher(path);
        if (exportPath.matches() && method.equals("GET")) {
            return exports.job(Long.parseLong(exportPath.group(1))).map(job -> jsonReply(200, exports.json(job)))
                    .orElseGet(() -> error(404, 1002, "Export does not exist."));
        }
        Object folder = folderOf(exchange);
        if (folder instanceof SimulatedReply problem) {
            return problem;
        }
        long folderId = (Long) folder;
        Matcher exportStart = EXPORT_START.matcher(path);
        if (exportStart.matches() && method.equals("POST")) {
            return startExport(folderId, Long.parseLong(exportStart.group(1)), query, body);
        }
        if (path.equals("/odata/QueueDefinitions") && method.equals("GET")) {
            return collection(tenant.queuesIn(folderId), query, SimulatedTenant.QUEUE_PROPERTIES, "QueueDefinitions");
        }
        Matcher queuePath = QUEUE_PATH.matcher(path);
        if (queuePath.matches() && method.equals("GET")) {
            long queueId = Long.parseLong(queuePath.group(1));
            return tenant.queuesIn(folderId).stream().filter(q -> q.get("Id").asLong() == queueId).findFirst()
                    .map(q -> jsonReply(200, q))
                    .orElseGet(() -> error(404, 1002, "Queue definition does not exist."));
        }
        if (path.equals("/odata/QueueItems") && method.equals("GET")) {
            return queueItems(folderId, query);
        }
        Matcher itemPath = ITEM_PATH.matcher(path);
        if (itemPath.matches()) {
            long itemId = Long.parseLong(itemPath.group(1));
            if (method.equals("GET")) {
                return tenant.itemIn(folderId, itemId).<SimulatedReply>map(item -> jsonReply(200, item))
                        .orElseGet(() -> error(404, 1002, "Queue item does not exist."));
            }
            if (method.equals("PUT")) {
                return updateItem(exchange, folderId, itemId, body);
            }
        }
        return error(405, 0, "Method " + method + " is not supported on " + path);
    }

    private SimulatedReply startExport(long folderId, long queueId, Map<String, String> query, String body) {
        if (!body.isEmpty()) {
            return error(400, 1000, "The export request takes no body.");
        }
        var queue = tenant.queuesIn(folderId).stream().filter(q -> q.get("Id").asLong() == queueId).findFirst();
        if (queue.isEmpty()) {
            return error(404, 1002, "Queue definition does not exist.");
        }
        String filter = query.get("$filter");
        if (filter == null || !filter.replace(" ", "").contains("QueueDefinitionIdeq" + queueId)) {
            return error(400, 1000, "The export filter must select QueueDefinitionId eq " + queueId + ".");
        }
        Predicate<JsonNode> selected = ODataQueryEvaluator.filter(filter, SimulatedTenant.ITEM_PROPERTIES);
        List<ObjectNode> items = tenant.itemsIn(folderId).stream().filter(selected).toList();
        return exports.start(folderId, queueId, queue.get().get("Name").asText(), items)
                .map(job -> jsonReply(200, exports.json(job)))
                .orElseGet(() -> error(exports.quotaStatus(), 4502,
                        "The daily limit of export requests for this tenant was reached (#4502)."));
    }

    private void handleDownload(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        Map<String, String> query = decodeQuery(exchange.getRequestURI().getRawQuery());
        RecordedRequest seen = new RecordedRequest(Instant.now(), exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), query, headers, "", 0);
        Matcher blob = BLOB_PATH.matcher(seen.path());
        var job = blob.matches() ? exports.job(Long.parseLong(blob.group(1))) : Optional.<SimulatedExports.Job>empty();
        String refusal = null;
        if (job.isEmpty() || !seen.method().equals("GET")) {
            refusal = "ResourceNotFound";
        } else if (job.get().requiresAuth() ? !authorized(exchange) : seen.header("Authorization") != null) {
            // a storage account refuses a bearer token it did not issue; an authenticated link needs a valid one
            refusal = "InvalidAuthenticationInfo";
        } else if (!"2020-10-02".equals(seen.header("x-ms-version"))
                || !job.get().downloadKey().equals(seen.header("x-sim-download-key"))) {
            refusal = "MissingRequiredHeader";
        } else if (!query.getOrDefault("se", "").matches("\\d+")
                || !exports.validSignature(job.get(), Long.parseLong(query.get("se")), query.getOrDefault("sig", ""))) {
            refusal = "AuthenticationFailed";
        }
        Optional<SimulatedReply> injected = intercepted(seen);
        int status = injected.map(SimulatedReply::status).orElse(refusal == null ? 200
                : refusal.equals("ResourceNotFound") ? 404 : 403);
        RecordedRequest answered = new RecordedRequest(seen.at(), seen.method(), seen.path(), query, headers, "", status);
        record(answered);
        afterRequest.forEach(listener -> listener.accept(answered));
        if (injected.isPresent() || refusal != null) {
            byte[] body = injected.map(SimulatedReply::body).orElse("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                    + refusal + "</Code></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", job.get().zipped() ? "application/zip" : "text/csv");
        long start = exports.rangeStart(seen.header("Range"));
        if (start > 0) {
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (job.get().size() - 1) + "/"
                    + job.get().size());
        }
        exchange.sendResponseHeaders(start > 0 ? 206 : 200, job.get().size() - start);
        try {
            exports.writeContent(job.get(), exchange.getResponseBody(), start);
            exchange.getResponseBody().close();
        } catch (IOException e) {
            // the client went away, or a dropped download is simulated: cut the connection
            exchange.close();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        String token = header.substring("Bearer ".length());
        if (token.equals(SimulatorAccounts.PERSONAL_ACCESS_TOKEN)) {
            return true;
        }
        Instant expiry = issuedTokens.get(token);
        return expiry != null && Instant.now().isBefore(expiry);
    }

    /** The folder id from the header, or an error reply as the real service gives it. */
    private Object folderOf(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-UIPATH-OrganizationUnitId");
        if (header == null || header.isBlank()) {
            return error(400, 1101, "An organization unit is required for this action.");
        }
        try {
            long id = Long.parseLong(header.trim());
            if (tenant.folder(id).isPresent()) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below like an unknown folder
        }
        return error(400, 1100, "Folder does not exist or the user does not have access to the folder.");
    }

    /**
     * A keyset page ({@code ... and Id gt N}, in Id order, no $skip) is read from the Id index onwards, and stops at
     * $top unless counted, so that tenants of hundreds of thousands of items answer as fast as small ones. The filter
     * is still applied whole; any other query takes the general path.
     */
    private SimulatedReply queueItems(long folderId, Map<String, String> query) {
        Matcher keyset = KEYSET.matcher(String.valueOf(query.get("$filter")));
        String order = query.get("$orderby");
        if (!keyset.find() || query.containsKey("$skip")
                || order != null && !order.replace(" ", "").equalsIgnoreCase("Idasc")) {
            return collection(tenant.itemsIn(folderId), query, SimulatedTenant.ITEM_PROPERTIES, "QueueItems");
        }
        int top = top(query);
        if (top > MAX_TOP) {
            return error(400, 1000, "The limit of " + MAX_TOP + " items per request ($top) was exceeded.");
        }
        boolean count = "true".equalsIgnoreCase(query.get("$count"));
        SimulatedTenant.Page page = tenant.itemsIn(folderId, Long.parseLong(keyset.group(1)),
                ODataQueryEvaluator.filter(query.get("$filter"), SimulatedTenant.ITEM_PROPERTIES), top, count);
        ObjectNode reply = JSON.createObjectNode();
        reply.put("@odata.context", "/odata/$metadata#QueueItems");
        if (count) {
            reply.put("@odata.count", page.count());
        }
        page.rows().forEach(reply.putArray("value")::add);
        return jsonReply(200, reply);
    }

    private static int top(Map<String, String> query) {
        return query.containsKey("$top") ? parseCount(query.get("$top"), "$top") : MAX_TOP;
    }

    private SimulatedReply collection(List<ObjectNode> rows, Map<String, String> query, Set<String> properties, String set) {
        int top = top(query);
        if (top > MAX_TOP) {
            return error(400, 1000, "The limit of " + MAX_TOP + " items per request ($top) was exceeded.");
        }
        int skip = query.containsKey("$skip") ? parseCount(query.get("$skip"), "$skip") : 0;
        Predicate<JsonNode> filter = ODataQueryEvaluator.filter(query.get("$filter"), properties);
        Comparator<JsonNode> order = ODataQueryEvaluator.orderBy(query.get("$orderby"), properties);
        List<ObjectNode> matching = rows.stream().filter(filter).sorted(order).toList();
        ObjectNode reply = JSON.createObjectNode();
        reply.put("@odata.context", "/odata/$metadata#" + set);
        if ("true".equalsIgnoreCase(query.get("$count"))) {
            reply.put("@odata.count", matching.size());
        }
        ArrayNode value = reply.putArray("value");
        matching.stream().skip(skip).limit(top).forEach(value::add);
        return jsonReply(200, reply);
    }

    private static int parseCount(String text, String option) {
        try {
            int n = Integer.parseInt(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("Invalid value '" + text + "' for " + option + ".");
        }
    }

    private SimulatedReply updateItem(HttpExchange exchange, long folderId, long itemId, String body) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return error(415, 0, "Content-Type must be application/json.");
        }
        JsonNode update;
        try {
            update = JSON.readTree(body);
        } catch (IOException e) {
            return error(400, 1000, "The request body is not valid JSON.");
        }
        if (update == null || !update.isObject()) {
            return error(400, 1000, "The request body must be a JSON object.");
        }
        for (String field : (Iterable<String>) update::fieldNames) {
            if (!PUT_FIELDS.contains(field)) {
                return error(400, 1000, "The property '" + field + "' does not exist on type 'QueueItemDto'.");
            }
        }
        var current = tenant.itemIn(folderId, itemId);
        if (current.isEmpty()) {
            return error(404, 1002, "Queue item does not exist.");
        }
        ObjectNode item = current.get();
        String queueName = tenant.queueName(item.get("QueueDefinitionId").asLong());
        if (!queueName.equals(update.path("Name").asText(null))) {
            return error(400, 1000, "The queue name does not match the queue of this item.");
        }
        if (!CLEARABLE.contains(item.get("Status").asText())) {
            return error(400, 1000, "Queue item content can only be changed for items in status Successful, "
                    + "Deleted or Retried; this item is " + item.get("Status").asText() + ".");
        }
        if (!Set.of("High", "Normal", "Low").contains(update.path("Priority").asText())) {
            return error(400, 1000, "Priority must be High, Normal or Low.");
        }
        for (String date : List.of("DeferDate", "DueDate", "RiskSlaDate")) {
            JsonNode value = update.get(date);
            if (value != null && !value.isNull()) {
                try {
                    Instant.parse(value.asText());
                } catch (RuntimeException e) {
                    return error(400, 1000, "Invalid date in " + date + ".");
                }
            }
        }
        JsonNode content = update.get("SpecificContent");
        if (content != null && !content.isNull() && !content.isObject()) {
            return error(400, 1000, "SpecificContent must be an object.");
        }
        tenant.applyUpdate(itemId, update);
        return new SimulatedReply(200, "", "");
    }

    private SimulatedReply clientCredentialsToken(HttpExchange exchange, String body) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return new SimulatedReply(400, "application/json", "{\"error\":\"invalid_request\"}");
        }
        Map<String, String> form = decodeQuery(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return new SimulatedReply(400, "application/json", "{\"error\":\"unsupported_grant_type\"}");
        }
        if (!SimulatorAccounts.CLIENT_ID.equals(form.get("client_id"))
                || !SimulatorAccounts.CLIENT_SECRET.equals(form.get("client_secret"))) {
            return new SimulatedReply(400, "application/json", "{\"error\":\"invalid_client\"}");
        }
        String scope = form.getOrDefault("scope", "");
        String token = issueToken();
        ObjectNode reply = JSON.createObjectNode();
        reply.put("access_token", token);
        reply.put("expires_in", tokenLifetime.toSeconds());
        reply.put("token_type", "Bearer");
        reply.put("scope", scope);
        return jsonReply(200, reply);
    }

    private SimulatedReply passwordLogin(String body) {
        JsonNode login;
        try {
            login = JSON.readTree(body);
        } catch (IOException e) {
            return error(400, 0, "The request body is not valid JSON.");
        }
        boolean valid = SimulatorAccounts.TENANCY_NAME.equalsIgnoreCase(login.path("tenancyName").asText())
                && SimulatorAccounts.USERNAME.equals(login.path("usernameOrEmailAddress").asText())
                && SimulatorAccounts.PASSWORD.equals(login.path("password").asText());
        ObjectNode reply = JSON.createObjectNode();
        if (!valid) {
            reply.putNull("result");
            reply.put("success", false);
            reply.putObject("error").put("code", 0).put("message", "Invalid user name or password").putNull("details");
            reply.put("unAuthorizedRequest", false);
            return jsonReply(400, reply);
        }
        reply.put("result", issueToken());
        reply.putNull("targetUrl");
        reply.put("success", true);
        reply.putNull("error");
        reply.put("unAuthorizedRequest", false);
        return jsonReply(200, reply);
    }

    private String issueToken() {
        String token = "sim-at-" + UUID.randomUUID().toString().replace("-", "");
        issuedTokens.put(token, Instant.now().plus(tokenLifetime));
        return token;
    }

    private static SimulatedReply error(int status, int code, String message) {
        return jsonReply(status, errorBody(code, message));
    }

    private static ObjectNode errorBody(int code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("message", message);
        body.put("errorCode", code);
        body.put("traceId", traceId());
        return body;
    }

    private static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static Map<String, String> decodeQuery(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }
}
