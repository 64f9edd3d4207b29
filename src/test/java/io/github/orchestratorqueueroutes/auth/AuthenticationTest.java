package io.github.orchestratorqueueroutes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator.SimulatedReply;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationTest extends AgainstSimulator {

    @ParameterizedTest
    @ValueSource(strings = {"token", "client-credentials", "password"})
    void everyAuthModeCompletesAPurgeAndNoSecretReachesLogsOrOutputs(String mode) {
        switch (mode) {
            case "client-credentials" -> product.clientCredentials();
            case "password" -> product.password();
            default -> { }
        }

        ProductRun.Result run = product.with("export.enabled", "true").with("export.queues", "Queue Demo")
                .runOnceWithDebugLogs();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.count("cleared")).isGreaterThan(50);
        assertThat(run.count("exported")).isEqualTo(1);
        List<String> secrets = new ArrayList<>(List.of(SimulatorAccounts.PERSONAL_ACCESS_TOKEN,
                SimulatorAccounts.CLIENT_SECRET, SimulatorAccounts.PASSWORD));
        run.requests().stream().map(r -> r.header("Authorization")).filter(h -> h != null)
                .map(h -> h.substring("Bearer ".length())).distinct().forEach(secrets::add);
        run.requests().stream().filter(RecordedRequest::isDownload).map(r -> r.query().get("sig")).forEach(secrets::add);
        assertThat(run.logs()).as("DEBUG logs were captured").contains("DEBUG");
        for (String secret : secrets) {
            assertThat(run.logs()).doesNotContain(secret);
            assertThat(run.auditText()).doesNotContain(secret);
            assertThat(run.summaryText()).doesNotContain(secret);
            assertThat(run.reportText()).doesNotContain(secret);
        }
        long logins = run.requests().stream()
                .filter(r -> r.is("POST", "/identity_/connect/token|/api/Account/Authenticate")).count();
        assertThat(logins).as("the token is cached for the whole run").isEqualTo(mode.equals("token") ? 0 : 1);
    }

    @Test
    void tokenThatExpiresMidRunIsReplacedOnceAndTheRunCompletes() {
        AtomicBoolean expired = new AtomicBoolean();
        product.simulator().afterEachRequest(r -> {
            if (r.isItemPut() && product.simulator().requests().stream().filter(RecordedRequest::isItemPut).count() >= 10
                    && expired.compareAndSet(false, true)) {
                product.simulator().expireIssuedTokens();
            }
        });

        ProductRun.Result run = product.clientCredentials().with("purge.concurrency", "8").runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(expired).isTrue();
        assertThat(run.requests()).filteredOn(r -> r.status() == 401).isNotEmpty();
        assertThat(run.requests()).as("one new token, however many calls were refused at once")
                .filteredOn(r -> r.is("POST", "/identity_/connect/token")).hasSize(2);
        assertThat(run.count("failed")).isZero();
    }

    @Test
    void tokenUrlAnsweringHtmlStopsTheRunWithAMessageNamingTheSetting() {
        ProductRun.Result run = product.clientCredentials()
                .with("orchestrator.auth.token-url", product.simulator().url() + "/identity_/connect/tokn").runOnce();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.logs()).contains("orchestrator.auth.token-url").contains("instead of JSON")
                .doesNotContain("\tat ");
        assertThat(run.summary().get("runErrors").get(0).asText()).contains("orchestrator.auth.token-url");
        assertThat(run.requests()).noneMatch(r -> r.path().startsWith("/odata/"));
    }

    @Test
    void refusedClientSecretIsAConfigurationErrorThatDoesNotPrintTheSecret() {
        String wrongSecret = "not-the-right-secret-93b1";

        ProductRun.Result run = product.clientCredentials().with("orchestrator.auth.client-secret", wrongSecret)
                .runOnce();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.logs()).contains("invalid_client").contains("orchestrator.auth.client-secret")
                .doesNotContain(wrongSecret);
        assertThat(run.summaryText()).doesNotContain(wrongSecret);
    }

    @Test
    void refusedPasswordNamesTheLoginSettings() {
        ProductRun.Result run = product.password().with("orchestrator.auth.password", "wrong-password-5x").runOnce();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.logs()).contains("orchestrator.auth.password").doesNotContain("wrong-password-5x");
    }

    @Test
    void refusedStaticTokenNamesTheTokenSetting() {
        ProductRun.Result run = product.with("orchestrator.auth.token", "revoked-token-77").runOnce();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.logs()).contains("orchestrator.auth.token").contains("HTTP 401")
                .doesNotContain("revoked-token-77");
    }

    @Test
    void unreachableTokenEndpointIsRepeatedThenFailsTheRunWithoutCallingItAConfigurationError() {
        ProductRun.Result run = product.clientCredentials().with("orchestrator.retry.max-attempts", "3")
                .with("orchestrator.retry.initial-delay", "PT0.05S")
                .with("orchestrator.auth.token-url", "http://127.0.0.1:1/identity_/connect/token").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.logs()).contains("cannot be reached").contains("orchestrator.auth.token-url")
                .contains("attempt 3 of 3").contains("(3 attempts). No token could be had; the next run tries again");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {503, 502, 429})
    void anIdentityServerThatFailsTwiceIsWaitedFor(int status) {
        AtomicInteger failures = new AtomicInteger();
        product.simulator().intercept(r -> r.path().equals(SimulatorAccounts.TOKEN_PATH)
                && failures.getAndIncrement() < 2
                ? Optional.of(new SimulatedReply(status, "text/html", "<html><body>Service Unavailable</body></html>",
                        Map.of("Retry-After", "0")))
                : Optional.empty());

        ProductRun.Result run = product.clientCredentials().with("orchestrator.retry.initial-delay", "PT0.05S")
                .runOnce();

        assertThat(run.exitCode()).as(run.logs()).isZero();
        assertThat(run.count("cleared")).isPositive();
        assertThat(run.requests()).filteredOn(r -> r.path().equals(SimulatorAccounts.TOKEN_PATH)).hasSize(3);
    }

    @Test
    void aTokenUrlAnsweringAWebPageWith200IsAConfigurationError() {
        product.simulator().intercept(r -> r.path().equals(SimulatorAccounts.TOKEN_PATH)
                ? Optional.of(new SimulatedReply(200, "text/html", "<html><body>Sign in</body></html>", Map.of()))
                : Optional.empty());

        ProductRun.Result run = product.clientCredentials().runOnce();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.logs()).contains("orchestrator.auth.token-url").contains("The URL is probably wrong");
        assertThat(run.requests()).filteredOn(r -> r.path().equals(SimulatorAccounts.TOKEN_PATH)).hasSize(1);
    }

    @Test
    void anIdentityServerThatStaysDownEndsTheRunWithExitOneNotTwo() {
        product.simulator().intercept(r -> r.path().equals(SimulatorAccounts.TOKEN_PATH)
                ? Optional.of(new SimulatedReply(503, "text/html", "<html>down</html>", Map.of()))
                : Optional.empty());

        ProductRun.Result run = product.clientCredentials().with("orchestrator.retry.max-attempts", "2")
                .with("orchestrator.retry.initial-delay", "PT0.05S").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.logs()).contains("answered HTTP 503 (2 attempts). No token could be had")
                .doesNotContain("The URL is probably wrong");
    }
}
