package io.github.orchestratorqueueroutes.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The export side of the simulated tenant: jobs that move New, InProgress, Completed (or Failed) over a set time, a
 * daily quota per tenant, and the CSV each job serves. The CSV of a job is fixed when the job starts, as the real
 * service snapshots the items that exist then. A job can instead serve a synthetic CSV of any size, generated while it
 * is sent, so tests can move files far larger than the heap.
 */
public final class SimulatedExports {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SYNTHETIC_ROW = 100;

    /**
     * One export job; {@code content} is what is served (the zip for a zipped job), {@code csv} the CSV in it; both
     * are null for a synthetic job.
     */
    record Job(long id, long folderId, long queueId, String name, Instant requestedAt, boolean fails, byte[] content,
            byte[] csv, long syntheticSize, boolean zipped, String downloadKey, boolean requiresAuth) {

        long size() {
            return content != null ? content.length : syntheticSize;
        }
    }

    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(8657);
    private final Set<Long> failingQueues = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private volatile Duration duration = Duration.ofMillis(300);
    private volatile int dailyQuota = 100;
    private volatile int quotaStatus = 400;
    private volatile long syntheticSize = -1;
    private volatile boolean zipped;
    private volatile Duration linkLifetime = Duration.ofMinutes(5);
    private volatile long dropDownloadsAfter = -1;
    private final java.util.Deque<Long> cuts = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile boolean ranges = true;
    private final java.util.concurrent.atomic.AtomicLong bytesServed = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean requireAuth;
    private volatile boolean authLinksElsewhere;
    private LocalDate quotaDay;
    private int startedToday;

    SimulatedExports(Clock clock) {
        this.clock = clock;
    }

    // --- knobs ---

    /** How long a job takes from request to Completed (half of it New, half InProgress). */
    public void duration(Duration duration) {
        this.duration = duration;
    }

    /** Jobs of this queue end Failed. */
    public void failQueue(long queueId) {
        failingQueues.add(queueId);
    }

    /** Jobs of this queue started from now on complete again. */
    public void recoverQueue(long queueId) {
        failingQueues.remove(queueId);
    }

    /** Export starts allowed per UTC day before error 4502, answered with this HTTP status. */
    public void dailyQuota(int starts, int httpStatus) {
        this.dailyQuota = starts;
        this.quotaStatus = httpStatus;
    }

    /** Jobs started from now on serve a generated CSV of exactly this many bytes (never zipped). */
    public void syntheticSize(long bytes) {
        this.syntheticSize = bytes;
    }

    /** Jobs started from now on serve their CSV inside a zip file, as large exports do. */
    public void zipped(boolean zipped) {
        this.zipped = zipped;
    }

    /** How long a download link stays valid. */
    public void linkLifetime(Duration lifetime) {
        this.linkLifetime = lifetime;
    }

    /**
     * Links of jobs started from now on say {@code RequiresAuth: true}, and their download needs the Orchestrator
     * bearer token: served by Orchestrator itself, at its own origin, as on-prem downloads are.
     */
    public void requireAuth(boolean required) {
        this.requireAuth = required;
    }

    /**
     * Links that say {@code RequiresAuth: true} point at the download host, another origin than Orchestrator's,
     * instead of Orchestrator itself: a link the bearer token must not follow.
     */
    public void authLinksOnDownloadHost(boolean elsewhere) {
        this.authLinksElsewhere = elsewhere;
    }

    /** Where a job's download link points: Orchestrator itself serves a link that needs its token (on-prem). */
    String downloadBase(Job job, String apiBaseUrl, String downloadHostUrl) {
        return job.requiresAuth() && !authLinksElsewhere ? apiBaseUrl : downloadHostUrl;
    }

    /** Downloads stop after this many bytes, as a dropped connection would; negative to send them whole. */
    public void dropDownloadsAfter(long bytes) {
        this.dropDownloadsAfter = bytes;
    }

    /**
     * Cuts downloads at these positions of the file, one each, in order: the first download that passes the first
     * position is cut there, the next one that passes the second, and so on.
     */
    public void cutDownloadsAt(long... positions) {
        for (long position : positions) {
            cuts.add(position);
        }
    }

