package io.github.orchestratorqueueroutes.export;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.orchestratorqueueroutes.http.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A download body that survives a break: when the connection resets, times out or ends before the announced size,
 * the rest is asked for again from the byte reached (an HTTP {@code Range} request, through a fresh link), and
 * reading goes on as if nothing had happened. The target, the size check and the SHA-256 see one continuous stream.
 * Breaks are bounded by {@code export.download.max-attempts} and spaced by the back-off.
 */
final class ResumingDownload extends InputStream {

    /** Opens the download again, positioned at {@code offset} (the opener skips what a server without ranges resends). */
    interface Reopener {
        InputStream from(long offset) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResumingDownload.class);

    private final Reopener reopener;
    private final long expectedSize;
    private final Backoff backoff;
    private final Clock clock;
    private final String what;
    private InputStream current;
    private long offset;
    private int attempts = 1;
    private Instant firstBreak;

    /** @param expectedSize the raw size Orchestrator announced, or negative when unknown (an early end is then final) */
    ResumingDownload(InputStream first, Reopener reopener, long expectedSize, Backoff backoff, Clock clock,
            String what) {
        this.current = first;
        this.reopener = reopener;
        this.expectedSize = expectedSize;
        this.backoff = backoff;
        this.clock = clock;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            IOException broken;
            try {
                int n = current.read(b, off, len);
                if (n > 0) {
                    offset += n;
                    // a later break gets the whole retry time again
                    firstBreak = null;
                    return n;
                }
                if (n < 0 && (expectedSize < 0 || offset >= expectedSize)) {
                    return n;
                }
                broken = n < 0 ? new IOException("the body ended early") : null;
            } catch (IOException e) {
                if (expectedSize >= 0 && offset == expectedSize) {
                    // every byte arrived; only the closing of the body failed
                    return -1;
                }
                broken = e;
            }
            if (broken != null) {
                resume(broken);
            }
        }
    }

    /** Waits, then opens the rest; a reopening that fails is one more break. */
    private void resume(IOException broken) throws IOException {
        IOException last = broken;
        while (true) {
            Instant now = clock.instant();
            firstBreak = firstBreak == null ? now : firstBreak;
            Duration delay = backoff.delay(attempts, null);
            if (!backoff.allows(attempts, firstBreak, delay, now)) {
                IOException giveUp = new IOException(describe(last) + " (gave up after " + attempts
                        + " attempts, export.download.max-attempts)", last);
                if (last != broken) {
                    giveUp.addSuppressed(broken);
                }
                throw giveUp;
            }
            attempts++;
            LOG.info("The download of {} broke off after {} bytes ({}); resuming from there in {} s (attempt {} of {})",
                    what, offset, describe(last), String.format("%.1f", delay.toMillis() / 1000.0), attempts,
                    backoff.maxAttempts());
            LOG.debug("Break detail", last);
            abort(current);
            try {
                Thread.sleep(delay.toMillis());
                current = reopener.from(offset);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the run is stopping", e);
            } catch (IOException e) {
                last = e;
            }
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Drops a response without reading it: closing an HttpClient body reads the rest first, which after a stall
     * would wait another timeout, and after a break elsewhere (a full disk) fetch what nobody wants any more.
     */
    static void abort(InputStream in) {
        try {
            if (in instanceof org.apache.hc.core5.http.io.EofSensorInputStream sensor) {
                sensor.abort();
            } else {
                in.close();
            }
        } catch (IOException e) {
            // the broken connection is dropped either way
        }
    }

    /** Gives up on the download: the delivery failed and nothing more of it is wanted. */
    void abort() {
        abort(current);
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
