package io.github.orchestratorqueueroutes.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatedTenant;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;

/** The safety guarantees of the README ("Safety guarantees"), each proven against the simulator with the real application. */
class PurgeSafetyTest extends AgainstSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CLEARABLE = Set.of("Successful", "Deleted", "Retried");
    /** What a PUT may change on the server; everything else must stay as it was. */
    private static final Set<String> CHANGED_BY_PUT = Set.of("SpecificContent", "SpecificData", "RowVersion");


    @Test
    void clearsEveryEligibleItemOnceAndChangesNothingElse() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        Map<Long, JsonNode> after = product.simulator().tenant().snapshot();
        Map<Long, Long> putsPerItem = run.puts().stream()
                .collect(Collectors.groupingBy(RecordedRequest::itemId, Collectors.counting()));
        int withContent = 0;
        int alreadyEmpty = 0;
        for (var entry : before.entrySet()) {
            long id = entry.getKey();
            JsonNode was = entry.getValue();
            JsonNode is = after.get(id);
            if (CLEARABLE.contains(was.get("Status").asText())) {
                assertThat(PurgeCriteria.hasContent(is)).as("content of eligible item %d", id).isFalse();
                assertThat(without(is, CHANGED_BY_PUT)).as("item %d apart from its content", id)
                        .isEqualTo(without(was, CHANGED_BY_PUT));
                if (PurgeCriteria.hasContent(was)) {
                    withContent++;
                    assertThat(putsPerItem.get(id)).as("PUTs for item %d", id).isEqualTo(1L);
                } else {
                    alreadyEmpty++;
                    assertThat(putsPerItem).as("an item whose content was empty gets no PUT").doesNotContainKey(id);
                }
            } else {
                assertThat(is).as("non-eligible item %d", id).isEqualTo(was);
                assertThat(putsPerItem).as("non-eligible item %d", id).doesNotContainKey(id);
            }
        }
        assertThat(withContent).isGreaterThan(50);
        assertThat(alreadyEmpty).isPositive();
        assertThat(putsPerItem).doesNotContainKey(SimulatedTenant.SEED_NEW_ITEM);
        assertThat(run.count("cleared")).isEqualTo(withContent);
        assertThat(run.count("skipped-empty")).isEqualTo(alreadyEmpty);
        assertThat(run.count("failed")).isZero();
        assertThat(run.summary().get("itemsNotReached").asLong()).isZero();
    }

    @Test
    void putBodyIsRebuiltFromTheFreshDetailAndNothingElse() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.runOnce();

        assertThat(run.puts()).isNotEmpty();
        for (RecordedRequest put : run.puts()) {
            JsonNode body = readJson(put.body());
            JsonNode was = before.get(put.itemId());
            ObjectNode expected = JSON.createObjectNode();
            expected.put("Name", product.simulator().tenant().queueName(was.get("QueueDefinitionId").asLong()));
            expected.set("Priority", was.get("Priority"));
            expected.putObject("SpecificContent");
            for (String field : List.of("DeferDate", "DueDate", "RiskSlaDate", "Reference", "Progress")) {
                expected.set(field, was.get(field));
            }
            assertThat(body).as("PUT body of item %d", put.itemId()).isEqualTo(expected);
            assertThat(put.header("Content-Type")).startsWith("application/json");
        }
    }

    @Test
    void seedItemGetsExactlyTheDocumentedPutBody() {
        ProductRun.Result run = product.runOnce();

        List<RecordedRequest> puts = run.puts().stream()
                .filter(r -> r.itemId() == SimulatedTenant.SEED_SUCCESSFUL_ITEM).toList();
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).body()).isEqualTo("{\"Name\":\"Queue Demo\",\"Priority\":\"High\",\"SpecificContent\":{},"
                + "\"DeferDate\":null,\"DueDate\":null,\"RiskSlaDate\":\"2022-02-17T13:27:43.895Z\","
                + "\"Reference\":\"82086\",\"Progress\":null}");
        assertThat(puts.get(0).header("X-UIPATH-OrganizationUnitId")).isEqualTo("39419");
    }

    @Test
    void itemOfAQueueLinkedToTwoFoldersIsProcessedOnce() {
        Set<Long> links = product.simulator().tenant().folderIdsOfQueue(SimulatedTenant.SHARED_INVOICES_QUEUE);
        assertThat(links).hasSize(2);
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();
        Set<Long> sharedEligible = before.values().stream()
                .filter(i -> i.get("QueueDefinitionId").asLong() == SimulatedTenant.SHARED_INVOICES_QUEUE)
                .filter(i -> CLEARABLE.contains(i.get("Status").asText()))
                .map(i -> i.get("Id").asLong()).collect(Collectors.toSet());

        ProductRun.Result run = product.runOnce();

        Map<Long, Long> detailGets = run.requests().stream().filter(RecordedRequest::isItemGet)
                .collect(Collectors.groupingBy(RecordedRequest::itemId, Collectors.counting()));
        Map<Long, Long> auditLines = run.audit().stream()
                .collect(Collectors.groupingBy(a -> a.get("itemId").asLong(), Collectors.counting()));
        for (long id : sharedEligible) {
            assertThat(detailGets.getOrDefault(id, 0L)).as("detail GETs of item %d", id).isLessThanOrEqualTo(1);
            assertThat(auditLines.get(id)).as("audit lines of item %d", id).isEqualTo(1L);
        }
        long sharedPuts = run.puts().stream().filter(p -> sharedEligible.contains(p.itemId())).count();
        assertThat(sharedPuts).isEqualTo(run.puts().stream().filter(p -> sharedEligible.contains(p.itemId()))
                .map(RecordedRequest::itemId).distinct().count()).isPositive();
    }

    @Test
    void secondRunSendsNoPutAndNoDetailGet() {
        assertThat(product.runOnce().exitCode()).isZero();

        ProductRun.Result second = product.runOnce();

        assertThat(second.exitCode()).isZero();
        assertThat(second.requests()).noneMatch(RecordedRequest::isItemPut).noneMatch(RecordedRequest::isItemGet);
        assertThat(second.count("cleared")).isZero();
    }

    @Test
    void dryRunSendsNoPutAndCountsWhatItWouldClear() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();
        long eligibleWithContent = before.values().stream()
                .filter(i -> CLEARABLE.contains(i.get("Status").asText()))
                .filter(PurgeCriteria::hasContent).count();

        ProductRun.Result run = product.with("purge.dry-run", "true").runOnce();

        assertThat(run.exitCode()).isZero();
        assertThat(run.requests()).noneMatch(RecordedRequest::isItemPut);
        assertThat(run.count("would-clear")).isEqualTo(eligibleWithContent);
        assertThat(run.count("cleared")).isZero();
        assertThat(product.simulator().tenant().snapshot()).isEqualTo(before);
    }

    @Test
    void itemWhoseFreshStatusIsNoLongerEligibleIsNotPut() {
        long item = SimulatedTenant.SEED_SUCCESSFUL_ITEM;
        // a user re-opens the item after the list call saw it as Successful
        product.simulator().afterEachRequest(r -> {
            if (r.isQueueItemsList() && "39419".equals(r.header("X-UIPATH-OrganizationUnitId"))) {
                product.simulator().tenant().setStatus(item, "InProgress");
            }
        });

        ProductRun.Result run = product.runOnce();

        assertThat(run.requests()).filteredOn(RecordedRequest::isItemGet).anyMatch(r -> r.itemId() == item);
        assertThat(run.puts()).noneMatch(r -> r.itemId() == item);
        assertThat(run.audit()).filteredOn(a -> a.get("itemId").asLong() == item)
                .singleElement().satisfies(a -> {
                    assertThat(a.get("action").asText()).isEqualTo("skipped-status");
                    assertThat(a.get("status").asText()).isEqualTo("InProgress");
                });
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void onlyConfiguredStatusesAreCleared() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.with("purge.statuses", "Successful").runOnce();

        assertThat(run.exitCode()).isZero();
        assertThat(run.puts()).isNotEmpty()
                .allSatisfy(p -> assertThat(before.get(p.itemId()).get("Status").asText()).isEqualTo("Successful"));
        Map<Long, JsonNode> after = product.simulator().tenant().snapshot();
        before.forEach((id, was) -> {
            if (!was.get("Status").asText().equals("Successful")) {
                assertThat(after.get(id)).isEqualTo(was);
            }
        });
    }

    @Test
    void queueAndAgeSelectionArePushedIntoTheFilterAndRespected() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.with("purge.queues", "Queue Demo").with("purge.older-than", "P1500D")
                .runOnce();

        assertThat(run.exitCode()).isZero();
        List<RecordedRequest> lists = run.requests().stream().filter(RecordedRequest::isQueueItemsList).toList();
        assertThat(lists).isNotEmpty().allSatisfy(l -> assertThat(l.query().get("$filter"))
                .contains("QueueDefinitionId eq " + SimulatedTenant.QUEUE_DEMO).contains("EndProcessing lt "));
        java.time.Instant cutoff = java.time.Instant.now().minus(java.time.Duration.ofDays(1500));
        assertThat(run.puts()).isNotEmpty().allSatisfy(p -> {
            JsonNode was = before.get(p.itemId());
            assertThat(was.get("QueueDefinitionId").asLong()).isEqualTo(SimulatedTenant.QUEUE_DEMO);
            JsonNode end = was.get("EndProcessing").isNull() ? was.get("CreationTime") : was.get("EndProcessing");
            assertThat(java.time.Instant.parse(end.asText())).isBefore(cutoff);
        });
        long youngerEligible = before.values().stream()
                .filter(i -> i.get("QueueDefinitionId").asLong() == SimulatedTenant.QUEUE_DEMO)
                .filter(i -> CLEARABLE.contains(i.get("Status").asText()) && PurgeCriteria.hasContent(i))
                .filter(i -> {
                    JsonNode end = i.get("EndProcessing").isNull() ? i.get("CreationTime") : i.get("EndProcessing");
                    return java.time.Instant.parse(end.asText()).isAfter(cutoff.plusSeconds(60));
                }).count();
        assertThat(youngerEligible).as("the seed data must have younger items for this test to mean anything")
                .isPositive();
    }

    @Test
    void everyListRequestCarriesAFolderHeaderAndAtMostOneHundredItemsPerPage() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.with("orchestrator.page-size", "7").runOnce();

        assertThat(run.exitCode()).isZero();
        List<RecordedRequest> lists = run.requests().stream()
                .filter(r -> r.is("GET", "/odata/(QueueItems|QueueDefinitions|Folders)")).toList();
        assertThat(lists.stream().filter(RecordedRequest::isQueueItemsList).count()).as("keyset pages").isGreaterThan(10);
        assertThat(lists).allSatisfy(r -> assertThat(Integer.parseInt(r.query().get("$top"))).isBetween(1, 100));
        assertThat(run.requests()).filteredOn(r -> r.path().startsWith("/odata/Queue"))
                .allSatisfy(r -> assertThat(r.header("X-UIPATH-OrganizationUnitId")).isNotBlank());
        long eligibleWithContent = before.values().stream()
                .filter(i -> CLEARABLE.contains(i.get("Status").asText())).filter(PurgeCriteria::hasContent).count();
        assertThat(run.count("cleared")).as("small pages reach every item").isEqualTo(eligibleWithContent);
    }

    @Test
    void itemsAreProcessedInParallelUpToTheConfiguredConcurrency() {
        product.simulator().latency(java.time.Duration.ofMillis(15));

        ProductRun.Result run = product.with("purge.concurrency", "3").runOnce();

        assertThat(run.exitCode()).isZero();
        assertThat(product.simulator().maxConcurrentItemRequests()).isEqualTo(3);
        // the next page is listed beside the items being worked on: one list call at most
        assertThat(product.simulator().maxConcurrentRequests()).isBetween(3, 4);
    }

    @Test
    void failedPutIsRecordedWithTheServersErrorAndTheRunGoesOn() {
        long gone = SimulatedTenant.SEED_SUCCESSFUL_ITEM;
        product.simulator().intercept(r -> r.isItemPut() && r.itemId() == gone
                ? java.util.Optional.of(SimulatedReply.error(404, 1002, "Queue item does not exist."))
                : java.util.Optional.empty());

        ProductRun.Result run = product.runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.count("cleared")).isGreaterThan(50);
        JsonNode failure = run.audit().stream().filter(a -> a.get("action").asText().equals("failed"))
                .filter(a -> a.get("itemId").asLong() == gone).findFirst().orElseThrow();
        assertThat(failure.get("error").asText()).contains("HTTP 404").contains("errorCode 1002")
                .contains("Queue item does not exist.");
        assertThat(run.summary().get("failures").get(0).get("itemId").asLong()).isEqualTo(gone);
        assertThat(run.summary().get("exitCode").asInt()).isEqualTo(1);
    }

    @Test
    void aPageThatCannotBeListedFailsItsFolderOnlyAfterEveryItemHandedOutIsAudited() {
        // items stream to the workers while the next page is listed: when that listing fails, items of the pages
        // before it are still in flight, and each PUT the server applied must reach the audit before the run ends.
        // The folder listed last fails, so nothing runs after it to give those items time.
        String failingFolder = Long.toString(SimulatedTenant.FINANCE_FOLDER);
        product.simulator().latency(java.time.Duration.ofMillis(15));
        product.simulator().intercept(r -> r.isQueueItemsList() && !r.query().get("$filter").endsWith("Id gt 0")
                && failingFolder.equals(r.header("X-UIPATH-OrganizationUnitId"))
                ? java.util.Optional.of(SimulatedReply.error(400, 1000, "The filter cannot be applied."))
                : java.util.Optional.empty());

        ProductRun.Result run = product.with("orchestrator.page-size", "10").with("purge.concurrency", "4").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isEqualTo(1);
        assertThat(run.summary().get("runErrors").toString()).contains("(" + failingFolder + ") stopped")
                .contains("errorCode 1000").contains("The filter cannot be applied.");
        Set<Long> applied = run.puts().stream().filter(p -> p.status() / 100 == 2).map(RecordedRequest::itemId)
                .collect(Collectors.toSet());
        Set<Long> audited = run.audit().stream().filter(a -> a.get("action").asText().equals("cleared"))
                .map(a -> a.get("itemId").asLong()).collect(Collectors.toSet());
        assertThat(audited).as("every PUT the server applied is in the audit").isEqualTo(applied);
        assertThat(run.count("cleared")).as("and counted in the summary, written when the run ended")
                .isEqualTo(applied.size());
        Set<Long> clearedInFailingFolder = run.audit().stream()
                .filter(a -> a.get("action").asText().equals("cleared"))
                .filter(a -> a.get("folderId").asText().equals(failingFolder))
                .map(a -> a.get("itemId").asLong()).collect(Collectors.toSet());
        assertThat(clearedInFailingFolder).as("the first page of the failing folder was cleared").isNotEmpty()
                .hasSizeLessThanOrEqualTo(10);
        assertThat(audited).as("the other folders still ran").hasSizeGreaterThan(clearedInFailingFolder.size());
    }

    @Test
    void auditAndSummaryNameItemsButNeverTheirContent() {
        Map<Long, JsonNode> before = product.simulator().tenant().snapshot();

        ProductRun.Result run = product.runOnce();

        Map<String, Boolean> contentValues = new HashMap<>();
        before.values().forEach(i -> i.path("SpecificContent").fields().forEachRemaining(f -> {
            String value = f.getValue().asText();
            if (value.length() > 4) {
                contentValues.put(value, true);
            }
        }));
        assertThat(contentValues).containsKey("John Kensington");
        for (String value : contentValues.keySet()) {
            assertThat(run.auditText()).doesNotContain(value);
            assertThat(run.summaryText()).doesNotContain(value);
            assertThat(run.logs()).doesNotContain(value);
        }
        assertThat(run.audit()).allSatisfy(a -> assertThat(a.has("itemId")).isTrue());
    }

    private static JsonNode without(JsonNode item, Set<String> fields) {
        ObjectNode copy = item.deepCopy();
        copy.remove(fields);
        return copy;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
