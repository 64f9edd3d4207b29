package io.github.orchestratorqueueroutes.purge;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the body of the PUT that clears an item's content. Orchestrator applies Priority, DueDate, DeferDate and
 * Progress from this body, so every value is copied from the fresh detail exactly (nulls stay null) and nothing else
 * is sent. A detail that lacks one of these fields is refused rather than guessed, because a guess would overwrite
 * real data.
 */
public final class PurgeBody {

    /** Copied from the detail, in the order of UiPath's guide. */
    static final List<String> COPIED_BEFORE_CONTENT = List.of("Priority");
    static final List<String> COPIED_AFTER_CONTENT = List.of("DeferDate", "DueDate", "RiskSlaDate", "Reference",
            "Progress");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PurgeBody() {
    }

    public static ObjectNode build(JsonNode detail, String queueName) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", queueName);
        copy(detail, body, COPIED_BEFORE_CONTENT);
        body.putObject("SpecificContent");
        copy(detail, body, COPIED_AFTER_CONTENT);
        return body;
    }

    private static void copy(JsonNode detail, ObjectNode body, List<String> fields) {
        for (String field : fields) {
            JsonNode value = detail.get(field);
            if (value == null) {
                throw new MalformedItemException("the item detail has no '" + field
                        + "' field; it was not cleared because the PUT would overwrite that value");
            }
            body.set(field, value.deepCopy());
        }
    }
}
