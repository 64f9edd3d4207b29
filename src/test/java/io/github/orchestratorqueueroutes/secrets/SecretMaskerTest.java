package io.github.orchestratorqueueroutes.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void registeredValuesAreMaskedAnywhere() {
        SecretMasker.register("s3cr3t-value-for-test");

        assertThat(SecretMasker.mask("connect with s3cr3t-value-for-test; again s3cr3t-value-for-test"))
                .isEqualTo("connect with ***; again ***");
    }

    @Test
    void secretShapesAreMaskedWithoutBeingRegistered() {
        assertThat(SecretMasker.mask("http-outgoing-1 >> Authorization: Bearer eyJhbGciOi.abc-def_g"))
                .isEqualTo("http-outgoing-1 >> Authorization: Bearer ***");
        assertThat(SecretMasker.mask("grant_type=client_credentials&client_id=app&client_secret=Xy9&scope=OR"))
                .isEqualTo("grant_type=client_credentials&client_id=app&client_secret=***&scope=OR");
        assertThat(SecretMasker.mask("{\"usernameOrEmailAddress\":\"admin\",\"password\":\"hunter22\"}"))
                .isEqualTo("{\"usernameOrEmailAddress\":\"admin\",\"password\":\"***\"}");
        assertThat(SecretMasker.mask("{\"Uri\":\"https://acct.blob.core.windows.net/e/x.csv?sv=2020&se=1&sig=AbC%2B9=\"}"))
                .isEqualTo("{\"Uri\":\"https://acct.blob.core.windows.net/e/x.csv?sv=2020&se=1&sig=***\"}");
        assertThat(SecretMasker.mask("Found property: orchestrator.auth.client-secret with value: abc to be used."))
                .isEqualTo("Found property: orchestrator.auth.client-secret with value: *** to be used.");
        assertThat(SecretMasker.mask("Found property: orchestrator.http.proxy with value: http://oqr:pa/ss@proxy:3128"))
                .isEqualTo("Found property: orchestrator.http.proxy with value: http://oqr:***@proxy:3128");
        assertThat(SecretMasker.mask("http-outgoing-2 >> Proxy-Authorization: Basic b3FyOnByb3h5LXBhc3M="))
                .isEqualTo("http-outgoing-2 >> Proxy-Authorization: Basic ***");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertThat(SecretMasker.mask("Found property: purge.statuses with value: Successful to be used."))
                .isEqualTo("Found property: purge.statuses with value: Successful to be used.");
        assertThat(SecretMasker.mask("{\"Result\":\"Done\"}")).isEqualTo("{\"Result\":\"Done\"}");
        assertThat(SecretMasker.mask("set it to a bearer token")).isEqualTo("set it to a bearer token");
    }
}
