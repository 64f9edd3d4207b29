package io.github.orchestratorqueueroutes.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import org.junit.jupiter.api.Test;

class PurgeBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seedItemBodyIsTheDocumentedOne() {
        ObjectNode detail = (ObjectNode) SimulatedTenant.seeded().snapshot().get(SimulatedTenant.SEED_SUCCESSFUL_ITEM);

        assertThat(PurgeBody.build(detail, "Queue Demo").toString()).isEqualTo("{\"Name\":\"Queue Demo\","
                + "\"Priority\":\"High\",\"SpecificContent\":{},\"DeferDate\":null,\"DueDate\":null,"
                + "\"RiskSlaDate\":\"2022-02-17T13:27:43.895Z\",\"Reference\":\"82086\",\"Progress\":null}");
    }

    @Test
    void valuesAreCopiedExactlyWhateverTheirJsonType() throws Exception {
        var detail = JSON.readTree("{\"Priority\":1,\"DeferDate\":\"2024-01-02T03:04:05.6Z\",\"DueDate\":null,"
                + "\"RiskSlaDate\":null,\"Reference\":\"\",\"Progress\":\"Step 2 of 5\",\"Status\":\"Deleted\","
                + "\"SpecificContent\":{\"Name\":\"x\"},\"Output\":{\"a\":1}}");

        ObjectNode body = PurgeBody.build(detail, "Invoices");

        assertThat(body.toString()).isEqualTo("{\"Name\":\"Invoices\",\"Priority\":1,\"SpecificContent\":{},"
                + "\"DeferDate\":\"2024-01-02T03:04:05.6Z\",\"DueDate\":null,\"RiskSlaDate\":null,\"Reference\":\"\","
                + "\"Progress\":\"Step 2 of 5\"}");
    }

    @Test
    void detailWithoutAnAppliedFieldIsRefusedRatherThanOverwritten() throws Exception {
        var detail = JSON.readTree("{\"Priority\":\"Low\",\"DeferDate\":null,\"RiskSlaDate\":null,"
                + "\"Reference\":null,\"Progress\":null}");

        assertThatThrownBy(() -> PurgeBody.build(detail, "Q")).isInstanceOf(MalformedItemException.class)
                .hasMessageContaining("'DueDate'");
    }
}
