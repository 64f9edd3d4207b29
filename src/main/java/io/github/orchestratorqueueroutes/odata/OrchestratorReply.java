package io.github.orchestratorqueueroutes.odata;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.orchestratorqueueroutes.http.RetryAfter;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads Orchestrator's answer: a 2xx JSON body becomes the message body as a {@link JsonNode} (an empty body becomes
 * JSON null); anything else raises an {@link OrchestratorCallException} that names the operation, the HTTP status and
 * the server's errorCode and message.
 */
public class OrchestratorReply {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED_BODY = 200;

    private final ListCallBudget listBudget;
    private final Clock clock;
    private final RunMetrics metrics;
    private final ServerClock serverClock;

    public OrchestratorReply(ListCallBudget listBudget, Clock clock, RunMetrics metrics, ServerClock serverClock) {
        this.listBudget = listBudget;
        this.clock = clock;
        this.metrics = metrics;
        this.serverClock = serverClock;
    }

    public void read(Exchange exchange) {
        OrchestratorRequest request = OrchestratorCall.request(exchange);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        metrics.call(request, Integer.toString(status));
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, "", String.class);
        String retryAfterHeader = message.getHeader("Retry-After", String.class);
        listBudget.observe(request, message.getHeader("X-RateLimit-Remaining", String.class));
        serverClock.observe(message.getHeader("Date", String.class));
        String text = message.getBody(String.class);
        message.getHeaders().clear();
        text = text == null ? "" : text.trim();

        if (status >= 200 && status < 300) {
            message.setBody(text.isEmpty() ? NullNode.getInstance() : parse(text, contentType, status, request));
            return;
        }
        JsonNode error = tryParse(text);
        String serverMessage = error == null ? null : field(error, "message", "errorMessage", "title");
        Integer errorCode = null;
        String codeText = error == null ? null : field(error, "errorCode");
        if (codeText != null && codeText.matches("-?\\d+")) {
            errorCode = Integer.valueOf(codeText);
        }
        StringBuilder m = new StringBuilder(request.describe()).append(" failed: HTTP ").append(status);
        if (errorCode != null) {
            m.append(", errorCode ").append(errorCode);
        }
        if (serverMessage != null) {
            m.append(": ").append(serverMessage);
        } else if (!text.isEmpty()) {
            m.append(": ").append(describeNonJson(contentType, text));
        }
        m.append(hint(status, errorCode));
        Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock);
        if (retryAfter == null && error != null && error.has("retry_after")) {
            retryAfter = RetryAfter.parse(error.get("retry_after").asText(), clock);
        }
        throw new OrchestratorCallException(m.toString(), status, errorCode, retryAfter);
    }

    private static JsonNode parse(String text, String contentType, int status, OrchestratorRequest request) {
        JsonNode node = tryParse(text);
        if (node == null && (text.startsWith("{") || text.startsWith("["))) {
            throw new MalformedReplyException(request.describe() + " returned HTTP " + status + " with malformed "
                    + "JSON (" + jsonProblem(text) + " in " + text.length() + " characters): the answer was cut off or "
                    + "damaged on the way.", status);
        }
        if (node == null) {
            throw new OrchestratorCallException(request.describe() + " returned HTTP " + status + " with "
                    + describeNonJson(contentType, text) + " instead of JSON; check that orchestrator.url points at "
                    + "the Orchestrator service (it ends with /orchestrator_ on Automation Cloud).", status, null);
        }
        return node;
    }

    private static JsonNode tryParse(String text) {
        if (!(text.startsWith("{") || text.startsWith("["))) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** Jackson's reason, its first line, without the source excerpt that could hold item content. */
    private static String jsonProblem(String text) {
        try {
            JSON.readTree(text);
            return "unreadable";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String reason = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst()
                    .orElse("unreadable");
            return reason.length() > 80 ? reason.substring(0, 80) + "..." : reason;
        }
    }

    /** Reads a field whatever its case: the spec says PascalCase, the wire says camelCase. */
    private static String field(JsonNode node, String... names) {
        for (String name : names) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isNull() && !e.getValue().isContainerNode()) {
                    return e.getValue().asText();
                }
            }
        }
        return null;
    }

    private static String describeNonJson(String contentType, String text) {
        String type = contentType.isEmpty() ? "a body" : "'" + contentType.toLowerCase(Locale.ROOT) + "'";
        String start = text.length() > MAX_QUOTED_BODY ? text.substring(0, MAX_QUOTED_BODY) + "..." : text;
        return type + " starting \"" + start.replaceAll("\\s+", " ") + "\"";
    }

    private static String hint(int status, Integer errorCode) {
        if (errorCode != null && errorCode == 1101) {
            return " (the folder header was missing)";
        }
        if (errorCode != null && errorCode == 1100) {
            return " (check orchestrator.folders: the folder does not exist or the account cannot see it)";
        }
        if (status == 403) {
            return " (the account or external application lacks a permission or scope; see README \"Scopes\")";
        }
        return "";
    }
}
