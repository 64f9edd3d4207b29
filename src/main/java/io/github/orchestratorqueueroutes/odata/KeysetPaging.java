package io.github.orchestratorqueueroutes.odata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/**
 * Walks an OData collection page by page with {@code Id gt last} and {@code $orderby=Id asc}, which stays correct
 * while items are added or changed during the walk (unlike {@code $skip}) and never relies on
 * {@code @odata.nextLink}. A short page ends the walk. The cursor lives in an exchange variable so several walks can
 * run at once. A route walks with {@link #nextRequest}/{@link #acceptPage} in a loop, or splits over {@link Rows}.
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

    /**
     * The rows of a walk, with the next page always being listed while the current one is handed out. A streaming
     * split over these keeps its workers busy across pages: no pause at each page's end for its slowest row, and
     * none for the list call. At most two pages are held. A page that cannot be read, or {@code keepListing}
     * turning false, ends the rows without raising, so the split still waits for every row already handed out; the
     * caller raises {@link #failure()} after it. Iterated by one thread at a time (a split hands its iteration from
     * thread to thread, one step after the other); the list calls run on {@code listing}.
     */
    public static final class Rows implements Iterator<JsonNode> {
        private final Cursor cursor;
        private final Function<OrchestratorRequest, JsonNode> fetch;
        private final Executor listing;
        private final Consumer<List<JsonNode>> onPage;
        private final BooleanSupplier keepListing;
        private Iterator<JsonNode> page = Collections.emptyIterator();
        private CompletableFuture<JsonNode> nextPage;
        private RuntimeException failure;
        private boolean ended;

        /**
         * @param fetch       makes a list call and returns its reply
         * @param listing     where the list calls run
         * @param onPage      told of each page read
         * @param keepListing asked before each list call; false ends the rows
         */
        public Rows(Cursor cursor, Function<OrchestratorRequest, JsonNode> fetch, Executor listing,
                Consumer<List<JsonNode>> onPage, BooleanSupplier keepListing) {
            this.cursor = cursor;
            this.fetch = fetch;
            this.listing = listing;
            this.onPage = onPage;
            this.keepListing = keepListing;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !ended) {
                if (nextPage == null && !listNextPage()) {
                    break;
                }
                try {
                    List<JsonNode> rows = cursor.accept(nextPage.join());
                    nextPage = null;
                    onPage.accept(rows);
                    page = rows.iterator();
                } catch (CompletionException e) {
                    end(e.getCause() instanceof RuntimeException cause ? cause : e);
                } catch (RuntimeException e) {
                    end(e);
                }
                if (!ended) {
                    listNextPage();
                }
            }
            return page.hasNext();
        }

        /** Starts listing the page after the last one read, if there is one and the run goes on. */
        private boolean listNextPage() {
            if (!cursor.more()) {
                return false;
            }
            if (!keepListing.getAsBoolean()) {
                ended = true;
                return false;
            }
            OrchestratorRequest request = cursor.nextRequest();
            nextPage = CompletableFuture.supplyAsync(() -> fetch.apply(request), listing);
            return true;
        }

        private void end(RuntimeException why) {
            failure = why;
            ended = true;
            nextPage = null;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }

        /** Why the rows ended early, or null. */
        public RuntimeException failure() {
            return failure;
        }

        /** True once every page was read: not ended by a failure nor by {@code keepListing}. */
        public boolean complete() {
            return failure == null && !cursor.more();
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
