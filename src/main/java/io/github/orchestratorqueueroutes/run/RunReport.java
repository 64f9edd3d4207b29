package io.github.orchestratorqueueroutes.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A finished run for people: a short text table for the log, and a self-contained HTML page
 * ({@code runs/<run-id>.html}: inline CSS and SVG, no scripts, fonts or links to fetch) made from the JSON summary.
 */
public final class RunReport {

    private static final int FAILURES_IN_TEXT = 10;
    private static final String[] ITEM_OUTCOMES = {"cleared", "would-clear", "skipped-empty", "skipped-status",
        "failed"};

    private RunReport() {
    }

    /** The table that ends the run's log line: counts per action, exports delivered, failures with their ids. */
    public static String text(JsonNode summary) {
        StringBuilder t = new StringBuilder(System.lineSeparator());
        t.append(String.format("  %-16s %10s%n", "action", "count"));
        summary.path("counts").fields().forEachRemaining(e ->
                t.append(String.format("  %-16s %10d%n", e.getKey(), e.getValue().asLong())));
        JsonNode exports = summary.path("exports");
        if (!exports.isEmpty()) {
            t.append(String.format("  exports delivered (%d):%n", exports.size()));
            for (JsonNode export : exports) {
                t.append(String.format("    %s  %s  %s%n", export.path("file").asText(),
                        bytes(export.path("bytes").asLong()), export.path("target").asText()));
            }
        }
        JsonNode failures = summary.path("failures");
        long failureCount = summary.path("failureCount").asLong();
        if (failureCount > 0) {
            t.append(String.format("  failures (%d):%n", failureCount));
            int shown = 0;
            for (JsonNode failure : failures) {
                if (shown++ == FAILURES_IN_TEXT) {
                    break;
                }
                t.append("    ").append(subject(failure)).append(": ").append(failure.path("error").asText())
                        .append(System.lineSeparator());
            }
            if (failureCount > FAILURES_IN_TEXT) {
                t.append(String.format("    ... %d more in the summary and the audit file%n",
                        failureCount - FAILURES_IN_TEXT));
            }
        }
        for (JsonNode error : summary.path("runErrors")) {
            t.append("  run error: ").append(error.asText()).append(System.lineSeparator());
        }
        return t.toString().stripTrailing();
    }

    /** The run report page. Every value from the summary is escaped. */
    public static String html(JsonNode summary) {
        String runId = summary.path("runId").asText();
        int exitCode = summary.path("exitCode").asInt();
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Run ").append(esc(runId)).append(" - orchestrator-queue-routes</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:72rem}\n")
                .append("h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}\n")
                .append("table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .75rem;")
                .append("border-bottom:1px solid #d0d7de;text-align:left}td.n{text-align:right}\n")
                .append(".exit{display:inline-block;padding:.1rem .6rem;border-radius:1rem;color:#fff}")
                .append(".exit-0{background:#1a7f37}.exit-1{background:#bc4c00}.exit-2{background:#cf222e}\n")
                .append("svg text{font-size:12px;font-family:system-ui,sans-serif}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Run <code>").append(esc(runId)).append("</code> <span id=\"exit-code\" class=\"exit exit-")
                .append(Math.min(2, Math.max(0, exitCode))).append("\">exit code ").append(exitCode)
                .append("</span></h1>\n");
        h.append("<p>").append(esc(summary.path("start").asText())).append(" to ")
                .append(esc(summary.path("end").asText())).append(" (")
                .append(String.format(Locale.ROOT, "%.1f", summary.path("durationSeconds").asDouble()))
                .append(" s). Items listed: ").append(summary.path("itemsListed").asLong())
                .append(", not reached: ").append(summary.path("itemsNotReached").asLong())
                .append(". Audit trail: <code>").append(esc(summary.path("auditFile").asText()))
                .append("</code></p>\n");

        h.append("<h2>Counts</h2>\n<table id=\"counts\">\n<tr><th>action</th><th>count</th></tr>\n");
        summary.path("counts").fields().forEachRemaining(e -> h.append("<tr><td>").append(esc(e.getKey()))
                .append("</td><td class=\"n\">").append(e.getValue().asLong()).append("</td></tr>\n"));
        h.append("</table>\n");

        h.append("<h2>Items cleared per queue</h2>\n").append(chart(summary.path("queues")));
        h.append(queueTable(summary.path("queues")));

