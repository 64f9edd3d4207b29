package io.github.orchestratorqueueroutes.purge;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which items a purge may clear: status in {@code purge.statuses}, queue in {@code purge.queues} (all when empty), and
 * finished (EndProcessing, else CreationTime) before the cutoff of {@code purge.older-than}. The same rules are pushed
 * into the list call's {@code $filter} and checked again on every listed item, so a server that ignores part of a
 * filter still cannot widen the purge.
 */
public final class PurgeCriteria {

    static final List<String> STATUS_NAMES =
            List.of("New", "InProgress", "Failed", "Successful", "Abandoned", "Retried", "Deleted");
    /** Orchestrator allows 100 expressions per filter; above this many queues the queue test stays client-side. */
    static final int MAX_QUEUES_IN_FILTER = 50;

    /**
     * What the archive of one queue holds, so the purge clears nothing it does not: the items up to an Id (a
     * whole-queue snapshot: every item at or below the highest Id noted before it started existed then) or the items
     * that finished before a time (the windows of a recurring archive, delivered from the first one on). With
     * {@code unfinishedToo}, items that never finished processing, which no window holds, may be cleared as well.
     */
    public record Archived(Long highestId, Instant finishedBefore, boolean unfinishedToo) {

        /** Archive-then-purge of a snapshot. */
        public static Archived upToId(long highestId) {
            return new Archived(highestId, null, false);
        }

        /** Archive-then-purge of windows: only what a delivered window holds. */
        public static Archived finishedBefore(Instant end) {
            return new Archived(null, end, false);
        }

        /** A plain purge beside a windowed export: what finished later waits for its window. */
        public static Archived waitingForArchive(Instant end) {
            return new Archived(null, end, true);
        }

        String filter(long queueId) {
            String held = highestId != null ? "Id le " + highestId : "EndProcessing lt " + odataTime(finishedBefore);
            return "(QueueDefinitionId eq " + queueId + " and " + (unfinishedToo ? "(" + held
                    + " or EndProcessing eq null)" : held) + ")";
        }

        boolean covers(JsonNode listed) {
            if (highestId != null) {
                return listed.path("Id").asLong(Long.MAX_VALUE) <= highestId;
            }
            Instant end = time(listed.get("EndProcessing"));
            return end == null ? unfinishedToo && isNull(listed.get("EndProcessing")) : end.isBefore(finishedBefore);
        }
    }

