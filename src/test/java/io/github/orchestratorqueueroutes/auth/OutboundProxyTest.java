package io.github.orchestratorqueueroutes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.RecordedRequest;
import io.github.orchestratorqueueroutes.testing.AgainstSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.TestCertificates;
import io.github.orchestratorqueueroutes.testing.TinyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls to Orchestrator, its identity server and the download host go through a real proxy when one is set. */
class OutboundProxyTest extends AgainstSimulator {

    @TempDir
    Path proxyDir;

    @Test
    void everyCallOfAPurgeAndAnExportGoesThroughTheProxyWithItsLogin() throws Exception {
        try (TinyProxy proxy = new TinyProxy(proxyDir, "oqr proxy-pass-77")) {
            ProductRun.Result run = product.clientCredentials().with("export.enabled", "true")
                    .with("export.queues", "Queue Demo").with("export.target", "file:" + out.resolve("exports"))
                    .with("orchestrator.http.proxy", proxy.url().replace("http://", "http://oqr:proxy-pass-77@"))
                    .runOnce();

            assertThat(run.exitCode()).as(run.logs()).isZero();
            assertThat(run.count("cleared")).isPositive();
            String log = proxy.log();
            for (RecordedRequest request : run.requests()) {
                assertThat(log).as("the proxy forwarded %s %s", request.method(), request.path())
                        .contains(request.path().replace(" ", "%20"));
            }
            assertThat(run.requests()).anyMatch(RecordedRequest::isDownload)
                    .anyMatch(r -> r.path().contains("connect/token"));
            assertThat(run.logs() + run.summaryText() + run.auditText()).doesNotContain("proxy-pass-77");
        }
    }

    @Test
    void httpsGoesThroughTheProxyWithConnect(@TempDir Path keys) throws Exception {
        TestCertificates certificates = TestCertificates.create(keys);
        try (TinyProxy proxy = new TinyProxy(proxyDir, null);
                ProductRun tls = new ProductRun(new OrchestratorSimulator().https(certificates.serverContext())
                        .start(), out.resolve("tls"))) {
            ProductRun.Result run = tls.clientCredentials().with("orchestrator.http.proxy", proxy.url())
                    .with("orchestrator.http.trust-store", certificates.trustStore().toString())
                    .with("orchestrator.http.trust-store-password", TestCertificates.PASSWORD).runOnce();

            assertThat(run.exitCode()).as(run.logs()).isZero();
            assertThat(proxy.log()).contains("CONNECT " + tls.simulator().url().replace("https://", ""));
        }
    }

    @Test
    void hostsInNoProxyAreReachedDirectly() throws Exception {
        try (TinyProxy proxy = new TinyProxy(proxyDir, null)) {
            ProductRun.Result run = product.with("orchestrator.http.proxy", proxy.url())
                    .with("orchestrator.http.no-proxy", "localhost,127.0.0.1").runOnce();

            assertThat(run.exitCode()).isZero();
            assertThat(proxy.log()).doesNotContain("/odata/");
        }
    }

    @Test
    void aProxyThatCannotBeReachedFailsTheRunNamingTheSetting() {
        ProductRun.Result run = product.with("orchestrator.http.proxy", "http://127.0.0.1:1")
                .with("orchestrator.retry.max-attempts", "1").runOnce();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.logs()).contains("orchestrator.http.proxy").doesNotContain("\tat ");
    }
}
