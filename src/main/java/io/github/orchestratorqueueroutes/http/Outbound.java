package io.github.orchestratorqueueroutes.http;

import java.net.http.HttpClient;
import java.time.Duration;

import org.apache.camel.component.http.HttpComponent;

/**
 * How every call leaves the process, whichever client makes it (camel-http for Orchestrator and downloads, the JDK's
 * for tokens and probes): the certificates trusted and the proxy, if any. Redirects are never followed.
 *
 * @param proxy null: calls go out directly
 */
public record Outbound(TrustStore trust, OutboundProxy proxy) {

    public static Outbound direct() {
        return new Outbound(TrustStore.jvm(), null);
    }

    /** A JDK client for token requests and probes. */
    public HttpClient javaClient(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(trust.sslContext());
        if (proxy != null) {
            builder.proxy(proxy.selector()).authenticator(proxy.authenticator());
        }
        return builder.build();
    }

    /** camel-http's component for one scheme. */
    public void configure(HttpComponent http, boolean https) {
        if (https) {
            trust.camelParameters().ifPresent(http::setSslContextParameters);
        }
        if (proxy != null) {
            http.setHttpClientConfigurer(proxy::configure);
        }
    }
}
