package io.github.orchestratorqueueroutes.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The certificates that Orchestrator, its identity server and the download host are checked against, for every call
 * the product makes: the JVM's, or those of a private CA in {@code orchestrator.http.trust-store} (on-prem
 * Orchestrator). One key store serves camel-http and the JDK's HTTP client alike; host names are verified either way
 * and certificate checks are never switched off.
 */
public final class TrustStore {

    private final KeyStore store;
    private final SSLContext context;

    private TrustStore(KeyStore store, SSLContext context) {
        this.store = store;
        this.context = context;
    }

    /** The JVM's own trust (its cacerts, or -Djavax.net.ssl.trustStore). */
    public static TrustStore jvm() {
        try {
            return new TrustStore(null, SSLContext.getDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM has no default TLS context", e);
        }
    }

    /** Reads and checks the trust store; every problem names the setting to fix, never the password. */
    public static TrustStore load(String path, String type, String password) {
        SecretMasker.register(password);
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new InvalidSettingException("orchestrator.http.trust-store-type", "is '" + type + "', which this "
                    + "Java cannot read; use PKCS12 (or JKS).");
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, password == null ? null : password.toCharArray());
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isCertificate(store, alias))) {
                throw new InvalidSettingException("orchestrator.http.trust-store", "is '" + path + "', which holds "
                        + "no certificate; import the CA's certificate (keytool -importcert).");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new TrustStore(store, context);
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException("orchestrator.http.trust-store", "is '" + path + "', which does not "
                    + "exist; give the path of a PKCS12 file that holds the CA's certificate.");
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
            throw new InvalidSettingException(wrongPassword ? "orchestrator.http.trust-store-password"
                    : "orchestrator.http.trust-store", wrongPassword ? "does not open '" + path + "'; check it."
                    : "is '" + path + "', which cannot be read as " + type + " (" + e.getMessage() + ").");
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingException("orchestrator.http.trust-store", "is '" + path + "', which cannot be "
                    + "used (" + e.getMessage() + ").");
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias) || store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    /** For the JDK's HTTP client (token requests, readiness probes). */
    public SSLContext sslContext() {
        return context;
    }

    /** For camel-http (Orchestrator calls, downloads); empty for the JVM's own trust. */
    public Optional<SSLContextParameters> camelParameters() {
        if (store == null) {
            return Optional.empty();
        }
        KeyStoreParameters keys = new KeyStoreParameters();
        keys.setKeyStore(store);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(keys);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return Optional.of(parameters);
    }
}
