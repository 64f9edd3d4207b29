package io.github.orchestratorqueueroutes.odata;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One Orchestrator API call, described before it is made. The route {@code orchestrator-request} turns it into a
 * camel-http request; {@link #operation()} names it in errors and logs.
 *
 * @param path     relative to the Orchestrator base URL, e.g. {@code odata/QueueItems(12)}
 * @param query    OData options in order, unencoded
 * @param folderId value of the folder header, or null for tenant-wide calls
 * @param jsonBody request body for PUT, else null
 */
public record OrchestratorRequest(String method, String path, Map<String, String> query, Long folderId,
        String jsonBody, String operation) {

    public static final String VARIABLE = "orchestratorRequest";

    public static OrchestratorRequest get(String path, Long folderId, String operation) {
        return new OrchestratorRequest("GET", path, Map.of(), folderId, null, operation);
    }

    public static OrchestratorRequest put(String path, Long folderId, String jsonBody, String operation) {
        return new OrchestratorRequest("PUT", path, Map.of(), folderId, jsonBody, operation);
    }

    public OrchestratorRequest withQuery(Map<String, String> options) {
        return new OrchestratorRequest(method, path, new LinkedHashMap<>(options), folderId, jsonBody, operation);
    }

    /** Percent-encoded query (spaces as %20, as OData servers expect), or null when there is none. */
    public String rawQuery() {
        if (query.isEmpty()) {
            return null;
        }
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    /** What the user reads in an error: operation and folder, never a token or body. */
    public String describe() {
        return operation + (folderId == null ? "" : " in folder " + folderId);
    }
}
