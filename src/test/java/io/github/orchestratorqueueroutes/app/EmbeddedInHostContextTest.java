package io.github.orchestratorqueueroutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;

import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.purge.PurgeCriteria;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application with its own plain CamelContext (no Camel Main, no application.properties) runs a purge. */
class EmbeddedInHostContextTest {

    @TempDir
    Path out;

    @Test
    void hostContextLoadsTheRoutesFromTheJarAndRunsAPurge() throws Exception {
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start();
                CamelContext host = new DefaultCamelContext()) {
            pointAtTenant(host, simulator);
            host.getPropertiesComponent().addInitialProperty("export.enabled", "false");
            host.getPropertiesComponent().addInitialProperty("run.once", "true");

            EmbeddedQueueRoutes.install(host);
            host.start();
            host.createProducerTemplate().sendBody("direct:run-jobs", null);

            RunJournal.RunSummary summary = host.getRegistry().lookupByNameAndType("runJournal", RunJournal.class)
                    .lastRun();
            assertThat(summary.exitCode()).isZero();
            assertThat(host.getRouteController().getRouteStatus("jobs-timer")).isEqualTo(ServiceStatus.Stopped);
            long stillWithContent = simulator.tenant().snapshot().values().stream()
                    .filter(i -> Set.of("Successful", "Deleted", "Retried").contains(i.get("Status").asText()))
                    .filter(PurgeCriteria::hasContent).count();
            assertThat(stillWithContent).isZero();
            assertThat(summary.counts()).isNotEmpty();
        }
    }

    @Test
    void aMistypedKeyFromTheHostStopsTheInstallBeforeAnyRequest() throws Exception {
        try (OrchestratorSimulator simulator = new OrchestratorSimulator().start();
                CamelContext host = new DefaultCamelContext()) {
            pointAtTenant(host, simulator);
            host.getPropertiesComponent().addInitialProperty("purge.dry-rn", "true");

            assertThatThrownBy(() -> EmbeddedQueueRoutes.install(host))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("'purge.dry-rn' (initial property of the Camel context)")
                    .hasMessageContaining("Did you mean 'purge.dry-run'?");
            assertThat(simulator.requests()).isEmpty();
        }
    }

    /** The settings a host gives its context for the product: the tenant, the credentials, the output folder. */
    private void pointAtTenant(CamelContext host, OrchestratorSimulator simulator) {
        host.getPropertiesComponent().addInitialProperty("orchestrator.url", simulator.url());
        host.getPropertiesComponent().addInitialProperty("orchestrator.auth.token",
                SimulatorAccounts.PERSONAL_ACCESS_TOKEN);
        host.getPropertiesComponent().addInitialProperty("output.dir", out.toString());
    }
}
