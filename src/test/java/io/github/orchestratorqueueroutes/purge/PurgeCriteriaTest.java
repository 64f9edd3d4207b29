package io.github.orchestratorqueueroutes.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class PurgeCriteriaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CUTOFF = Instant.parse("2024-01-01T00:00:00Z");

    private final PurgeCriteria criteria = new PurgeCriteria(Set.of("Successful", "Retried"), Duration.ofDays(30));

    @Test
    void listFilterPushesStatusQueueAndAgeIntoOData() {
        assertThat(criteria.listFilter(List.of(7L, 3L), CUTOFF)).isEqualTo(
                "(Status eq 'Retried' or Status eq 'Successful') and (QueueDefinitionId eq 3 or QueueDefinitionId eq 7)"
                        + " and (EndProcessing lt 2024-01-01T00:00:00Z"
                        + " or (EndProcessing eq null and CreationTime lt 2024-01-01T00:00:00Z))");
        assertThat(criteria.listFilter(null, null)).isEqualTo("(Status eq 'Retried' or Status eq 'Successful')");
    }

    @Test
    void manyQueuesStayOutOfTheFilterToRespectTheExpressionLimit() {
        List<Long> queues = java.util.stream.LongStream.rangeClosed(1, 51).boxed().toList();

        assertThat(criteria.listFilter(queues, null)).doesNotContain("QueueDefinitionId");
        assertThat(criteria.selected(item("Successful", 52, "2023-01-01T00:00:00Z", null), queues, null)).isFalse();
    }

    @Test
    void clientSideCheckMatchesTheFilter() {
        assertThat(criteria.selected(item("Successful", 3, "2023-05-01T00:00:00Z", null), List.of(3L), CUTOFF)).isTrue();
        assertThat(criteria.selected(item("Deleted", 3, "2023-05-01T00:00:00Z", null), List.of(3L), CUTOFF)).isFalse();
        assertThat(criteria.selected(item("Successful", 4, "2023-05-01T00:00:00Z", null), List.of(3L), CUTOFF)).isFalse();
        assertThat(criteria.selected(item("Successful", 3, "2024-05-01T00:00:00Z", null), List.of(3L), CUTOFF)).isFalse();
        // ended recently although created long ago: too young
        assertThat(criteria.selected(item("Retried", 3, "2020-01-01T00:00:00Z", "2024-02-01T00:00:00Z"), null, CUTOFF))
                .isFalse();
        assertThat(criteria.selected(item("Retried", 3, "2024-05-01T00:00:00Z", null), null, null)).isTrue();
    }

    @Test
    void statusAlsoMatchesItsNumberAndUnknownValuesNeverMatch() {
        assertThat(criteria.statusAllowed(new TextNode("3"))).isTrue();
        assertThat(criteria.statusAllowed(new IntNode(5))).isTrue();
        assertThat(criteria.statusAllowed(new TextNode("New"))).isFalse();
        assertThat(criteria.statusAllowed(new TextNode("Archived"))).isFalse();
        assertThat(criteria.statusAllowed(null)).isFalse();
    }

    @Test
    void contentIsEmptyWhenNullOrAnEmptyObject() throws Exception {
        assertThat(PurgeCriteria.hasContent(JSON.readTree("{\"SpecificContent\":null}"))).isFalse();
        assertThat(PurgeCriteria.hasContent(JSON.readTree("{\"SpecificContent\":{}}"))).isFalse();
        assertThat(PurgeCriteria.hasContent(JSON.readTree("{\"SpecificContent\":{\"a\":null}}"))).isTrue();
        assertThat(PurgeCriteria.hasContent(JSON.readTree("{\"SpecificData\":\"{\\\"DynamicProperties\\\":{}}\"}")))
                .isFalse();
        assertThat(PurgeCriteria.hasContent(JSON.readTree("{\"SpecificData\":\"{\\\"DynamicProperties\\\":{\\\"a\\\":1}}\"}")))
                .isTrue();
    }

    private static JsonNode item(String status, long queue, String created, String ended) {
        var node = JSON.createObjectNode();
        node.put("Status", status);
        node.put("QueueDefinitionId", queue);
        node.put("CreationTime", created);
        node.put("EndProcessing", ended);
        return node;
    }
}
