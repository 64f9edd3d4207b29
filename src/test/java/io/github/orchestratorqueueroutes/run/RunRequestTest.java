package io.github.orchestratorqueueroutes.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RunRequestTest {

    @Test
    void fullRequestIsRead() {
        RunRequest request = RunRequest.parse("{\"job\":\"purge\",\"folders\":[\"Shared\"],\"queues\":[\"Q\"],"
                + "\"statuses\":[\"successful\"],\"olderThan\":\"P30D\",\"dryRun\":true,\"full\":true}");

        assertThat(request.job()).isEqualTo("purge");
        assertThat(request.folders()).isEqualTo(List.of("Shared"));
        assertThat(request.dryRun()).isTrue();
        assertThat(request.full()).isTrue();
        assertThat(RunRequest.parse("{}").job()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"job\":\"purge\",\"color\":\"red\"} | Unknown field 'color'",
        "{\"job\":\"delete\"} | job is 'delete'",
        "{\"statuses\":[\"New\"]} | 'New'",
        "{\"statuses\":[]} | statuses is empty",
        "{\"olderThan\":\"30 days\"} | olderThan",
        "{\"dryRun\":\"maybe\"} | Not a JSON request",
        "[1,2] | Not a JSON request",
        "{\"queues\":[\"\"]} | empty names",
    })
    void invalidRequestsAreRejectedWithTheReason(String json, String reason) {
        assertThatThrownBy(() -> RunRequest.parse(json)).isInstanceOf(RunRequest.InvalidRequestException.class)
                .hasMessageContaining(reason);
    }
}
