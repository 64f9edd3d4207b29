package io.github.orchestratorqueueroutes.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Proxy;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which hosts go through the proxy: orchestrator.http.no-proxy as curl reads NO_PROXY. */
class OutboundProxyRulesTest {

    private final OutboundProxy proxy = new OutboundProxy("proxy.corp.local", 3128, null, null,
            List.of("localhost", ".corp.local", "*.internal.example", "Files.Example"));

    @Test
    void aNameCoversItselfAndItsSubdomainsInAnyCase() {
        assertThat(proxy.bypasses("localhost")).isTrue();
        assertThat(proxy.bypasses("orchestrator.corp.local")).isTrue();
        assertThat(proxy.bypasses("corp.local")).isTrue();
        assertThat(proxy.bypasses("a.b.internal.example")).isTrue();
        assertThat(proxy.bypasses("files.example")).isTrue();
        assertThat(proxy.bypasses("cloud.uipath.com")).isFalse();
        assertThat(proxy.bypasses("notcorp.local")).isFalse();
    }

    @Test
    void theSelectorSendsOtherHostsToTheProxy() {
        assertThat(proxy.selector().select(URI.create("https://cloud.uipath.com/acme"))).singleElement()
                .satisfies(p -> assertThat(p.type()).isEqualTo(Proxy.Type.HTTP));
        assertThat(proxy.selector().select(URI.create("https://orchestrator.corp.local"))).containsExactly(
                Proxy.NO_PROXY);
    }
}
