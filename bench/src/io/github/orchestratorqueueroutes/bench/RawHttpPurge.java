package io.github.orchestratorqueueroutes.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The practical limit: the least code that clears the same items, a detail GET and a PUT per item on N threads with
 * java.net.http, nothing else (no listing, no checks, no audit, no retries).
 */
final class RawHttpPurge {

    /** An item to clear, as the harness read it from the simulated tenant. */
    record Target(long itemId, long folderId, String queueName) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COPIED = {"Priority", "DeferDate", "DueDate", "RiskSlaDate", "Reference", "Progress"};

    private RawHttpPurge() {
    }

    /**
     * Runs in its own fresh JVM, as the product does, so both pay for their own start-up and JIT compilation.
     * Arguments: base URL, bearer header, concurrency, file of "itemId folderId queueName" lines, number of passes
     * over the targets (the first is cold, later ones find their code compiled). Prints the seconds from the first
     * request to the last answer of each pass, one line per pass.
     */
    public static void main(String[] args) throws Exception {
        List<Target> targets = java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[3])).stream()
                .map(line -> line.split(" ", 3))
                .map(f -> new Target(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2])).toList();
        int passes = Integer.parseInt(args[4]);
        for (int pass = 0; pass < passes; pass++) {
            Duration elapsed = run(args[0], args[1], targets, Integer.parseInt(args[2]));
            System.out.println(elapsed.toNanos() / 1e9);
        }
    }

    /**
     * Starts {@link #main} in a new JVM and returns the seconds of each pass. Passes after the first go over items
     * already cleared: the same requests, with smaller bodies for the server to write and read.
     */
    static List<Double> runInNewJvm(String baseUrl, String bearer, List<Target> targets, int concurrency, int passes,
            java.nio.file.Path workDir) throws Exception {
        java.nio.file.Files.createDirectories(workDir);
        java.nio.file.Path file = workDir.resolve("targets.txt");
        java.nio.file.Files.write(file, targets.stream()
                .map(t -> t.itemId() + " " + t.folderId() + " " + t.queueName()).toList());
        Process process = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), RawHttpPurge.class.getName(),
                baseUrl, bearer, Integer.toString(concurrency), file.toString(), Integer.toString(passes))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the baseline failed: " + output);
        }
        List<String> lines = List.of(output.split("\\R"));
        return lines.subList(lines.size() - passes, lines.size()).stream().map(Double::parseDouble).toList();
    }

    /** Clears every target, N at a time; returns the wall time. */
    static Duration run(String baseUrl, String bearer, List<Target> targets, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<Void>> done = new java.util.ArrayList<>();
            for (Target t : targets) {
                done.add(pool.submit(() -> {
                    clear(http, baseUrl, bearer, t);
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void clear(HttpClient http, String baseUrl, String bearer, Target t) throws Exception {
        URI item = URI.create(baseUrl + "/odata/QueueItems(" + t.itemId() + ")");
        HttpResponse<byte[]> detail = http.send(HttpRequest.newBuilder(item)
                .header("Authorization", bearer)
                .header("X-UIPATH-OrganizationUnitId", Long.toString(t.folderId()))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (detail.statusCode() != 200) {
            throw new IllegalStateException("GET " + item + ": HTTP " + detail.statusCode());
        }
        JsonNode fresh = JSON.readTree(detail.body());
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", t.queueName());
        for (String field : COPIED) {
            body.set(field, fresh.get(field));
        }
        body.putObject("SpecificContent");
        HttpResponse<Void> put = http.send(HttpRequest.newBuilder(item)
                .header("Authorization", bearer)
                .header("X-UIPATH-OrganizationUnitId", Long.toString(t.folderId()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.discarding());
        if (put.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + item + ": HTTP " + put.statusCode());
        }
    }
}
