package io.github.orchestratorqueueroutes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class AccessTokensTest {

    @Test
    void tokensAreRenewedBeforeTheyExpire() {
        assertThat(AccessTokens.renewMargin(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(59));
        assertThat(AccessTokens.renewMargin(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(29));
        assertThat(AccessTokens.renewMargin(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(54));
    }
}
