package io.github.orchestratorqueueroutes.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.testing.ProductRun;
import io.github.orchestratorqueueroutes.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-prem Orchestrator over HTTPS with a certificate from a company CA: trusted through orchestrator.http.trust-store
 * for the API, the identity server and the downloads; without it, the run fails before anything is sent.
 */
class PrivateCaTest {

    @TempDir
    static Path keys;
    private static TestCertificates certificates;

    @TempDir
    Path out;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create(keys);
    }

    @Test
    void aTrustedPrivateCaCarriesAPurgeAndAnExportEndToEnd() throws Exception {
        try (ProductRun product = new ProductRun(new OrchestratorSimulator().https(certificates.serverContext())
                .start(), out)) {
            ProductRun.Result run = product.clientCredentials().with("export.enabled", "true")
                    .with("export.queues", "Queue Demo").with("export.target", "file:" + out.resolve("exports"))
                    .with("orchestrator.http.trust-store", certificates.trustStore().toString())
                    .with("orchestrator.http.trust-store-password", TestCertificates.PASSWORD).runOnce();

            assertThat(product.simulator().url()).startsWith("https://");
            assertThat(run.exitCode()).as(run.logs()).isZero();
            assertThat(run.count("cleared")).isPositive();
            assertThat(run.count("exported")).isEqualTo(1);
            assertThat(run.logs()).doesNotContain(TestCertificates.PASSWORD);
        }
    }

    @Test
    void anUntrustedCertificateStopsTheRunNamingTheSettingBeforeAnythingIsSent() throws Exception {
        try (ProductRun product = new ProductRun(new OrchestratorSimulator().https(certificates.serverContext())
                .start(), out)) {
            ProductRun.Result run = product.clientCredentials().runOnce();

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.logs()).contains("TLS connection failed").contains("orchestrator.http.trust-store")
                    .doesNotContain("\tat ");
            assertThat(product.simulator().requests()).as("no request, token or body reached the server").isEmpty();
        }
    }

    @Test
    void aTrustStoreThatCannotBeOpenedStopsStartUpWithExitCodeTwo() throws Exception {
        try (ProductRun product = new ProductRun(out)) {
            ProductRun.Result wrongPassword = product
                    .with("orchestrator.http.trust-store", certificates.trustStore().toString())
                    .with("orchestrator.http.trust-store-password", "not-it").runOnce();
            ProductRun.Result missing = product.with("orchestrator.http.trust-store", out.resolve("nope.p12").toString())
                    .runOnce();

            assertThat(wrongPassword.exitCode()).isEqualTo(2);
            assertThat(wrongPassword.logs()).contains("'orchestrator.http.trust-store-password'")
                    .doesNotContain("not-it");
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.logs()).contains("'orchestrator.http.trust-store'").contains("does not exist");
            assertThat(product.simulator().requests()).isEmpty();
        }
    }
}
