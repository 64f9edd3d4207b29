package io.github.orchestratorqueueroutes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings load(Map<String, String> values) {
        return Settings.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsAreSafe() {
        Settings s = load(Map.of());

        assertThat(s.embedded()).isTrue();
        assertThat(s.purgeStatuses()).containsExactlyInAnyOrder("Successful", "Deleted", "Retried");
        assertThat(s.purgeDryRun()).isFalse();
        assertThat(s.pageSize()).isEqualTo(100);
        assertThat(s.purgeOlderThan()).isZero();
        assertThat(s.schedulePeriod()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void statusesAreNormalisedAndOnlyClearableOnesAreAccepted() {
        assertThat(load(Map.of("purge.statuses", " successful , RETRIED ")).purgeStatuses())
                .isEqualTo(Set.of("Successful", "Retried"));
        assertThatThrownBy(() -> load(Map.of("purge.statuses", "Successful,Failed")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'purge.statuses'")
                .hasMessageContaining("'Failed'");
    }

    @Test
    void aStatusListThatNamesNoStatusIsRefused() {
        assertThatThrownBy(() -> load(Map.of("purge.statuses", " , ")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'purge.statuses' names no status");
    }

    @Test
    void durationsAreIso8601() {
        assertThat(load(Map.of("purge.older-than", "P30D")).purgeOlderThan()).isEqualTo(Duration.ofDays(30));
        assertThat(load(Map.of("purge.older-than", "p1dt12h")).purgeOlderThan()).isEqualTo(Duration.ofHours(36));
        assertThatThrownBy(() -> load(Map.of("purge.older-than", "P1M")))
                .hasMessageContaining("'purge.older-than'").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> load(Map.of("purge.older-than", "-P1D"))).hasMessageContaining("'purge.older-than'");
    }

    @Test
    void cloudTenantNeedsCredentialsAndSmallPages() {
        Map<String, String> cloud = Map.of("orchestrator.url", "https://cloud.uipath.com/acme/Prod/orchestrator_/",
                "orchestrator.auth.token", "pat", "orchestrator.page-size", "500");
        assertThatThrownBy(() -> load(cloud)).hasMessageContaining("'orchestrator.page-size'");

        Settings s = load(Map.of("orchestrator.url", "https://cloud.uipath.com/acme/Prod/orchestrator_/",
                "orchestrator.auth.mode", "client-credentials", "orchestrator.auth.client-id", "id",
                "orchestrator.auth.client-secret", "secret"));
        assertThat(s.orchestratorUrl()).isEqualTo("https://cloud.uipath.com/acme/Prod/orchestrator_");
        assertThat(s.credentials().tokenUrl()).isEqualTo(Settings.CLOUD_TOKEN_URL);
        assertThat(s.credentials().toString()).doesNotContain("secret,").contains("***");
    }

    @Test
    void onPremisesAllowsLargerPages() {
        Settings s = load(Map.of("orchestrator.url", "https://orchestrator.corp.local",
                "orchestrator.auth.token", "t", "orchestrator.page-size", "1000"));

        assertThat(s.pageSize()).isEqualTo(1000);
        assertThat(s.automationCloud()).isFalse();
    }

    @Test
    void missingCredentialNamesTheEnvironmentVariableToo() {
        assertThatThrownBy(() -> load(Map.of("orchestrator.url", "https://orchestrator.corp.local",
                "orchestrator.auth.mode", "password", "orchestrator.auth.tenancy-name", "Default",
                "orchestrator.auth.username", "robot")))
                .hasMessageContaining("'orchestrator.auth.password' is missing")
                .hasMessageContaining("ORCHESTRATOR_AUTH_PASSWORD");
    }
}
