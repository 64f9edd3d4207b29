package io.github.orchestratorqueueroutes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A key that looks like a setting but is none stops start-up, naming it, its source and the key meant. */
class UnknownSettingCheckTest {

    private final UnknownSettingCheck check = new UnknownSettingCheck(KnownSettings.product());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"purge.dry-runn", "purge.dryrun", "purge.dry-rum", "purge.dyr-run", "Purge.Dry-Run"})
    void aMistypedKeyIsRefusedWithTheKeyMeant(String typo) {
        assertThatThrownBy(() -> check.check(Map.of(typo, "in application.properties"), Map.of()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'" + typo + "' (in application.properties) is not a setting")
                .hasMessageContaining("Did you mean 'purge.dry-run'?")
                .hasMessageContaining("Nothing was run")
                .satisfies(e -> assertThat(((InvalidSettingException) e).key()).isEqualTo(typo));
    }

    @Test
    void everyUnknownKeyIsNamedInOneMessageWithoutItsValue() {
        Map<String, String> given = Map.of("export.taget", "-Dexport.taget system property",
                "orchestrator.auth.client-secrett", "in application.properties", "purge.colour", "in app.properties");

        assertThatThrownBy(() -> check.check(given, Map.of()))
                .hasMessageContaining("'export.taget' (-Dexport.taget system property)")
                .hasMessageContaining("Did you mean 'export.target'?")
                .hasMessageContaining("Did you mean 'orchestrator.auth.client-secret'?")
                .hasMessageContaining("'purge.colour' (in app.properties) is not a setting of this product. "
                        + "The closest setting is")
                .hasMessageContaining("correct or remove them");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PURGE_DRYRUN", "PURGE_DRY_RUNN", "PURGE_FOO", "EXPORT_TAGET", "ORCHESTRATOR_AUTH_SECRET"})
    void anEnvironmentVariableWithAProductPrefixMustNameASetting(String variable) {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of(variable, "true")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("Environment variable " + variable + " is not a setting");
    }

    @Test
    void theEnvironmentTypoOfDryRunSuggestsItsVariable() {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of("PURGE_DRYRUN", "true")))
                .hasMessageContaining("Did you mean PURGE_DRY_RUN (purge.dry-run)?");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RUN_ONCEE", "RUN_ONC", "OUTPUT_DIT", "STATE_DIRS", "CLUSTER_ENABLE", "SCHEDULE_CRN",
        "OBSERVE_PORTS", "REQUESTS_DIRR"})
    void aCommonPrefixStopsOnlyOneLetterAwayFromASetting(String variable) {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of(variable, "x")))
                .hasMessageContaining("Environment variable " + variable + " is not a setting")
                .hasMessageContaining("Did you mean");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PATH", "HOME", "JAVA_HOME", "CI", "RUN_ID", "RUN_NUMBER", "RUNNER_OS", "RUNNER_TEMP",
        "GITHUB_RUN_ID", "RUN_DISPLAY_URL", "RUN_ARTIFACTS_DISPLAY_URL", "OUTPUT_FORMAT", "STATE_FILE", "STATE",
        "CLUSTER_NAME", "CLUSTER_DOMAIN", "SCHEDULE_ID", "OBSERVE", "MAVEN_OPTS", "JAVA_TOOL_OPTIONS", "export",
        "OLDPWD", "SHLVL", "_", "http_proxy", "no_proxy",
        // what Kubernetes sets for neighbouring services named orchestrator, export or purge
        "ORCHESTRATOR_SERVICE_HOST", "ORCHESTRATOR_SERVICE_PORT", "ORCHESTRATOR_SERVICE_PORT_HTTPS", "ORCHESTRATOR_PORT",
        "ORCHESTRATOR_PORT_443_TCP", "EXPORT_PORT_443_TCP_ADDR", "PURGE_PORT_8080_TCP_PROTO"})
    void unrelatedEnvironmentVariablesPass(String variable) {
        assertThatCode(() -> check.check(Map.of(), Map.of(variable, "x"))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"purge_dry_run", "Purge_Dry_Run", "purge.dry-run", "PURGE-DRY-RUN"})
    void aKeySpeltInAWayCamelDoesNotReadIsRefused(String variable) {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of(variable, "true")))
                .hasMessageContaining("Environment variable " + variable + " is not read: for purge.dry-run Camel "
                        + "reads PURGE_DRY_RUN (or PURGE.DRY-RUN)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PURGE.DRYRUN", "purge_dryrun", "Export_Taget", "RUN.ONCEE"})
    void aMistypedVariableInAnyCaseOrWithDotsIsRefused(String variable) {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of(variable, "true")))
                .hasMessageContaining("Environment variable " + variable + " is not a setting")
                .hasMessageContaining("Did you mean");
    }

    @Test
    void whatFollowsASecretSettingsNameIsNotShown() {
        String token = "eyJhbGciOiJSUzI1NiJ9.payload.signature";

        assertThatThrownBy(() -> check.check(Map.of("orchestrator.auth.token." + token, "in application.properties"),
                Map.of("ORCHESTRATOR_AUTH_CLIENT_SECRET_" + token, "x")))
                .hasMessageContaining("'orchestrator.auth.token... (")
                .hasMessageContaining("ORCHESTRATOR_AUTH_CLIENT_SECRET... (")
                .hasMessageNotContaining("eyJ").hasMessageNotContaining("payload")
                .satisfies(e -> assertThat(((InvalidSettingException) e).key()).doesNotContain("eyJ"));
    }

    @Test
    void theSuggestionStaysInTheNamespaceTyped() {
        assertThatThrownBy(() -> check.check(Map.of(), Map.of("PURGE_COLOUR", "1")))
                .hasMessageContaining("is not a setting of this product. The closest setting is PURGE_");
    }

    @Test
    void keysOfOtherNamespacesPass() {
        Map<String, String> host = Map.of("camel.main.name", "esb", "server.port", "8080", "myapp.purge.days", "3",
                "spring.application.name", "esb", "resolved.orchestrator.endpoint", "x", "purger.x", "y");

        assertThatCode(() -> check.check(host, Map.of())).doesNotThrowAnyException();
    }

    @Test
    void everyKeyOfThePropertiesFileAndTheReadmeTablePassesAsKeyAndAsVariable() throws Exception {
        Set<String> keys = new TreeSet<>(ProjectFiles.propertiesFile().keySet());
        keys.addAll(ProjectFiles.readmeTable().keySet());
        Map<String, String> asKeys = new HashMap<>();
        Map<String, String> asVariables = new HashMap<>();
        keys.forEach(k -> asKeys.put(k, "in application.properties"));
        keys.forEach(k -> asVariables.put(KnownSettings.environmentName(k), "x"));
        // Camel also reads the key in upper case with its dots and dashes, as Kubernetes allows
        keys.forEach(k -> asVariables.put(k.toUpperCase(java.util.Locale.ROOT), "x"));

        assertThat(keys).hasSizeGreaterThan(40);
        assertThatCode(() -> check.check(asKeys, asVariables)).doesNotThrowAnyException();
    }

    @Test
    void theListOfKnownSettingsIsThePropertiesFile() throws Exception {
        assertThat(KnownSettings.product().keys()).isEqualTo(ProjectFiles.propertiesFile().keySet());
    }

    @Test
    void sourcesNameTheFileTheHostAndTheCommandLine() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("purge.dry-runn", "true");
            context.getPropertiesComponent().addOverrideProperty("export.taget", "x");
            Properties system = new Properties();
            system.setProperty("run.oncee", "true");

            Map<String, String> sources = UnknownSettingCheck.sourcesOf(context.getPropertiesComponent(), system);

            assertThat(sources).containsEntry("purge.dry-runn", "initial property of the Camel context")
                    .containsEntry("export.taget", "override property of the Camel context")
                    .containsEntry("run.oncee", "-Drun.oncee system property");
        }
    }

    @Test
    void readingAKeyThatIsNotKnownIsABugOfOurs() {
        SettingReader reader = new SettingReader(k -> java.util.Optional.empty(), KnownSettings.product());

        assertThatThrownBy(() -> reader.text("purge.something-new")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("application.properties");
    }
}