    /** A time as a $filter literal: whole seconds, rounded down (.NET keeps 7 fractional digits, Java may send 9). */
    public static String odataTime(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static boolean isNull(JsonNode field) {
        return field == null || field.isNull();
    }

    private final Set<String> statuses;
    private final Duration olderThan;
    /** For archive-then-purge: the export's extra filter, so nothing outside the archive is cleared. */
    private final String exportFilter;

    public PurgeCriteria(Set<String> statuses, Duration olderThan) {
        this(statuses, olderThan, null);
    }

    public PurgeCriteria(Set<String> statuses, Duration olderThan, String exportFilter) {
        this.statuses = Set.copyOf(statuses);
        this.olderThan = olderThan;
        this.exportFilter = exportFilter;
    }

    /** The statuses cleared, in a stable order. */
    public java.util.List<String> statuses() {
        return STATUS_NAMES.stream().filter(statuses::contains).toList();
    }

    public Duration olderThan() {
        return olderThan;
    }

    /** The latest finish time an item may have, or null when age does not matter. */
    public Instant cutoff(Instant now) {
        return olderThan.isZero() ? null : now.minus(olderThan).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * @param queueIds the selected queues' ids, or null for every queue
     */
    public String listFilter(Collection<Long> queueIds, Instant cutoff) {
        return listFilter(queueIds, cutoff, java.util.Map.of(), null);
    }

    /**
     * @param archived   for archive-then-purge: per queue, what the archive holds
     * @param since      for an incremental pass: only items that finished (or, never processed, were created) at or
     *                   after this; null lists every finished item
     */
    public String listFilter(Collection<Long> queueIds, Instant cutoff, java.util.Map<Long, Archived> archived,
            Instant since) {
        StringBuilder filter = new StringBuilder("(")
                .append(statuses.stream().sorted().map(s -> "Status eq '" + s + "'").collect(Collectors.joining(" or ")))
                .append(')');
        if (queueIds != null && queueIds.size() <= MAX_QUEUES_IN_FILTER) {
            filter.append(" and (")
                    .append(queueIds.stream().sorted().map(id -> archived.containsKey(id)
                            ? archived.get(id).filter(id) : "QueueDefinitionId eq " + id)
                            .collect(Collectors.joining(" or ")))
                    .append(')');
        }
        if (exportFilter != null) {
            filter.append(" and (").append(exportFilter).append(')');
        }
        if (since != null) {
            String at = odataTime(since);
            filter.append(" and (EndProcessing ge ").append(at)
                    .append(" or (EndProcessing eq null and CreationTime ge ").append(at).append("))");
        }
        if (cutoff != null) {
            String at = odataTime(cutoff);
            filter.append(" and (EndProcessing lt ").append(at)
                    .append(" or (EndProcessing eq null and CreationTime lt ").append(at).append("))");
        }
        return filter.toString();
    }

    /** The client-side twin of {@link #listFilter} (the export filter is the server's to apply). */
    public boolean selected(JsonNode listed, Collection<Long> queueIds, Instant cutoff,
            java.util.Map<Long, Archived> archived) {
        Archived archive = archived.get(listed.path("QueueDefinitionId").asLong(-1));
        if (archive != null && !archive.covers(listed)) {
            return false;
        }
        return selected(listed, queueIds, cutoff);
    }

    public boolean selected(JsonNode listed, Collection<Long> queueIds, Instant cutoff) {
        if (!statusAllowed(listed.get("Status"))) {
            return false;
        }
        if (queueIds != null && !queueIds.contains(listed.path("QueueDefinitionId").asLong(-1))) {
            return false;
        }
        return cutoff == null || finishedBefore(listed, cutoff);
    }

    /** Invariant 1: only a status in {@code purge.statuses} (all of them clearable) allows a PUT. */
    public boolean statusAllowed(JsonNode status) {
        String name = statusName(status);
        return name != null && statuses.contains(name);
    }

    /** The status as its name, also when a server sends the number; null when missing or unknown. */
    public static String statusName(JsonNode status) {
        if (status == null || status.isNull()) {
            return null;
        }
        String text = status.asText();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            int ordinal = Integer.parseInt(text);
            return ordinal < STATUS_NAMES.size() ? STATUS_NAMES.get(ordinal) : null;
        }
        return STATUS_NAMES.stream().filter(s -> s.equalsIgnoreCase(text)).findFirst().orElse(null);
    }

    public static boolean hasContent(JsonNode item) {
        JsonNode content = item.get("SpecificContent");
        if (content == null) {
            // the list reply may leave the object out and carry only its JSON text
            JsonNode data = item.get("SpecificData");
            return data != null && !data.isNull() && !data.asText().isBlank()
                    && !data.asText().replaceAll("\\s", "").matches("\\{}|\\{\"DynamicProperties\":(\\{}|null)}");
        }
        return !content.isNull() && !(content.isObject() && content.isEmpty());
    }

    private static boolean finishedBefore(JsonNode item, Instant cutoff) {
        JsonNode end = item.get("EndProcessing");
        Instant reference = time(end == null || end.isNull() ? item.get("CreationTime") : end);
        return reference != null && reference.isBefore(cutoff);
    }

    /** A time field of an item; null when missing or unreadable (never selects the item). */
    private static Instant time(JsonNode field) {
        if (field == null || field.isNull()) {
            return null;
        }
        try {
            return Instant.parse(field.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