    /** Whether the download host answers {@code Range: bytes=N-} with 206 (as Azure Blob Storage does); on by default. */
    public void supportRanges(boolean supported) {
        this.ranges = supported;
    }

    /** Bytes the download host has sent, over every download. */
    public long bytesServed() {
        return bytesServed.get();
    }

    /** Where a download asked with this Range header starts: 0 without one or without range support. */
    long rangeStart(String rangeHeader) {
        if (!ranges || rangeHeader == null || !rangeHeader.matches("bytes=\\d+-")) {
            return 0;
        }
        return Long.parseLong(rangeHeader.substring(6, rangeHeader.length() - 1));
    }

    // --- for tests ---

    /** The CSV a job serves (unzipped), to compare with what was delivered. */
    public InputStream csv(long exportId) {
        Job job = jobs.get(exportId);
        return job.csv() != null ? new java.io.ByteArrayInputStream(job.csv()) : syntheticCsv(job.size());
    }

    public int startedCount() {
        return jobs.size();
    }

    // --- used by the simulator's endpoints ---

    synchronized Optional<Job> start(long folderId, long queueId, String queueName, List<ObjectNode> items) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(quotaDay)) {
            quotaDay = today;
            startedToday = 0;
        }
        if (startedToday >= dailyQuota) {
            return Optional.empty();
        }
        startedToday++;
        long id = nextId.incrementAndGet();
        boolean zip = zipped && syntheticSize < 0;
        byte[] csv = syntheticSize >= 0 ? null : itemsCsv(items);
        byte[] content = zip ? zip(queueName + "-items.csv", csv) : csv;
        Job job = new Job(id, folderId, queueId, queueName + "-items", clock.instant(), failingQueues.contains(queueId),
                content, csv, syntheticSize, zip, UUID.randomUUID().toString(), requireAuth);
        jobs.put(id, job);
        return Optional.of(job);
    }

    int quotaStatus() {
        return quotaStatus;
    }

    Optional<Job> job(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    String status(Job job) {
        Duration elapsed = Duration.between(job.requestedAt(), clock.instant());
        if (elapsed.compareTo(duration.dividedBy(2)) < 0) {
            return "New";
        }
        if (elapsed.compareTo(duration) < 0) {
            return "InProgress";
        }
        return job.fails() ? "Failed" : "Completed";
    }

    ObjectNode json(Job job) {
        String status = status(job);
        ObjectNode node = JSON.createObjectNode();
        node.put("Id", job.id());
        node.put("Name", job.name());
        node.put("Type", "Queues");
        node.put("Status", status);
        node.put("RequestedAt", SimulatedTenant.iso(job.requestedAt()));
        if (status.equals("Completed") || status.equals("Failed")) {
            node.put("ExecutedAt", SimulatedTenant.iso(job.requestedAt().plus(duration)));
        } else {
            node.putNull("ExecutedAt");
        }
        if (status.equals("Completed")) {
            node.put("Size", job.size());
        } else {
            node.putNull("Size");
        }
        return node;
    }

    /** A signed link valid for {@link #linkLifetime}: {@code sig} proves it, {@code se} is its expiry (epoch ms). */
    ObjectNode downloadLink(Job job, String blobBaseUrl) {
        long expiry = clock.instant().plus(linkLifetime).toEpochMilli();
        ObjectNode link = JSON.createObjectNode();
        String file = java.net.URLEncoder.encode(job.name(), StandardCharsets.UTF_8).replace("+", "%20")
                + (job.zipped() ? ".zip" : ".csv");
        link.put("Uri", blobBaseUrl + "/exports/" + job.id() + "/" + file
                + "?se=" + expiry + "&sig=" + signature(job, expiry));
        link.put("Verb", "GET");
        link.put("RequiresAuth", job.requiresAuth());
        ObjectNode headers = link.putObject("Headers");
        headers.putArray("Keys").add("x-ms-version").add("x-sim-download-key");
        headers.putArray("Values").add("2020-10-02").add(job.downloadKey());
        return link;
    }

    boolean validSignature(Job job, long expiry, String signature) {
        return signature(job, expiry).equals(signature) && clock.instant().toEpochMilli() < expiry;
    }

    private static String signature(Job job, long expiry) {
        return UUID.nameUUIDFromBytes((job.downloadKey() + "/" + expiry).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    /** Writes the served bytes (the zip itself for a zipped job) from {@code start} on. */
    void writeContent(Job job, OutputStream out, long start) throws IOException {
        try (InputStream in = job.content() != null ? new java.io.ByteArrayInputStream(job.content())
                : syntheticCsv(job.size())) {
            in.skipNBytes(start);
            long drop = dropDownloadsAfter;
            if (drop >= 0) {
                byte[] part = in.readNBytes((int) Math.min(drop, Integer.MAX_VALUE - 8));
                out.write(part);
                bytesServed.addAndGet(part.length);
                out.flush();
                throw new IOException("download dropped after " + drop + " bytes (simulated)");
            }
            Long cut = cuts.peek();
            long position = start;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                int allowed = cut != null && cut >= position && cut < position + n ? (int) (cut - position) : n;
                out.write(buffer, 0, allowed);
                bytesServed.addAndGet(allowed);
                position += allowed;
                if (allowed < n) {
                    cuts.remove(cut);
                    out.flush();
                    throw new IOException("download cut at byte " + cut + " (simulated)");
                }
            }
        }
    }

    static byte[] itemsCsv(List<ObjectNode> items) {
        StringBuilder csv = new StringBuilder("Id,Reference,Status,Priority,CreationTime,EndProcessing,Progress,"
                + "SpecificData\r\n");
        for (JsonNode item : items) {
            csv.append(item.get("Id").asLong()).append(',')
                    .append(quote(item.get("Reference"))).append(',')
                    .append(quote(item.get("Status"))).append(',')
                    .append(quote(item.get("Priority"))).append(',')
                    .append(quote(item.get("CreationTime"))).append(',')
                    .append(quote(item.get("EndProcessing"))).append(',')
                    // progress notes can span lines, as real exports do
                    .append(quote(item.get("Progress").isNull() ? null : item.get("Progress").asText() + "\nchecked"))
                    .append(',')
                    .append(quote(item.get("SpecificData"))).append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(Object value) {
        if (value == null || value instanceof JsonNode n && n.isNull()) {
            return "";
        }
        String text = value instanceof JsonNode n ? n.asText() : value.toString();
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static byte[] zip(String entryName, byte[] csv) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(entryName));
                zip.write(csv);
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fixed-width rows up to exactly {@code size} bytes, produced as they are read. */
    static InputStream syntheticCsv(long size) {
        byte[] header = "Id,Reference,Status,SpecificData\n".getBytes(StandardCharsets.US_ASCII);
        InputStream rows = new InputStream() {
            private long position;
            private final byte[] row = new byte[SYNTHETIC_ROW];
            private int rowPosition = SYNTHETIC_ROW;
            private long rowNumber;
            private final long limit = Math.max(0, size - header.length);

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= limit) {
                    return -1;
                }
                int n = 0;
                while (n < len && position < limit) {
                    if (rowPosition == SYNTHETIC_ROW) {
                        fillRow();
                    }
                    int chunk = (int) Math.min(Math.min(len - n, SYNTHETIC_ROW - rowPosition), limit - position);
                    System.arraycopy(row, rowPosition, b, off + n, chunk);
                    rowPosition += chunk;
                    position += chunk;
                    n += chunk;
                }
                return n;
            }

            private void fillRow() {
                String text = String.format("%d,REF-%d,Successful,\"{\"\"Amount\"\":%d}\"", rowNumber, rowNumber,
                        rowNumber % 9973);
                byte[] t = text.getBytes(StandardCharsets.US_ASCII);
                java.util.Arrays.fill(row, (byte) ' ');
                System.arraycopy(t, 0, row, 0, Math.min(t.length, SYNTHETIC_ROW - 1));
                row[SYNTHETIC_ROW - 1] = '\n';
                rowPosition = 0;
                rowNumber++;
            }
        };
        return new SequenceInputStream(new java.io.ByteArrayInputStream(
                java.util.Arrays.copyOf(header, (int) Math.min(header.length, size))), rows);
    }
}
