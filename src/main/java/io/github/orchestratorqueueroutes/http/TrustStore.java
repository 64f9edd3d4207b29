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

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The certificates that Orchestrator, its identity server and the download host are checked against, for every call
 * the product makes: the JVM's, or those of a private CA in {@code orchestrator.http.trust-store} (on-prem
 * Orchestrator) and, for hosts it did not sign (a public storage host behind a download link), the JVM's. One trust
 * serves camel-http and the JDK's HTTP client alike; host names are verified either way and certificate checks are
 * never switched off.
 */
public final class TrustStore {

    private final X509TrustManager trust;
    private final SSLContext context;

    private TrustStore(X509TrustManager trust, SSLContext context) {
        this.trust = trust;
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
            // the private CA first, then the JVM's: a download link may point at a public storage host
            X509TrustManager trust = new EitherTrust(trustManager(store), trustManager(null));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return new TrustStore(trust, context);
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

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server chain that either trust manager trusts; the first one's refusal is reported if both refuse. */
    private record EitherTrust(X509TrustManager first, X509TrustManager second) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this product does not accept TLS clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException privateCaRefused) {
                try {
                    second.checkServerTrusted(chain, authType);
                } catch (CertificateException jvmRefused) {
                    throw privateCaRefused;
                }
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
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
        if (trust == null) {
            return Optional.empty();
        }
        TrustManagersParameters managers = new TrustManagersParameters();
        managers.setTrustManager(trust);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(managers);
        return Optional.of(parameters);
    }
}
