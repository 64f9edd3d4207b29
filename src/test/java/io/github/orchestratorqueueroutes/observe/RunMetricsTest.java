package io.github.orchestratorqueueroutes.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.orchestratorqueueroutes.odata.OrchestratorRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RunMetricsTest {

    @Test
    void operationsFoldNumericIdsSoEachKindOfCallIsOneSeries() {
        assertThat(operation("GET", "odata/QueueItems(123)")).isEqualTo("GET QueueItems({id})");
        assertThat(operation("GET", "odata/Folders")).isEqualTo("GET Folders");
        assertThat(operation("POST", "odata/QueueDefinitions(7)/UiPathODataSvc.Export"))
                .isEqualTo("POST QueueDefinitions({id})/UiPathODataSvc.Export");
        assertThat(operation("GET", "odata/Jobs(1)/Items(22)")).isEqualTo("GET Jobs({id})/Items({id})");
        // not an id: left as it is
        assertThat(operation("GET", "odata/Queues(abc)()")).isEqualTo("GET Queues(abc)()");
    }

    @Test
    void repeatedCountsLandOnOneMeterPerLabelSet() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetrics metrics = new RunMetrics(registry);
        for (int i = 0; i < 3; i++) {
            metrics.itemHandled("cleared", 1, "Invoices");
        }
        metrics.itemHandled("cleared", 2, "Invoices");
        metrics.itemHandled("failed", 1, "Invoices");

        assertThat(registry.get("oqr.items").tags("action", "cleared", "folder", "1", "queue", "Invoices").counter()
                .count()).isEqualTo(3);
        assertThat(registry.get("oqr.items").tags("action", "cleared", "folder", "2").counter().count()).isEqualTo(1);
        assertThat(registry.get("oqr.items").tags("action", "failed").counter().count()).isEqualTo(1);
    }

    private static String operation(String method, String path) {
        return RunMetrics.operationOf(new OrchestratorRequest(method, path, Map.of(), null, null, method + " " + path));
    }
}
