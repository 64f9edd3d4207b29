package io.github.orchestratorqueueroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The simulator must read filters the way Orchestrator does, or product tests prove nothing. */
class ODataQueryEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PROPS = Set.of("Id", "Status", "EndProcessing", "CreationTime", "Reference");

    private static boolean matches(String filter, String item) throws Exception {
        JsonNode node = JSON.readTree(item);
        return ODataQueryEvaluator.filter(filter, PROPS).test(node);
    }

    @Test
    void comparesNumbersStringsDatesAndNulls() throws Exception {
        String item = "{\"Id\":10,\"Status\":\"Successful\",\"EndProcessing\":null,"
                + "\"CreationTime\":\"2022-02-16T15:30:11.753Z\",\"Reference\":\"O'Hara\"}";
        assertThat(matches("Id gt 9 and Id le 10", item)).isTrue();
        assertThat(matches("(Status eq 'Deleted' or Status eq 'Successful') and Id gt 10", item)).isFalse();
        assertThat(matches("Status eq '3'", item)).isTrue();
        assertThat(matches("EndProcessing eq null and CreationTime lt 2023-01-01T00:00:00Z", item)).isTrue();
        assertThat(matches("EndProcessing lt 2023-01-01T00:00:00Z", item)).isFalse();
        assertThat(matches("Reference eq 'O''Hara'", item)).isTrue();
        assertThat(matches("Id in (1,10,12)", item)).isTrue();
        assertThat(matches("not (Id in (1,2))", item)).isTrue();
    }

    @Test
    void unknownPropertiesAndBrokenSyntaxAreRejectedLikeTheServerDoes() {
        assertThatThrownBy(() -> matches("Sttus eq 'New'", "{}")).hasMessageContaining("'Sttus'");
        assertThatThrownBy(() -> matches("(Id gt 1", "{}")).hasMessageContaining("Expected ')'");
        assertThatThrownBy(() -> matches("Id gt", "{}")).hasMessageContaining("end of $filter");
    }
}
