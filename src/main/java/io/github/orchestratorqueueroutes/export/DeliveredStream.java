package io.github.orchestratorqueueroutes.export;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Wraps a download so it is checked and unpacked while it streams to the target, never held in memory: the raw
 * bytes are counted and must reach the size Orchestrator announced (a short download fails at its end, before the
 * target renames its temporary file, so no partial file appears under the final name); a body that starts with
 * {@code PK} is a zip whose CSV entry is delivered; the delivered bytes are counted and hashed with SHA-256.
 */
public final class DeliveredStream extends FilterInputStream {

    private final RawCount raw;
    private final MessageDigest sha256;
    private final boolean zipped;
    private long delivered;
    private String sha256Hex;
    private boolean ended;
    private LongConsumer progress = bytes -> { };

    private DeliveredStream(InputStream delivered, RawCount raw, MessageDigest sha256, boolean zipped) {
        super(delivered);
        this.raw = raw;
        this.sha256 = sha256;
        this.zipped = zipped;
    }

    /**
     * @param expectedSize the export's {@code Size}, or a negative number when it gave none
     */
    public static DeliveredStream of(InputStream download, long expectedSize) throws IOException {
        RawCount raw = new RawCount(download, expectedSize);
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(2);
        buffered.reset();
        boolean zipped = magic.length == 2 && magic[0] == 'P' && magic[1] == 'K';
        InputStream csv = buffered;
        if (zipped) {
            csv = csvEntry(buffered, raw);
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new DeliveredStream(new DigestInputStream(csv, digest), raw, digest, zipped);
    }

    private static InputStream csvEntry(InputStream buffered, RawCount raw) throws IOException {
        ZipInputStream zip = new ZipInputStream(buffered);
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            if (!entry.isDirectory() && entry.getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return new FilterInputStream(zip) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n < 0) {
                            // read the rest of the archive so its size is checked too
                            raw.drain();
                        }
                        return n;
                    }
                };
            }
        }
        throw new IOException("The downloaded export is a zip file without a .csv entry");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (DownloadBrokenException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadBrokenException("The download broke off after " + raw.count + " bytes"
                    + (raw.expected >= 0 ? " of " + raw.expected : "") + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        if (n > 0) {
            delivered += n;
            progress.accept(raw.count);
        } else if (n < 0) {
            ended = true;
        }
        return n;
    }

    /** The download failed while it was delivered; nothing carries the final name. */
    public static final class DownloadBrokenException extends IOException {
        DownloadBrokenException(String message, Throwable cause) {
            super(message, cause);
        }

        DownloadBrokenException(String message) {
            super(message);
        }
    }

    /** True once the stream was read to its end (and so checked against the announced size). */
    /** Hands the bytes downloaded so far to {@code progress} after every read. */
    public DeliveredStream reportingTo(LongConsumer progress) {
        this.progress = progress;
        return this;
    }

    public boolean ended() {
        return ended;
    }

    public long deliveredBytes() {
        return delivered;
    }

    public long downloadedBytes() {
        return raw.count;
    }

    public boolean zipped() {
        return zipped;
    }

    /** The SHA-256 of the delivered bytes; ask only once the stream was read to its end. */
    public synchronized String sha256() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
        }
        return sha256Hex;
    }

    /** Counts the raw download and checks it against the announced size at its end. */
    private static final class RawCount extends FilterInputStream {
        private final long expected;
        private long count;

        RawCount(InputStream in, long expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended();
            } else {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                ended();
            } else {
                count += n;
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buffer = new byte[64 * 1024];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counting only
            }
        }

        private void ended() throws IOException {
            if (expected >= 0 && count != expected) {
                throw new DownloadBrokenException("The download ended after " + count
                        + " bytes, but the export's Size is " + expected + " bytes");
            }
        }
    }
}
