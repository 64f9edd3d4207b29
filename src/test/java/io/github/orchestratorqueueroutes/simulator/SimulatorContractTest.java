package io.github.orchestratorqueueroutes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator is as strict as the real service (README "The simulator"); a lenient fake would prove nothing. */
class SimulatorContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAT = "Bearer " + SimulatorAccounts.PERSONAL_ACCESS_TOKEN;
    private final OrchestratorSimulator simulator = new OrchestratorSimulator().start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String auth, String folder, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(simulator.url() + pathAndQuery));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (folder != null) {
            b.header("X-UIPATH-OrganizationUnitId", folder);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void callsWithoutAValidTokenAre401() throws Exception {
        assertThat(send("GET", "/odata/Folders", null, null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/odata/Folders", "Bearer nope", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/odata/Folders", PAT, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void folderHeaderIsRequiredAndMustNameAKnownFolder() throws Exception {
        HttpResponse<String> missing = send("GET", "/odata/QueueItems", PAT, null, null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("errorCode").asInt()).isEqualTo(1101);
        assertThat(json(missing).has("traceId")).isTrue();
        HttpResponse<String> unknown = send("GET", "/odata/QueueItems", PAT, "12345", null);
        assertThat(json(unknown).get("errorCode").asInt()).isEqualTo(1100);
    }

    @Test
    void topOverOneHundredIsRejectedAndCountFilterOrderWork() throws Exception {
        assertThat(send("GET", "/odata/QueueItems?$top=101", PAT, "39419", null).statusCode()).isEqualTo(400);
        String filter = URLEncoder.encode("Status eq 'Successful' and Id gt 2499000", StandardCharsets.UTF_8)
                .replace("+", "%20");
        JsonNode page = json(send("GET", "/odata/QueueItems?$filter=" + filter + "&$orderby=Id%20desc&$top=3&$count=true",
                PAT, "39419", null));
        assertThat(page.get("@odata.count").asInt()).isGreaterThan(3);
        assertThat(page.get("value")).hasSize(3);
        assertThat(page.get("value").get(0).get("Id").asLong()).isGreaterThan(page.get("value").get(1).get("Id").asLong());
        page.get("value").forEach(i -> assertThat(i.get("Status").asText()).isEqualTo("Successful"));
    }

    @Test
    void itemsOfASharedQueueAreListedInEveryLinkedFolder() throws Exception {
        String filter = URLEncoder.encode("QueueDefinitionId eq " + SimulatedTenant.SHARED_INVOICES_QUEUE,
                StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode inShared = json(send("GET", "/odata/QueueItems?$count=true&$filter=" + filter, PAT, "39419", null));
        JsonNode inBanana = json(send("GET", "/odata/QueueItems?$count=true&$filter=" + filter, PAT, "62516", null));
        assertThat(inShared.get("@odata.count").asInt()).isPositive().isEqualTo(inBanana.get("@odata.count").asInt());
    }

    @Test
    void putIsStrictAboutFieldsQueueNameAndStatus() throws Exception {
        String good = "{\"Name\":\"Queue Demo\",\"Priority\":\"High\",\"SpecificContent\":{},\"DeferDate\":null,"
                + "\"DueDate\":null,\"RiskSlaDate\":\"2022-02-17T13:27:43.895Z\",\"Reference\":\"82086\",\"Progress\":null}";
        String item = "/odata/QueueItems(" + SimulatedTenant.SEED_SUCCESSFUL_ITEM + ")";

        assertThat(send("PUT", item, PAT, "39419", good.replace("\"Progress\"", "\"Status\"")).statusCode()).isEqualTo(400);
        assertThat(send("PUT", item, PAT, "39419", good.replace("Queue Demo", "Other Queue")).statusCode()).isEqualTo(400);
        assertThat(send("PUT", item, PAT, "62516", good).statusCode()).as("item not in that folder").isEqualTo(404);
        String newItem = "/odata/QueueItems(" + SimulatedTenant.SEED_NEW_ITEM + ")";
        HttpResponse<String> wrongStatus = send("PUT", newItem, PAT, "62516", good.replace("Queue Demo", "Banana Orders"));
        assertThat(wrongStatus.statusCode()).isEqualTo(400);
        assertThat(json(wrongStatus).get("message").asText()).contains("Successful, Deleted or Retried");

        assertThat(send("PUT", item, PAT, "39419", good).statusCode()).isEqualTo(200);
        JsonNode after = json(send("GET", item, PAT, "39419", null));
        assertThat(after.get("SpecificContent").isNull()).isTrue();
        assertThat(after.get("RiskSlaDate").asText()).isEqualTo("2022-02-17T13:27:43.895Z");
    }

    @Test
    void putAppliesPriorityDatesAndProgressFromTheBody() throws Exception {
        String item = "/odata/QueueItems(" + SimulatedTenant.SEED_SUCCESSFUL_ITEM + ")";
        String body = "{\"Name\":\"Queue Demo\",\"Priority\":\"Low\",\"SpecificContent\":{\"a\":1},"
                + "\"DeferDate\":null,\"DueDate\":\"2030-01-01T00:00:00Z\",\"RiskSlaDate\":null,\"Reference\":\"x\","
                + "\"Progress\":\"half\"}";

        assertThat(send("PUT", item, PAT, "39419", body).statusCode()).isEqualTo(200);

        JsonNode after = json(send("GET", item, PAT, "39419", null));
        assertThat(after.get("Priority").asText()).isEqualTo("Low");
        assertThat(after.get("DueDate").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(after.get("Progress").asText()).isEqualTo("half");
        assertThat(after.get("Reference").asText()).as("not applied by the server").isEqualTo("82086");
    }

    @Test
    void listCallsOverThePerMinuteLimitAre429WithRetryAfter() throws Exception {
        simulator.faults().limitListCalls(2);

        assertThat(send("GET", "/odata/QueueItems", PAT, "39419", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/odata/QueueItems", PAT, "39419", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/odata/QueueItems(" + SimulatedTenant.SEED_SUCCESSFUL_ITEM + ")", PAT, "39419", null)
                .statusCode()).as("single items are not limited").isEqualTo(200);
        HttpResponse<String> third = send("GET", "/odata/QueueItems", PAT, "39419", null);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 61);
    }

    @Test
    void issuedTokensExpire() throws Exception {
        simulator.tokenLifetime(Duration.ofMinutes(5));
        String form = "grant_type=client_credentials&client_id=" + SimulatorAccounts.CLIENT_ID + "&client_secret="
                + SimulatorAccounts.CLIENT_SECRET + "&scope=OR.Queues";
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(simulator.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String bearer = "Bearer " + json(token).get("access_token").asText();
        assertThat(json(token).get("expires_in").asInt()).isEqualTo(300);
        assertThat(send("GET", "/odata/Folders", bearer, null, null).statusCode()).isEqualTo(200);

        simulator.expireIssuedTokens();

        assertThat(send("GET", "/odata/Folders", bearer, null, null).statusCode()).isEqualTo(401);
    }
}