        h.append("<h2>Exports</h2>\n");
        JsonNode exports = summary.path("exports");
        if (exports.isEmpty()) {
            h.append("<p>No export delivered in this run.</p>\n");
        } else {
            h.append("<table id=\"exports\">\n<tr><th>queue</th><th>export</th><th>file</th><th>bytes</th>")
                    .append("<th>target</th><th>sha256</th></tr>\n");
            for (JsonNode e : exports) {
                h.append("<tr><td>").append(esc(e.path("queue").asText())).append("</td><td class=\"n\">")
                        .append(e.path("exportId").asLong()).append("</td><td>").append(esc(e.path("file").asText()))
                        .append("</td><td class=\"n\">").append(e.path("bytes").asLong()).append("</td><td>")
                        .append(esc(e.path("target").asText())).append("</td><td><code title=\"")
                        .append(esc(e.path("sha256").asText())).append("\">")
                        .append(esc(abbreviate(e.path("sha256").asText()))).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }

        h.append("<h2>Failures</h2>\n");
        JsonNode failures = summary.path("failures");
        if (failures.isEmpty() && summary.path("runErrors").isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<table id=\"failures\">\n<tr><th>what</th><th>folder</th><th>queue</th><th>reason</th></tr>\n");
            for (JsonNode f : failures) {
                h.append("<tr><td>").append(esc(subjectId(f))).append("</td><td class=\"n\">")
                        .append(f.path("folderId").asText()).append("</td><td>").append(esc(f.path("queue").asText()))
                        .append("</td><td>").append(esc(f.path("error").asText())).append("</td></tr>\n");
            }
            for (JsonNode error : summary.path("runErrors")) {
                h.append("<tr><td>run</td><td></td><td></td><td>").append(esc(error.asText())).append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (summary.has("failuresNotListed")) {
                h.append("<p>").append(summary.path("failuresNotListed").asLong())
                        .append(" more failures are in the audit trail.</p>\n");
            }
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** Horizontal bars, one per queue: cleared (or would-clear in a dry run) items. */
    private static String chart(JsonNode queues) {
        List<String[]> bars = new ArrayList<>();
        long max = 0;
        for (JsonNode q : queues) {
            long n = q.path("cleared").asLong() + q.path("would-clear").asLong();
            bars.add(new String[] {q.path("queue").asText(), Long.toString(n)});
            max = Math.max(max, n);
        }
        if (bars.isEmpty()) {
            return "<p>No item was handled in this run.</p>\n";
        }
        int rowHeight = 24;
        int labelWidth = 220;
        int barWidth = 420;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"cleared-chart\" role=\"img\" aria-label=\"Items cleared per queue\" width=\"")
                .append(labelWidth + barWidth + 80).append("\" height=\"").append(bars.size() * rowHeight + 8)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        for (int i = 0; i < bars.size(); i++) {
            long n = Long.parseLong(bars.get(i)[1]);
            int width = max == 0 ? 0 : (int) Math.max(n > 0 ? 2 : 0, n * barWidth / max);
            int y = i * rowHeight + 4;
            svg.append("<text x=\"").append(labelWidth - 8).append("\" y=\"").append(y + 15)
                    .append("\" text-anchor=\"end\">").append(esc(bars.get(i)[0])).append("</text>")
                    .append("<rect class=\"bar\" x=\"").append(labelWidth).append("\" y=\"").append(y)
                    .append("\" width=\"").append(width).append("\" height=\"").append(rowHeight - 6)
                    .append("\" fill=\"#0969da\"><title>").append(esc(bars.get(i)[0])).append(": ").append(n)
                    .append("</title></rect>").append("<text x=\"").append(labelWidth + width + 6).append("\" y=\"")
                    .append(y + 15).append("\">").append(n).append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String queueTable(JsonNode queues) {
        if (queues.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("<table id=\"queues\">\n<tr><th>queue</th>");
        for (String outcome : ITEM_OUTCOMES) {
            t.append("<th>").append(outcome).append("</th>");
        }
        t.append("</tr>\n");
        for (JsonNode q : queues) {
            t.append("<tr><td>").append(esc(q.path("queue").asText())).append("</td>");
            for (String outcome : ITEM_OUTCOMES) {
                t.append("<td class=\"n\">").append(q.path(outcome).asLong()).append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String subject(JsonNode failure) {
        return subjectId(failure) + " (folder " + failure.path("folderId").asText() + ", queue "
                + failure.path("queue").asText() + ")";
    }

    private static String subjectId(JsonNode failure) {
        if (failure.has("itemId")) {
            return "item " + failure.path("itemId").asLong();
        }
        return failure.has("exportId") ? "export " + failure.path("exportId").asLong() : "export";
    }

    private static String abbreviate(String sha256) {
        return sha256.length() > 16 ? sha256.substring(0, 16) + "\u2026" : sha256;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
