package io.github.orchestratorqueueroutes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The packaged product started as an operator starts it: {@code java [-Xmx..] -jar ... --once}, in its own JVM. */
final class ProductProcess {

    /** What one run left: its summary, the heap peak seen by the GC log, the wall time of the whole process. */
    record Outcome(int exitCode, JsonNode summary, long peakHeapBytes, double processSeconds, Path log) {

        long cleared() {
            return summary.path("counts").path("cleared").asLong();
        }

        double runSeconds() {
            return summary.path("durationSeconds").asDouble();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");

    private ProductProcess() {
    }

    static Outcome run(Path jar, Path workDir, String maxHeap, Map<String, String> settings) throws Exception {
        return run(jar, workDir, maxHeap, List.of(), settings);
    }

    static Outcome run(Path jar, Path workDir, String maxHeap, List<String> jvmOptions, Map<String, String> settings)
            throws Exception {
        Files.createDirectories(workDir);
        Path gcLog = workDir.resolve("gc.log");
        Path log = workDir.resolve("product.log");
        List<String> options = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog));
        options.addAll(jvmOptions);
        List<String> command = javaCommand(maxHeap, options, settings, workDir);
        command.addAll(List.of("-jar", jar.toString(), "--once"));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the product did not finish within 15 minutes; see " + log);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode summary;
        try (Stream<Path> runs = Files.list(workDir.resolve("out/runs"))) {
            Path newest = runs.filter(p -> p.toString().endsWith(".json")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no run summary; see " + log));
            summary = JSON.readTree(newest.toFile());
        }
        return new Outcome(process.exitValue(), summary, peakHeap(gcLog), seconds, log);
    }

    /**
     * The product as a service (no --once), as it runs in production: {@code runs} purges of the whole tenant through
     * request files, {@code between} (which restores the tenant) before each but the first. Returns each run's
     * outcome: the first pays for the JIT compiler as a --once run does, later ones find more of their code compiled.
     */
    static List<Outcome> runsOfService(Path jar, Path workDir, Map<String, String> settings, int runs,
            Runnable between) throws Exception {
        Path requests = Files.createDirectories(workDir.resolve("requests"));
        Path summariesDir = workDir.resolve("out/runs");
        Path log = workDir.resolve("service.log");
        List<String> command = javaCommand("256m", List.of(), settings, workDir);
        command.addAll(List.of("-Drequests.dir=" + requests,
                // no scheduled run: only the requests
                "-Dschedule.cron=0 0 0 1 1 ? 2099", "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            for (int run = 1; run <= runs; run++) {
                if (run > 1) {
                    between.run();
                }
                // the restored tenant's items finished long ago: only a full sweep lists them again
                Files.writeString(requests.resolve("purge-" + run + ".json"), "{\"job\": \"purge\", \"full\": true}");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (summaries(summariesDir).size() < run) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the service did not finish run " + run + "; see " + log);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Path summaryFile : summaries(summariesDir)) {
                JsonNode summary = JSON.readTree(summaryFile.toFile());
                outcomes.add(new Outcome(summary.path("exitCode").asInt(), summary, 0, 0, log));
            }
            return outcomes;
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** java, heap, the profiling options, {@code options}, the settings and the output folder; the jar comes after. */
    private static List<String> javaCommand(String maxHeap, List<String> options, Map<String, String> settings,
            Path workDir) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap));
        command.addAll(profilingOptions());
        command.addAll(options);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Doutput.dir=" + workDir.resolve("out"));
        return command;
    }

    private static List<Path> summaries(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Extra JVM options, comma separated: -Dbench.product-jvm=-XX:StartFlightRecording=filename=p.jfr */
    private static List<String> profilingOptions() {
        String extra = System.getProperty("bench.product-jvm", "");
        return extra.isBlank() ? List.of() : List.of(extra.trim().split(",(?=-)"));
    }

    /** The largest heap occupancy any collection started from ("57M->3M(64M)"). */
    private static long peakHeap(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            while (m.find()) {
                long unit = switch (m.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
                peak = Math.max(peak, Long.parseLong(m.group(1)) * unit);
            }
        }
        return peak;
    }
}
