package io.github.orchestratorqueueroutes.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.Checksums;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The purge and the export under each class of transient fault alone and all together end in the same state as a
 * fault-free run: every eligible item cleared exactly once, nothing else changed, exports byte-identical, exit 0.
 */
class FaultMatrixTest extends AgainstSimulator {

    private static final Set<String> CLEARABLE = Set.of("Successful", "Deleted", "Retried");
    private static final Set<String> CHANGED_BY_PUT = Set.of("SpecificContent", "SpecificData", "RowVersion");
    private static final int MAX_ATTEMPTS = 5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"latency", "503", "502-504", "429", "dropped-connections", "slow-answers", "token-expiry",
        "expired-links", "all-together"})
    void endsInTheFaultFreeState(String faults) throws Exception {
        OrchestratorSimulator simulator = product.simulator();
        apply(faults, simulator);
        Map<Long, JsonNode> before = simulator.tenant().snapshot();

        ProductRun.Result run = product.clientCredentials()
                .with("export.enabled", "true")
                .with("export.queues", "Queue Demo,Banana Orders")
                .with("export.target", "file:" + out.resolve("exports"))
                .with("purge.concurrency", "8")
                .with("orchestrator.page-size", "25")
                .with("orchestrator.http.response-timeout", "PT0.5S")
                .with("orchestrator.retry.max-attempts", Integer.toString(MAX_ATTEMPTS))
                .with("orchestrator.retry.initial-delay", "PT0.05S")
                .with("orchestrator.retry.max-delay", "PT0.2S")
                .runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertPurgedExactlyOnce(before, simulator.tenant().snapshot(), run.requests());
        assertThat(run.summary().get("exports")).hasSize(2).allSatisfy(e -> {
            Path file = out.resolve("exports").resolve(e.get("file").asText());
            try {
                assertThat(Checksums.sha256(Files.newInputStream(file)))
                        .isEqualTo(Checksums.sha256(simulator.exports().csv(e.get("exportId").asLong())));
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        });
        assertThat(run.requests()).filteredOn(RecordedRequest::isExportStart).filteredOn(r -> r.status() == 200)
                .hasSize(2);
        assertRetriesBounded(run.requests());
        if (faults.equals("token-expiry") || faults.equals("all-together")) {
            assertThat(run.requests()).as("tokens were refused and renewed").anyMatch(r -> r.status() == 401);
        }
        if (!faults.equals("latency") && !faults.equals("expired-links") && !faults.equals("token-expiry")) {
            assertThat(run.requests()).as("faults were injected").anyMatch(r -> r.status() >= 429 || r.status() < 0);
        }
        if (faults.equals("429") || faults.equals("all-together")) {
            assertRetryAfterRespected(run.requests());
        }
    }

    private static void apply(String faults, OrchestratorSimulator simulator) {
        switch (faults) {
            case "latency" -> simulator.latency(Duration.ofMillis(20));
            case "503" -> simulator.faults().answer(4, 503, 0);
            case "502-504" -> simulator.faults().answer(3, 502, 0).answer(5, 504, 0);
            case "429" -> simulator.faults().answer(10, 429, 1);
            case "dropped-connections" -> simulator.faults().dropConnections(5);
            case "slow-answers" -> simulator.faults().slowAnswers(7, Duration.ofMillis(1200));
            case "token-expiry" -> expireTokensNow(simulator, 40);
            case "expired-links" -> refuseFirstDownloadOfEachExport(simulator);
            case "all-together" -> {
                simulator.latency(Duration.ofMillis(5));
                simulator.faults().answer(23, 429, 1).answer(7, 503, 0).answer(11, 502, 0).answer(13, 504, 0)
                        .dropConnections(17).slowAnswers(29, Duration.ofMillis(1200));
                expireTokensNow(simulator, 60);
                refuseFirstDownloadOfEachExport(simulator);
            }
            default -> throw new IllegalArgumentException(faults);
        }
    }

    /** Revokes every issued token after each {@code every} answered requests, as an expiry in flight would. */
    private static void expireTokensNow(OrchestratorSimulator simulator, int every) {
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        simulator.afterEachRequest(r -> {
            if (r.path().startsWith("/odata/") && answered.incrementAndGet() % every == 0) {
                simulator.expireIssuedTokens();
            }
        });
    }

    private static void refuseFirstDownloadOfEachExport(OrchestratorSimulator simulator) {
        Set<String> refused = ConcurrentHashMap.newKeySet();
        simulator.intercept(r -> r.isDownload() && refused.add(r.path())
                ? Optional.of(new OrchestratorSimulator.SimulatedReply(403, "application/xml",
                        "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code></Error>"))
                : Optional.empty());
    }

    private static void assertPurgedExactlyOnce(Map<Long, JsonNode> before, Map<Long, JsonNode> after,
            List<RecordedRequest> requests) {
        Map<Long, Long> appliedPuts = requests.stream().filter(RecordedRequest::isItemPut).filter(r -> r.status() == 200)
                .collect(Collectors.groupingBy(RecordedRequest::itemId, Collectors.counting()));
        int cleared = 0;
        for (var entry : before.entrySet()) {
            long id = entry.getKey();
            JsonNode was = entry.getValue();
            JsonNode is = after.get(id);
            if (CLEARABLE.contains(was.get("Status").asText())) {
                assertThat(PurgeCriteria.hasContent(is)).as("item %d cleared", id).isFalse();
                assertThat(without(is)).as("item %d otherwise unchanged", id).isEqualTo(without(was));
                if (PurgeCriteria.hasContent(was)) {
                    cleared++;
                    assertThat(appliedPuts.get(id)).as("applied PUTs of item %d", id).isEqualTo(1L);
                }
            } else {
                assertThat(is).as("item %d untouched", id).isEqualTo(was);
            }
        }
        assertThat(cleared).isGreaterThan(50);
    }

    private static void assertRetriesBounded(List<RecordedRequest> requests) {
        Map<String, Long> attempts = new HashMap<>();
        for (RecordedRequest r : requests) {
            if (r.path().startsWith("/odata/") && !r.isQueueItemsList()) {
                attempts.merge(r.method() + " " + r.path() + " " + r.body().hashCode(), 1L, Long::sum);
            }
        }
        // polls repeat on purpose; everything else is one call plus its retries
        attempts.entrySet().removeIf(e -> e.getKey().startsWith("GET /odata/Exports(") && !e.getKey().contains("Link"));
        attempts.entrySet().removeIf(e -> e.getKey().startsWith("GET /odata/QueueDefinitions")
                || e.getKey().startsWith("GET /odata/Folders"));
        assertThat(attempts.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(MAX_ATTEMPTS));
    }

    private static void assertRetryAfterRespected(List<RecordedRequest> requests) {
        Map<String, RecordedRequest> last429 = new HashMap<>();
        // recorded when answered; a slow attempt is answered after its own repeat
        List<RecordedRequest> byArrival = requests.stream()
                .sorted(java.util.Comparator.comparing(RecordedRequest::at)).toList();
        for (RecordedRequest r : byArrival) {
            String key = r.method() + " " + r.path() + " " + r.query() + " " + r.body().hashCode();
            RecordedRequest throttled = last429.remove(key);
            if (throttled != null) {
                assertThat(Duration.between(throttled.at(), r.at())).as("wait after 429 for %s", key)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
            if (r.status() == 429) {
                last429.put(key, r);
            }
        }
    }

    private static JsonNode without(JsonNode item) {
        ObjectNode copy = item.deepCopy();
        copy.remove(CHANGED_BY_PUT);
        return copy;
    }
}
