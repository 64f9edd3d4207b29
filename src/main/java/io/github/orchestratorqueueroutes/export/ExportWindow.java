package io.github.orchestratorqueueroutes.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The items one export of a recurring archive covers: those of the queue that finished ({@code EndProcessing}) at or
 * after {@code from} and before {@code to}, in Orchestrator's time. Each window of a queue starts where the last
 * delivered one ended, so across runs every finished item is in exactly one file. The first has no start: it covers
 * everything that finished before its end.
 */
public record ExportWindow(Instant from, Instant to) {

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The OData filter of the window, for the export start. */
    public String filter() {
        return "EndProcessing lt " + to + (from == null ? "" : " and EndProcessing ge " + from);
    }

    /** True when nothing can have finished inside it (two runs within a second). */
    public boolean empty() {
        return from != null && !from.isBefore(to);
    }

    /** For the file-name token ${from}: "start" for a first window. */
    public String fromForFileName() {
        return from == null ? "start" : FILE_TIME.format(from);
    }

    public String toForFileName() {
        return FILE_TIME.format(to);
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "start" : from) + ", " + to + ")";
    }
}
