package io.github.orchestratorqueueroutes.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the simulator received, with the status it answered. Header names are lower-case.
 *
 * @param query the decoded query parameters ({@code $filter}, {@code $top}, ...)
 */
public record RecordedRequest(
        Instant at,
        String method,
        String path,
        Map<String, String> query,
        Map<String, List<String>> headers,
        String body,
        int status) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean is(String method, String pathPattern) {
        return this.method.equals(method) && path.matches(pathPattern);
    }

    /** The collection list call that Automation Cloud rate-limits. */
    public boolean isQueueItemsList() {
        return is("GET", "/odata/QueueItems");
    }

    public boolean isItemGet() {
        return is("GET", "/odata/QueueItems\\(\\d+\\)");
    }

    public boolean isItemPut() {
        return is("PUT", "/odata/QueueItems\\(\\d+\\)");
    }

    public boolean isExportStart() {
        return is("POST", "/odata/QueueDefinitions\\(\\d+\\)/UiPathODataSvc\\.Export");
    }

    /** A request to the download host. */
    public boolean isDownload() {
        return path.startsWith("/exports/");
    }

    public long itemId() {
        return Long.parseLong(path.replaceAll("\\D", ""));
    }
}
