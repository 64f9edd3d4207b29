package io.github.orchestratorqueueroutes.odata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Orchestrator's time, as the {@code Date} header of its answers tells it, carried forward by the local clock
 * between answers. Marks of how far a purge has worked must be in the time of the server that stamps
 * {@code EndProcessing}, not in that of a host whose clock may be off by minutes. The header has whole seconds and is
 * written before the answer travels, so this clock runs slightly behind the server's: the safe side for a mark.
 */
public final class ServerClock extends Clock {

    private final Clock local;
    private volatile Duration offset;

    public ServerClock(Clock local) {
        this.local = local;
    }

    /** Takes the server's time from an answer's {@code Date} header; a missing or malformed one is ignored. */
    public void observe(String dateHeader) {
        if (dateHeader == null || dateHeader.isBlank()) {
            return;
        }
        try {
            Instant server = ZonedDateTime.parse(dateHeader.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            offset = Duration.between(local.instant(), server);
        } catch (DateTimeParseException e) {
            // a proxy's odd header: keep what the last good one said
        }
    }

    /** True once an answer told the server's time. */
    public boolean known() {
        return offset != null;
    }

    @Override
    public Instant instant() {
        Duration off = offset;
        return off == null ? local.instant() : local.instant().plus(off);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Orchestrator's time is kept in UTC");
    }
}
