package io.github.orchestratorqueueroutes.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.github.orchestratorqueueroutes.testing.SftpServer;

/**
 * Measures the product against a hand-written java.net.http baseline on the same simulated tenant, side by side in
 * one run: purge throughput at several concurrencies, requests per cleared item, and a large export at a 64 MB heap
 * against a raw copy of the same stream. Writes bench/results.md. Started by bench/run.sh.
 */
public final class QueueRoutesBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of("target/orchestrator-queue-routes.jar").toAbsolutePath();
    private static final long MIB = 1024L * 1024;
    /** Runs of the product as a service (and passes of the baseline in one JVM) for the warm figure. */
    private static final int SERVICE_RUNS = 3;

    private final int itemsPerQueue;
    private final Duration latency;
    private final List<Integer> concurrencies;
    private final long exportBytes;
    private final Path work;
    private final String only;
    private final String sftpOptions;
    private final int recurringItems;
    private final int recurringNew;
    /** Eligible items of the scale figure's big run; 0 leaves the figure out (it takes about 15 minutes). */
    private final int scaleItems;
    private final StringBuilder md = new StringBuilder();

    private QueueRoutesBenchmark(Map<String, String> options) throws Exception {
        itemsPerQueue = Integer.parseInt(options.getOrDefault("items-per-queue", "3400"));
        latency = Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "10")));
        concurrencies = java.util.Arrays.stream(options.getOrDefault("concurrency", "1,4,16").split(","))
                .map(Integer::valueOf).toList();
        exportBytes = Long.parseLong(options.getOrDefault("export-mib", "1024")) * MIB;
        work = Files.createTempDirectory("oqr-bench");
        only = options.getOrDefault("only", "all");
        sftpOptions = options.containsKey("sftp-options") ? "&" + options.get("sftp-options") : "";
        recurringItems = Integer.parseInt(options.getOrDefault("recurring-items", "100000"));
        recurringNew = Integer.parseInt(options.getOrDefault("recurring-new", "1000"));
        scaleItems = Integer.parseInt(options.getOrDefault("scale", "0"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        QueueRoutesBenchmark bench = new QueueRoutesBenchmark(options);
        String results;
        try {
            results = bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            // a simulator left open would keep the JVM alive
            System.exit(1);
            return;
        }
        Path out = Path.of(options.getOrDefault("results", "bench/results.md"));
        Files.writeString(out, results);
        System.out.println(results);
        System.out.println("Written to " + out);
        System.exit(0);
    }

    private String run() throws Exception {
        Instant started = Instant.now();
        long[] cpuAtStart = cpuTicks();
        md.append("# Benchmark results\n\n");
        md.append("Made by `bench/run.sh` on ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC)
                .format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).append(" UTC. Machine: ")
                .append(machine()).append(".\n\n");
        if (only.equals("all") || only.equals("purge")) {
            purge();
        }
        if (only.equals("all") || only.equals("recurring")) {
            recurring();
        }
        if (only.equals("all") || only.equals("export")) {
            export();
        }
        if (scaleItems > 0) {
            scale();
        }
        long[] cpuAtEnd = cpuTicks();
        md.append("\nWhole benchmark: ").append(Duration.between(started, Instant.now()).toSeconds())
                .append(" s. CPU time the hypervisor gave to other guests (steal) meanwhile: ")
                .append(String.format(Locale.ROOT, "%.0f %%", stealPercent(cpuAtStart, cpuAtEnd)))
                .append(" of this machine's CPU time; CPU-bound figures (concurrency 16, exports) drop with it.\n");
        return md.toString();
    }

    /** The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ... (ticks). */
    private static long[] cpuTicks() throws java.io.IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long[] ticks = new long[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            ticks[i - 1] = Long.parseLong(fields[i]);
        }
        return ticks;
    }

    private static double stealPercent(long[] start, long[] end) {
        long total = 0;
        // guest times (fields 9 and 10) are already counted in user and nice
        for (int i = 0; i < Math.min(8, start.length); i++) {
            total += end[i] - start[i];
        }
        return total == 0 || start.length < 8 ? 0 : 100.0 * (end[7] - start[7]) / total;
    }

    // ---------------------------------------------------------------- purge

    private void purge() throws Exception {
        SimulatedTenant probe = SimulatedTenant.seeded(itemsPerQueue, 42);
        int eligible = targets(probe).size();
        md.append("## Purge throughput\n\n");
        md.append("Simulator latency ").append(latency.toMillis()).append(" ms per request; tenant of ")
                .append(probe.snapshot().size()).append(" items in 3 folders and 4 queues (one queue linked to two "
                + "folders), ").append(eligible).append(" of them eligible (Successful, Retried or Deleted with "
                + "content). Product: the packaged jar, `--once`, client-credentials, export off; items/s = items "
                + "cleared / run duration from its summary. Baseline: `RawHttpPurge`, a java.net.http loop doing "
                + "only a detail GET and a PUT per eligible item on N threads, given the item ids (no listing), "
                + "in its own fresh JVM like the product; items/s = items / time from its first request to its "
                + "last answer. Each measurement gets a fresh tenant. At concurrency 1 (latency-bound, minutes long) "
                + "product and baseline run at the same time, each against its own simulator.\n\n");
        md.append("| concurrency | product items/s | baseline items/s | product / baseline | product vs its "
                + "concurrency 1 |\n|---:|---:|---:|---:|---:|\n");
        double productAtOne = 0;
        int highest = concurrencies.get(concurrencies.size() - 1);
        List<Double> warmBaselineRates = List.of();
        ProductProcess.Outcome lastProduct = null;
        OrchestratorSimulator lastSimulator = null;
        for (int concurrency : concurrencies) {
            // at the highest concurrency the baseline also goes on for the warm comparison below; its first pass
            // is the cold figure, made exactly as at the other concurrencies
            OrchestratorSimulator baselineSimulator = simulator();
            List<RawHttpPurge.Target> targets = targets(baselineSimulator.tenant());
            java.util.concurrent.Callable<List<Double>> baseline = () -> RawHttpPurge.runInNewJvm(
                    baselineSimulator.url(), "Bearer " + SimulatorAccounts.PERSONAL_ACCESS_TOKEN, targets, concurrency,
                    concurrency == highest ? SERVICE_RUNS : 1, work.resolve("baseline-" + concurrency));
            // concurrency 1 is latency-bound (the CPU mostly idle) and takes minutes:
            // product and baseline run at the same time there, each against its own simulator
            java.util.concurrent.FutureTask<List<Double>> sideBySide = new java.util.concurrent.FutureTask<>(baseline);
            if (concurrency == 1) {
                new Thread(sideBySide, "baseline-1").start();
            }
            OrchestratorSimulator simulator = simulator();
            ProductProcess.Outcome product = ProductProcess.run(JAR, work.resolve("purge-" + concurrency), "256m",
                    purgeSettings(simulator, concurrency));
            check(product.exitCode() == 0 && product.cleared() == eligible, "product run at concurrency "
                    + concurrency + " cleared " + product.cleared() + " of " + eligible + " (exit "
                    + product.exitCode() + "); see " + product.log());
            double productRate = product.cleared() / product.runSeconds();
            System.out.printf("product at concurrency %d: at most %d requests in flight at the simulator%n",
                    concurrency, simulator.maxConcurrentRequests());
            if (lastSimulator != null) {
                lastSimulator.close();
            }
            lastProduct = product;
            lastSimulator = simulator;

            List<Double> passSeconds = concurrency == 1 ? sideBySide.get() : baseline.call();
            baselineSimulator.close();
            double baselineRate = targets.size() / passSeconds.get(0);
            if (concurrency == highest) {
                warmBaselineRates = passSeconds.stream().map(seconds -> targets.size() / seconds).toList();
            }
            if (concurrency == 1) {
                productAtOne = productRate;
            }
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %s |%n", concurrency, productRate,
                    baselineRate, productRate / baselineRate,
                    productAtOne > 0 ? String.format(Locale.ROOT, "%.1f x", productRate / productAtOne) : "-"));
            System.out.printf(Locale.ROOT, "purge concurrency %d: product %.1f items/s, baseline %.1f items/s%n",
                    concurrency, productRate, baselineRate);
        }
        md.append("\nTargets: product / baseline at least 0.80 at each concurrency; concurrency 16 at least 12 x "
                + "concurrency 1.\n\n");
        warm(highest, eligible, productAtOne, warmBaselineRates);
        requests(lastProduct, lastSimulator);
        lastSimulator.close();
    }

    /**
     * The product as it runs in production, a service whose later runs find their code compiled, against the
     * baseline going over its targets again in its own JVM. A --once run is a fresh JVM, and on two cores shared
     * with the simulator the JIT compilers' work for the product's code competes directly with its requests.
     */
    private void warm(int concurrency, int eligible, double productAtOne, List<Double> baselineRates)
            throws Exception {
        OrchestratorSimulator simulator = simulator();
        Map<Long, JsonNode> fresh = simulator.tenant().snapshot();
        List<ProductProcess.Outcome> runs = ProductProcess.runsOfService(JAR, work.resolve("warm-" + concurrency),
                purgeSettings(simulator, concurrency), SERVICE_RUNS, () -> fresh.values().forEach(item ->
                        simulator.tenant().putItem((com.fasterxml.jackson.databind.node.ObjectNode) item)));
        simulator.close();
        List<Double> rates = new ArrayList<>();
        for (ProductProcess.Outcome run : runs) {
            check(run.exitCode() == 0 && run.cleared() == eligible, "service run at concurrency " + concurrency
                    + " cleared " + run.cleared() + "; see " + run.log());
            rates.add(run.cleared() / run.runSeconds());
        }
        double product = rates.get(rates.size() - 1);
        double baseline = baselineRates.get(baselineRates.size() - 1);
        md.append(String.format(Locale.ROOT, "Warm, as in production: the product as a service (no `--once`) purging "
                + "the whole tenant %d times through request files, the tenant restored before each run, against "
                + "the baseline going over its targets %d times in one JVM (its later passes find the items already "
                + "cleared: the same requests, smaller bodies). At concurrency %d:%n%n", SERVICE_RUNS, SERVICE_RUNS,
                concurrency));
        md.append("| run | product items/s | baseline items/s | product / baseline |\n|---:|---:|---:|---:|\n");
        for (int i = 0; i < rates.size(); i++) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |%n", i + 1, rates.get(i),
                    baselineRates.get(i), rates.get(i) / baselineRates.get(i)));
        }
        md.append(String.format(Locale.ROOT, "%nWarm (run %d): **%.1f items/s, %.2f x the baseline, %.1f x the "
                + "product's concurrency-1 figure** (concurrency 1 is latency-bound and leaves the JIT compilers a "
                + "core of their own, so its cold figure is its warm one).%n%n", SERVICE_RUNS, product,
                product / baseline, productAtOne > 0 ? product / productAtOne : 0));
        System.out.printf(Locale.ROOT, "warm purge concurrency %d: product %s items/s, baseline %s items/s%n",
                concurrency, rates, baselineRates);
    }

    /** Requests of the last first run, per operation, and of a second run over the purged tenant. */
    private void requests(ProductProcess.Outcome first, OrchestratorSimulator simulator) throws Exception {
        Map<String, Long> firstRun = byOperation(simulator.requests());
        long cleared = first.cleared();
        simulator.clearRequests();
        int concurrency = concurrencies.get(concurrencies.size() - 1);
        // in the first run's folder: its marks make this run incremental
        ProductProcess.Outcome second = ProductProcess.run(JAR, work.resolve("purge-" + concurrency), "256m",
                purgeSettings(simulator, concurrency));
        check(second.exitCode() == 0, "second run failed; see " + second.log());
        Map<String, Long> secondRun = byOperation(simulator.requests());

        md.append("## Requests\n\n");
        md.append("First run (concurrency ").append(concurrency).append(", ").append(cleared)
                .append(" items cleared, ").append(first.summary().path("itemsListed").asLong())
                .append(" listed) and a second, incremental run over the purged tenant (the first run's marks; "
                        + "nothing finished since):\n\n");
        md.append("| operation | first run | per cleared item | second run |\n|---|---:|---:|---:|\n");
        java.util.Set<String> operations = new java.util.TreeSet<>(firstRun.keySet());
        operations.addAll(secondRun.keySet());
        long firstTotal = 0;
        long secondTotal = 0;
        for (String op : operations) {
            long a = firstRun.getOrDefault(op, 0L);
            long b = secondRun.getOrDefault(op, 0L);
            firstTotal += a;
            secondTotal += b;
            md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %d |%n", op, a, (double) a / cleared, b));
        }
        long listed = second.summary().path("itemsListed").asLong();
        int folders = second.summary().path("folders").size();
        // an incremental run with n new items: 2n + ceil(n / page size) + 2 x folders + 2, here n = 0
        double bound = 2 * folders + 2;
        md.append(String.format(Locale.ROOT, "| **all** | **%d** | **%.3f** | **%d** |%n%n", firstTotal,
                (double) firstTotal / cleared, secondTotal));
        long secondOther = secondRun.entrySet().stream().filter(e -> !e.getKey().startsWith("list "))
                .mapToLong(Map.Entry::getValue).sum();
        md.append(String.format(Locale.ROOT, "Target: at most 2.05 requests per cleared item in a first run: "
                + "**%.3f**. The second run listed %d items in %d folders and sent %d requests, %d of them not "
                + "lists (token, detail or PUT); bound for an incremental run with nothing new, 2 x folders + 2 = "
                + "%.0f (the first run made the marks).%n%n",
                (double) firstTotal / cleared, listed, folders, secondTotal, secondOther, bound));
    }

    // ---------------------------------------------------------------- recurring runs

    /**
     * What a scheduled run costs on a big tenant whose history is already purged: an incremental run (the marks of
     * the run before) against a full sweep, each finding the same number of newly finished items.
     */
    private void recurring() throws Exception {
        SimulatedTenant tenant = SimulatedTenant.seeded(recurringItems / 4, 43);
        tenant.finishAndClearAll();
        int history = tenant.size();
        OrchestratorSimulator simulator = new OrchestratorSimulator(tenant).start();
        simulator.latency(latency);
        int concurrency = concurrencies.get(concurrencies.size() - 1);
        Map<String, String> settings = purgeSettings(simulator, concurrency);
        Path dir = work.resolve("recurring");
        ProductProcess.Outcome marks = ProductProcess.run(JAR, dir, "256m", settings);
        check(marks.exitCode() == 0, "the run that makes the marks failed; see " + marks.log());
        RecurringRun incremental = newWorkThenRun(simulator, dir, settings);
        Map<String, String> full = new LinkedHashMap<>(settings);
        full.put("run.full", "true");
        RecurringRun sweep = newWorkThenRun(simulator, dir, full);
        simulator.close();

        int folders = incremental.outcome().summary().path("folders").size();
        int n = recurringNew;
        long bound = 2L * n + (n + 99) / 100 + 2L * folders + 2;
        md.append("## Recurring runs\n\n");
        md.append(String.format(Locale.ROOT, "A tenant of %d finished items whose content is already cleared (the "
                + "history), %d folders, simulator latency %d ms, concurrency %d. Before each measured run %d items "
                + "finish in the tenant's queues. Incremental: the product's marks from the run before; full sweep: "
                + "`run.full=true`, every finished item listed again, as every run did before marks existed.%n%n",
                history, folders, latency.toMillis(), concurrency, n));
        md.append("| run | items listed | requests | of them list calls | cleared | run time s |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (var row : List.of(Map.entry("incremental", incremental), Map.entry("full sweep", sweep))) {
            ProductProcess.Outcome o = row.getValue().outcome();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f |%n", row.getKey(),
                    o.summary().path("itemsListed").asLong(), row.getValue().requests(), row.getValue().lists(),
                    o.cleared(), o.runSeconds()));
        }
        md.append(String.format(Locale.ROOT, "%nTarget: an incremental run costs what changed, at most 2n + ceil(n / "
                + "page size) + 2 x folders + 2 = %d requests for n = %d, whatever the history: **%d** (the full "
                + "sweep: %d).%n%n", bound, n, incremental.requests(), sweep.requests()));
        check(incremental.outcome().cleared() == n && sweep.outcome().cleared() == n, "the recurring runs cleared "
                + incremental.outcome().cleared() + " and " + sweep.outcome().cleared() + " of " + n);
    }

    /**
     * What a first run over a big tenant costs: time per item and peak heap at -Xmx128m for a tenant ten times as
     * big as a reference one, every item eligible.
     */
    private void scale() throws Exception {
        int concurrency = concurrencies.get(concurrencies.size() - 1);
        md.append("## Scale\n\n");
        md.append(String.format(Locale.ROOT, "First runs (`--once`, concurrency %d, the packaged jar at `-Xmx128m`, "
                + "simulator latency %d ms) over tenants whose every item is finished with content, so every item "
                + "is cleared.%n%n| eligible items | run time s | ms per item | peak heap MiB | exit |%n"
                + "|---:|---:|---:|---:|---:|%n", concurrency, latency.toMillis()));
        double reference = 0;
        double big = 0;
        for (int items : List.of(scaleItems / 10, scaleItems)) {
            SimulatedTenant tenant = SimulatedTenant.seeded(items / 4, 44);
            tenant.finishAll();
            OrchestratorSimulator simulator = new OrchestratorSimulator(tenant).start();
            simulator.latency(latency);
            simulator.recordRequests(false);
            ProductProcess.Outcome run = ProductProcess.run(JAR, work.resolve("scale-" + items), "128m",
                    purgeSettings(simulator, concurrency));
            simulator.close();
            check(run.exitCode() == 0, "the scale run over " + items + " items failed; see " + run.log());
            double msPerItem = 1000 * run.runSeconds() / run.cleared();
            if (items == scaleItems) {
                big = msPerItem;
            } else {
                reference = msPerItem;
            }
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.2f | %.1f | %d |%n", run.cleared(), run.runSeconds(),
                    msPerItem, run.peakHeapBytes() / (double) MIB, run.exitCode()));
        }
        md.append(String.format(Locale.ROOT, "%nTarget: time per item of the big run within 10 %% of the reference "
                + "run's, heap flat: **%.2f x**.%n%n", big / reference));
    }

    /** One recurring run and the requests the simulator received from it. */
    private record RecurringRun(ProductProcess.Outcome outcome, long requests, long lists) {
    }

    /** Lets {@code recurringNew} items finish, then runs the product once. */
    private RecurringRun newWorkThenRun(OrchestratorSimulator simulator, Path dir,
            Map<String, String> settings) throws Exception {
        List<Long> queues = List.of(SimulatedTenant.QUEUE_DEMO, SimulatedTenant.BANANA_QUEUE,
                SimulatedTenant.FINANCE_QUEUE);
        for (int i = 0; i < recurringNew; i++) {
            simulator.tenant().addItem(queues.get(i % queues.size()), List.of("Successful", "Deleted", "Retried")
                    .get(i % 3), Instant.now());
        }
        simulator.clearRequests();
        ProductProcess.Outcome run = ProductProcess.run(JAR, dir, "256m", settings);
        check(run.exitCode() == 0, "a recurring run failed; see " + run.log());
        return new RecurringRun(run, simulator.requests().size(),
                simulator.requests().stream().filter(RecordedRequest::isQueueItemsList).count());
    }

    private static Map<String, Long> byOperation(List<RecordedRequest> requests) {
        Map<String, Long> counts = new TreeMap<>();
        for (RecordedRequest r : requests) {
            String op;
            if (r.isItemGet()) {
                op = "detail GET QueueItems(id)";
            } else if (r.isItemPut()) {
                op = "PUT QueueItems(id)";
            } else if (r.isQueueItemsList()) {
                op = "list QueueItems";
            } else if (r.is("GET", "/odata/QueueDefinitions")) {
                op = "list QueueDefinitions (queue names)";
            } else if (r.is("GET", "/odata/Folders")) {
                op = "list Folders";
            } else if (r.path().contains("connect/token") || r.path().contains("Authenticate")) {
                op = "token";
            } else {
                op = r.method() + " " + r.path().replaceAll("\\(\\d+\\)", "(id)");
            }
            counts.merge(op, 1L, Long::sum);
        }
        return counts;
    }

    private Map<String, String> purgeSettings(OrchestratorSimulator simulator, int concurrency) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("orchestrator.url", simulator.url());
        s.put("orchestrator.auth.mode", "client-credentials");
        s.put("orchestrator.auth.token-url", simulator.tokenUrl());
        s.put("orchestrator.auth.client-id", SimulatorAccounts.CLIENT_ID);
        s.put("orchestrator.auth.client-secret", SimulatorAccounts.CLIENT_SECRET);
        s.put("export.enabled", "false");
        s.put("purge.concurrency", Integer.toString(concurrency));
        return s;
    }

    private OrchestratorSimulator simulator() {
        OrchestratorSimulator simulator = new OrchestratorSimulator(SimulatedTenant.seeded(itemsPerQueue, 42)).start();
        simulator.latency(latency);
        return simulator;
    }

    /** What the product would clear: finished items with content, each once (a shared queue's in its first folder). */
    private static List<RawHttpPurge.Target> targets(SimulatedTenant tenant) {
        List<RawHttpPurge.Target> targets = new ArrayList<>();
        for (JsonNode item : tenant.snapshot().values()) {
            String status = item.path("Status").asText();
            JsonNode content = item.path("SpecificContent");
            boolean hasContent = content.isObject() && !content.isEmpty();
            if (hasContent && (status.equals("Successful") || status.equals("Retried") || status.equals("Deleted"))) {
                long queueId = item.path("QueueDefinitionId").asLong();
                long folderId = tenant.folderIdsOfQueue(queueId).stream().min(Long::compare).orElseThrow();
                targets.add(new RawHttpPurge.Target(item.path("Id").asLong(), folderId, tenant.queueName(queueId)));
            }
        }
        return targets;
    }

    // ---------------------------------------------------------------- export

    private void export() throws Exception {
        md.append("## Export of ").append(exportBytes / MIB).append(" MiB at -Xmx64m\n\n");
        md.append("One synthetic CSV export of queue Queue Demo, produced by the simulator while it is sent (no "
                + "latency). Raw copy: the same download link fetched with java.net.http straight to a file, the "
                + "limit. Product: the packaged jar in a JVM with `-Xmx64m`, whole run (export start, polls, link, "
                + "download, size and SHA-256 check, rename); peak heap from its GC log.\n\n");
        md.append("| target | wall time s | MiB/s | vs raw copy | peak heap MiB | exit |\n|---|---:|---:|---:|---:|---:|\n");

        OrchestratorSimulator simulator = exportSimulator();
        double raw = rawCopy(simulator);
        simulator.close();
        double rawRate = exportBytes / MIB / raw;
        md.append(String.format(Locale.ROOT, "| raw copy to disk | %.1f | %.1f | 1.00 | - | - |%n", raw, rawRate));
        System.out.printf(Locale.ROOT, "raw copy: %.1f MiB/s%n", rawRate);

        simulator = exportSimulator();
        Path folder = work.resolve("export-folder/exports");
        ProductProcess.Outcome toFolder = ProductProcess.run(JAR, work.resolve("export-folder"), "64m",
                exportSettings(simulator, "file:" + folder));
        simulator.close();
        exportRow("folder", toFolder, rawRate);
        deleteFiles(folder);

        Path keys = Files.createDirectories(work.resolve("sftp-keys"));
        try (SftpServer sftp = new SftpServer(keys)) {
            simulator = exportSimulator();
            ProductProcess.Outcome toSftp = ProductProcess.run(JAR, work.resolve("export-sftp"), "64m",
                    exportSettings(simulator, sftp.keyTarget("exports", sftp.knownHosts()) + sftpOptions));
            simulator.close();
            exportRow("SFTP (Apache MINA SSHD on loopback)", toSftp, rawRate);
            deleteFiles(sftp.root().resolve("exports"));
        }
        md.append("\nTarget: both deliveries succeed at -Xmx64m at 0.70 x the raw copy speed or better.\n");
    }

    private void exportRow(String target, ProductProcess.Outcome run, double rawRate) {
        long bytes = run.summary().path("exports").path(0).path("bytes").asLong();
        check(run.exitCode() == 0 && bytes == exportBytes, "export to " + target + " delivered " + bytes
                + " bytes (exit " + run.exitCode() + "); see " + run.log());
        double seconds = run.runSeconds();
        double rate = bytes / (double) MIB / seconds;
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f | %d |%n", target, seconds, rate,
                rate / rawRate, run.peakHeapBytes() / (double) MIB, run.exitCode()));
        System.out.printf(Locale.ROOT, "export to %s: %.1f MiB/s, peak heap %.1f MiB%n", target, rate,
                run.peakHeapBytes() / (double) MIB);
    }

    private OrchestratorSimulator exportSimulator() {
        OrchestratorSimulator simulator = new OrchestratorSimulator().start();
        simulator.exports().syntheticSize(exportBytes);
        simulator.exports().duration(Duration.ofMillis(100));
        return simulator;
    }

    private Map<String, String> exportSettings(OrchestratorSimulator simulator, String target) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("orchestrator.url", simulator.url());
        s.put("orchestrator.auth.token", SimulatorAccounts.PERSONAL_ACCESS_TOKEN);
        s.put("purge.enabled", "false");
        s.put("export.queues", "Queue Demo");
        s.put("export.poll.interval", "PT0.1S");
        s.put("export.target", target);
        s.put("state.dir", work.resolve("state-" + System.nanoTime()).toString());
        return s;
    }

    /** Seconds to download the export through its link straight to a file, after starting and awaiting it. */
    private double rawCopy(OrchestratorSimulator simulator) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = "Bearer " + SimulatorAccounts.PERSONAL_ACCESS_TOKEN;
        String folder = Long.toString(SimulatedTenant.SHARED_FOLDER);
        JsonNode started = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.url()
                + "/odata/QueueDefinitions(" + SimulatedTenant.QUEUE_DEMO + ")/UiPathODataSvc.Export?$filter="
                + java.net.URLEncoder.encode("((QueueDefinitionId eq " + SimulatedTenant.QUEUE_DEMO + "))",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")))
                .header("Authorization", bearer).header("X-UIPATH-OrganizationUnitId", folder)
                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        long exportId = started.path("Id").asLong();
        check(exportId > 0, "raw copy: the export start answered " + started);
        for (int i = 0; i < 200; i++) {
            JsonNode state = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.url()
                    + "/odata/Exports(" + exportId + ")")).header("Authorization", bearer)
                    .header("X-UIPATH-OrganizationUnitId", folder).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (state.path("Status").asText().equals("Completed")) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        JsonNode link = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.url() + "/odata/Exports("
                + exportId + ")/UiPath.Server.Configuration.OData.GetDownloadLink")).header("Authorization", bearer)
                .header("X-UIPATH-OrganizationUnitId", folder).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        check(link.path("Uri").asText().startsWith("http"), "raw copy: the download link is " + link);
        HttpRequest.Builder download = HttpRequest.newBuilder(URI.create(link.path("Uri").asText()
                .replace(" ", "%20"))).GET();
        JsonNode keys = link.path("Headers").path("Keys");
        for (int i = 0; i < keys.size(); i++) {
            download.header(keys.get(i).asText(), link.path("Headers").path("Values").get(i).asText());
        }
        Path file = work.resolve("raw-copy.csv");
        long start = System.nanoTime();
        HttpResponse<Path> response = http.send(download.build(), HttpResponse.BodyHandlers.ofFile(file));
        double seconds = (System.nanoTime() - start) / 1e9;
        check(response.statusCode() == 200 && Files.size(file) == exportBytes, "raw copy got HTTP "
                + response.statusCode() + " and " + Files.size(file) + " bytes");
        Files.delete(file);
        return seconds;
    }

    // ---------------------------------------------------------------- helpers

    private static void deleteFiles(Path folder) throws Exception {
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException("Benchmark stopped: " + problem);
        }
    }

    private static String machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / MIB + " MiB harness heap, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }
}
