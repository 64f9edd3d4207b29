package io.github.orchestratorqueueroutes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.orchestratorqueueroutes.config.Settings.AuthMode;
import io.github.orchestratorqueueroutes.config.Settings.Credentials;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.github.orchestratorqueueroutes.testing.MovableClock;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    @Test
    void tokensAreRenewedBeforeTheyExpire() {
        assertThat(AccessTokens.renewMargin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(59));
        assertThat(AccessTokens.renewMargin(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(29));
        assertThat(AccessTokens.renewMargin(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(54));
    }

    @Test
    void cachedTokenIsReusedUntilShortlyBeforeExpiryThenFetchedAgain() {
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            simulator.tokenLifetime(Duration.ofMinutes(10));
            MovableClock clock = new MovableClock();
            AccessTokens tokens = new AccessTokens(AuthMode.CLIENT_CREDENTIALS, new Credentials(null,
                    simulator.tokenUrl(), SimulatorAccounts.CLIENT_ID, SimulatorAccounts.CLIENT_SECRET, "OR.Queues",
                    null, null, null), simulator.url(), Duration.ofSeconds(5), clock);

            AccessTokens.Grant first = tokens.current();
            clock.advance(Duration.ofMinutes(8));
            assertThat(tokens.current()).isEqualTo(first);
            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            AccessTokens.Grant renewed = tokens.current();

            assertThat(renewed.bearerHeader()).isNotEqualTo(first.bearerHeader());
            assertThat(renewed.generation()).isEqualTo(first.generation() + 1);
            assertThat(simulator.requests()).filteredOn(r -> r.is("POST", "/identity_/connect/token")).hasSize(2);
        }
    }

    @Test
    void concurrentReportsOfOneRefusedTokenFetchOneNewToken() {
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start()) {
            AccessTokens tokens = new AccessTokens(AuthMode.PASSWORD, new Credentials(null, null, null, null, null,
                    SimulatorAccounts.TENANCY_NAME, SimulatorAccounts.USERNAME, SimulatorAccounts.PASSWORD),
                    simulator.url(), Duration.ofSeconds(5), Clock.systemUTC());
            long refused = tokens.current().generation();

            tokens.rejected(refused);
            AccessTokens.Grant fresh = tokens.current();
            tokens.rejected(refused);

            assertThat(tokens.current()).isEqualTo(fresh);
            assertThat(simulator.requests()).filteredOn(r -> r.is("POST", "/api/Account/Authenticate")).hasSize(2);
        }
    }
}
