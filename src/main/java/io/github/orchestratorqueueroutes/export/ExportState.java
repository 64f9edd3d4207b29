package io.github.orchestratorqueueroutes.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.state.StateDocument;
import io.github.orchestratorqueueroutes.state.StateStore;

/**
 * What the export job must remember across runs and crashes, in one small JSON file per tenant under
 * {@code state.dir}: the export starts spent this UTC day (Automation Cloud allows 100 per tenant and day, shared with
 * everyone), and the export in flight per folder, queue and filter, so a restarted run resumes polling it instead of
 * spending another start. Written to a temporary file and moved into place, so a crash never leaves half a file.
 */
public class ExportState {

    /** Exports are kept 7 days; an older one cannot be downloaded any more. */
    static final Duration EXPORT_RETENTION = Duration.ofDays(7);

    private final StateDocument document;
    private final int dailyBudget;
    private final Clock clock;

    /**
     * An export that was started and not yet delivered.
     *
     * @param highestItemId for archive-then-purge: the queue's highest item Id just before the start, else null
     * @param window        the items it covers in a recurring archive; null for a whole-queue snapshot
     */
    public record InFlight(long exportId, Instant requestedAt, Long highestItemId, ExportWindow window) {
    }

    public ExportState(StateStore store, int dailyBudget, Clock clock) {
        this.document = new StateDocument(store, "export state");
        this.dailyBudget = dailyBudget;
        this.clock = clock;
    }

    /** The name of a tenant's state, the same in a folder and in ZooKeeper. */
    public static String nameFor(String tenant) {
        return StateDocument.nameFor("export-state", tenant);
    }

    /** Counts one export start against today's budget, or refuses when it is spent. */
    public synchronized void reserveStart() {
        ObjectNode state = read();
        ObjectNode budget = today(state);
        int used = budget.path("used").asInt();
        if (budget.path("quotaReached").asBoolean(false)) {
            throw new ExportBudgetException("Orchestrator answered error 4502 (daily export limit reached) earlier "
                    + "today; no export is started until 00:00 UTC.");
        }
        if (used >= dailyBudget) {
            throw new ExportBudgetException("The export budget for today (export.daily-budget=" + dailyBudget
                    + ") is spent; no export is started until 00:00 UTC. Automation Cloud allows 100 export starts per "
                    + "tenant and day, shared by everyone on the tenant.");
        }
        budget.put("used", used + 1);
        write(state);
    }

    /** Orchestrator refused a start with 4502: nothing more today. */
    public synchronized void quotaReached() {
        ObjectNode state = read();
        today(state).put("quotaReached", true);
        write(state);
    }

    public synchronized int startsLeftToday() {
        ObjectNode budget = today(read());
        return budget.path("quotaReached").asBoolean(false) ? 0 : Math.max(0, dailyBudget - budget.path("used").asInt());
    }

    public synchronized void inFlight(String key, InFlight export) {
        ObjectNode state = read();
        ObjectNode entry = state.with("inFlight").putObject(key);
        entry.put("exportId", export.exportId());
        entry.put("requestedAt", export.requestedAt().toString());
        if (export.highestItemId() != null) {
            entry.put("highestItemId", export.highestItemId());
        }
        if (export.window() != null) {
            entry.put("windowFrom", export.window().from() == null ? null : export.window().from().toString());
            entry.put("windowTo", export.window().to().toString());
        }
        write(state);
    }

    /** The export in flight for this key, if one is young enough to still be downloadable. */
    public synchronized Optional<InFlight> inFlight(String key) {
        var entry = read().path("inFlight").path(key);
        if (entry.isMissingNode()) {
            return Optional.empty();
        }
        InFlight export = new InFlight(entry.path("exportId").asLong(), instant(entry.get("requestedAt")),
                entry.has("highestItemId") ? entry.get("highestItemId").asLong() : null,
                entry.hasNonNull("windowTo") ? new ExportWindow(instant(entry.get("windowFrom")),
                        instant(entry.get("windowTo"))) : null);
        if (export.requestedAt().isBefore(clock.instant().minus(EXPORT_RETENTION))) {
            done(key);
            return Optional.empty();
        }
        return Optional.of(export);
    }

    /** The export is no longer in flight: failed for good, or too old to download. */
    public synchronized void done(String key) {
        ObjectNode state = read();
        state.with("inFlight").remove(key);
        write(state);
    }

    /**
     * The export was delivered: it is no longer in flight and, in a recurring archive, the queue's next window starts
     * where this one ended. One write, so a crash cannot leave the window moved and the export still in flight.
     *
     * @param runStartedAt Orchestrator's time when the run that made it began, from which export.every counts
     */
    public synchronized void delivered(String key, ExportWindow window, Instant runStartedAt) {
        ObjectNode state = read();
        state.with("inFlight").remove(key);
        ObjectNode archive = state.with("archive").with(archiveKey(key));
        archive.put("runStartedAt", runStartedAt.toString());
        Instant before = instant(archive.get("archivedUpTo"));
        if (window != null && (before == null || window.to().isAfter(before))) {
            archive.put("archivedUpTo", window.to().toString());
        }
        write(state);
    }

    /** Where the queue's next window starts: the end of its last delivered one; empty before the first. */
    public synchronized Optional<Instant> archivedUpTo(String key) {
        return Optional.ofNullable(instant(read().path("archive").path(archiveKey(key)).get("archivedUpTo")));
    }

    /** When the run that delivered the queue's last export began, in Orchestrator's time; empty before the first. */
    public synchronized Optional<Instant> lastExportRun(String key) {
        return Optional.ofNullable(instant(read().path("archive").path(archiveKey(key)).get("runStartedAt")));
    }

    /**
     * A queue's archive is one series of windows whichever folder of a shared queue exported it, so its key leaves
     * the folder out of the export's key (folder/queue/filter): a changed folder list does not start a second series.
     */
    private static String archiveKey(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    private Instant instant(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return node == null || node.isNull() ? null : Instant.parse(node.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw document.unreadable("'" + node.asText() + "' is not a time");
        }
    }

    private ObjectNode today(ObjectNode state) {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        ObjectNode budget = state.with("budget");
        if (!day.equals(budget.path("day").asText())) {
            budget.removeAll();
            budget.put("day", day);
            budget.put("used", 0);
        }
        return budget;
    }

    private ObjectNode read() {
        return document.read();
    }

    private void write(ObjectNode state) {
        document.write(state);
    }

    static String shortHash(String text) {
        return StateDocument.shortHash(text);
    }
}
