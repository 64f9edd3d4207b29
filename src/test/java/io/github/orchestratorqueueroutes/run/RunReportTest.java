package io.github.orchestratorqueueroutes.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads about a run: the start line, progress, the closing table and the HTML report, with the run id
 * on every line (also from the worker threads) and no stack trace for an error the server caused.
 */
class RunReportTest extends AgainstSimulator {

    private static final long FAILING_ITEM = SimulatedTenant.SEED_SUCCESSFUL_ITEM;

    @TempDir
    Path browserProfile;

    private ProductRun.Result runWithOneFailedItemAndAnExport() {
        product.simulator().intercept(r -> r.isItemPut() && r.itemId() == FAILING_ITEM
                ? Optional.of(SimulatedReply.error(404, 1002, "Queue item does not exist."))
                : Optional.empty());
        // slow enough for a few progress lines at a short interval
        product.simulator().latency(Duration.ofMillis(5));
        return product.exportOnly("Queue Demo").with("purge.enabled", "true").with("purge.concurrency", "2")
                .with("run.progress-interval", "PT0.1S").runOnce();
    }

    @Test
    void logsOneStartLineProgressWithRateAndEtaAndAClosingTableAllUnderTheRunId() {
        ProductRun.Result run = runWithOneFailedItemAndAnExport();
        String runId = run.summary().get("runId").asText();
        List<String> lines = run.logs().lines().toList();

        assertThat(lines).filteredOn(l -> l.contains("Run " + runId + " started:")).singleElement().satisfies(l ->
                assertThat(l).contains("export of queues [Queue Demo], then purge of Successful,Retried,Deleted items")
                        .contains("Audit trail:"));
        Pattern progress = Pattern.compile("purge (\\S+) \\((\\d+)\\): (\\d+)/(\\d+) items done, [\\d.]+ items/s, "
                + "about \\d+ s left");
        List<String> progressLines = lines.stream().filter(l -> progress.matcher(l).find()).toList();
        assertThat(progressLines).hasSizeGreaterThan(1);
        for (String line : progressLines) {
            Matcher m = progress.matcher(line);
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(3))).isLessThanOrEqualTo(Long.parseLong(m.group(4)));
        }
        // every line of the run carries its id, including those logged by the purge and export worker threads
        int start = indexOf(lines, "started:");
        int end = indexOf(lines, "Run " + runId + " finished");
        assertThat(lines.subList(start, end + 1)).filteredOn(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .allSatisfy(l -> assertThat(l).contains("[" + runId + "]"));
        assertThat(progressLines).allSatisfy(l -> assertThat(l).contains("[" + runId + "]"));

        String table = String.join("\n", lines.subList(end, lines.size()));
        assertThat(table).containsPattern("cleared +" + run.count("cleared"))
                .containsPattern("failed +1")
                .contains("exports delivered (1):").contains(run.summary().at("/exports/0/file").asText())
                .contains("failures (1):").contains("item " + FAILING_ITEM).contains("errorCode 1002");
        // the server's refusal is an expected error: reported, never as a stack trace
        assertThat(run.logs()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void aLongDownloadReportsBytesOfTheSizeRateAndTimeLeft() {
        product.simulator().exports().syntheticSize(40L * 1024 * 1024);
        ProductRun.Result run = product.exportOnly("Queue Demo").with("run.progress-interval", "PT0.02S").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.logs().lines().filter(l -> l.contains("Downloading export of queue 'Queue Demo'")).toList())
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).containsPattern("[\\d.]+ (B|KiB|MiB) of 40\\.0 MiB, "
                        + "[\\d.]+ (B|KiB|MiB|GiB)/s, about \\d+ s left"));
    }

    @Test
    void htmlReportIsSelfContainedAndShowsCountsChartExportsAndFailures() throws Exception {
        ProductRun.Result run = runWithOneFailedItemAndAnExport();
        String html = Files.readString(report(run));

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<title>Run " + run.summary().get("runId").asText())
                .contains("id=\"counts\"").contains("id=\"cleared-chart\"").contains("id=\"exports\"")
                .contains(run.summary().at("/exports/0/file").asText())
                .contains("id=\"failures\"").contains("item " + FAILING_ITEM);
        // nothing to fetch: no scripts, stylesheets, images, fonts or links
        assertThat(html).doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\(|src=|href=");
        long queues = run.summary().get("queues").size();
        assertThat(queues).isGreaterThan(1);
        assertThat(count(html, "<rect class=\"bar\"")).isEqualTo(queues);
        // escaped: a queue name or error can never become markup
        assertThat(RunReport.esc("<b>&\"'")).isEqualTo("&lt;b&gt;&amp;&quot;&#39;");
    }

    @Test
    void htmlReportRendersInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            // .ci/run installs Debian's chromium; without it this check must not pass silently in CI
            assertThat(System.getenv("CI")).as("chromium is missing; .ci/run installs it").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("no /usr/bin/chromium on this machine");
        }
        ProductRun.Result run = runWithOneFailedItemAndAnExport();
        Path page = report(run);
        Path screenshot = out.resolve("report.png");

        String dom = chromium(chromium, "--dump-dom", page.toUri().toString());
        chromium(chromium, "--screenshot=" + screenshot, page.toUri().toString());

        // the DOM Chromium built from the page: its tables and chart are there, with the run's numbers
        assertThat(dom).contains("<svg id=\"cleared-chart\"").contains("<table id=\"failures\">")
                .contains("item " + FAILING_ITEM).contains("exit code 1");
        assertThat(count(dom, "<rect class=\"bar\"")).isEqualTo(run.summary().get("queues").size());
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    private String chromium(Path chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + browserProfile,
                "--window-size=1200,1600"));
        command.addAll(List.of(args));
        Path stdout = out.resolve("chromium.out");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished within 60 s").isTrue();
        assertThat(process.exitValue()).isZero();
        return Files.readString(stdout);
    }

    private static Path report(ProductRun.Result run) {
        Path summary = Path.of(run.summary().get("auditFile").asText()).getParent().getParent().resolve("runs");
        Path html = summary.resolve(run.summary().get("runId").asText() + ".html");
        assertThat(html).exists();
        return html;
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text);
    }

    private static long count(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }
}
