package io.github.orchestratorqueueroutes.odata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/**
 * Walks an OData collection page by page with {@code Id gt last} and {@code $orderby=Id asc}, which stays correct
 * while items are added or changed during the walk (unlike {@code $skip}) and never relies on
 * {@code @odata.nextLink}. A short page ends the walk. The cursor lives in an exchange variable so several walks can
 * run at once.
 */
public class KeysetPaging {

    public static final String CURSOR = "cursor";
    public static final String MORE_PAGES = "morePages";

    /** Where a walk stands. {@code total} is the server's {@code @odata.count} from the first page. */
    public static final class Cursor {
        private final String path;
        private final String filter;
        private final Long folderId;
        private final int pageSize;
        private final String operation;
        private long afterId;
        private boolean more = true;
        private Long total;

        public Cursor(String path, String filter, Long folderId, int pageSize, String operation) {
            this.path = path;
            this.filter = filter;
            this.folderId = folderId;
            this.pageSize = pageSize;
            this.operation = operation;
        }

        public Long total() {
            return total;
        }

        public boolean more() {
            return more;
        }

        OrchestratorRequest nextRequest() {
            Map<String, String> query = new LinkedHashMap<>();
            String keyset = "Id gt " + afterId;
            query.put("$filter", filter == null || filter.isBlank() ? keyset : "(" + filter + ") and " + keyset);
            query.put("$orderby", "Id asc");
            query.put("$top", Integer.toString(pageSize));
            if (total == null) {
                query.put("$count", "true");
            }
            return OrchestratorRequest.get(path, folderId, operation).withQuery(query);
        }

        List<JsonNode> accept(JsonNode page) {
            if (page == null || !page.path("value").isArray()) {
                throw new OrchestratorCallException(operation + (folderId == null ? "" : " in folder " + folderId)
                        + " returned a reply without a 'value' list.", 200, null);
            }
            if (total == null && page.has("@odata.count")) {
                total = page.get("@odata.count").asLong();
            }
            List<JsonNode> rows = new ArrayList<>();
            page.get("value").forEach(rows::add);
            long highest = afterId;
            for (JsonNode row : rows) {
                JsonNode id = row.get("Id");
                if (id == null || !id.canConvertToLong()) {
                    throw new OrchestratorCallException(operation + " returned a row without a numeric Id.", 200, null);
                }
                highest = Math.max(highest, id.asLong());
            }
            // a server that ignored the keyset would loop forever; a page that does not advance ends the walk
            more = rows.size() >= pageSize && highest > afterId;
            afterId = highest;
            return rows;
        }
    }

    /** Sets the request for the next page of the walk in variable {@value #CURSOR}. */
    public void nextRequest(Exchange exchange) {
        exchange.setVariable(OrchestratorRequest.VARIABLE, cursor(exchange).nextRequest());
    }

    /** Replaces the page reply in the body with its rows and records whether more pages follow. */
    public void acceptPage(Exchange exchange) {
        Cursor cursor = cursor(exchange);
        exchange.getMessage().setBody(cursor.accept(exchange.getMessage().getBody(JsonNode.class)));
        exchange.setVariable(MORE_PAGES, cursor.more());
    }

    public static void begin(Exchange exchange, Cursor cursor) {
        exchange.setVariable(CURSOR, cursor);
        exchange.setVariable(MORE_PAGES, true);
    }

    private static Cursor cursor(Exchange exchange) {
        return exchange.getVariable(CURSOR, Cursor.class);
    }
}
