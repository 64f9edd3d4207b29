package io.github.orchestratorqueueroutes.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;

/**
 * The outbound HTTP proxy of a company network ({@code orchestrator.http.proxy}), for Orchestrator, identity and
 * download calls alike; HTTPS goes through it with CONNECT. Hosts in {@code orchestrator.http.no-proxy} (a name, or a
 * domain as {@code .corp.local}) are reached directly. One selector serves camel-http and the JDK's client.
 */
public record OutboundProxy(String host, int port, String user, String password, List<String> noProxy) {

    public OutboundProxy {
        SecretMasker.register(password);
        noProxy = noProxy.stream().map(h -> h.toLowerCase(Locale.ROOT).replaceFirst("^\\*?\\.", "")).toList();
    }

    /** True for hosts reached without the proxy: a name matches itself and its subdomains, as curl's NO_PROXY. */
    public boolean bypasses(String targetHost) {
        String target = targetHost.toLowerCase(Locale.ROOT);
        return noProxy.stream().anyMatch(n -> n.equals("*") || n.equals(target) || target.endsWith("." + n));
    }

    public ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return uri.getHost() != null && bypasses(uri.getHost()) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // reported by the call that failed
            }
        };
    }

    /** For the JDK's client: answers the proxy's 407 with the configured user, and nobody else's. */
    public Authenticator authenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return user != null && getRequestorType() == RequestorType.PROXY
                        ? new PasswordAuthentication(user, password == null ? new char[0] : password.toCharArray())
                        : null;
            }
        };
    }

    /**
     * For camel-http (HttpClient 5): the same route choice and the proxy's credentials. A connection is not kept for
     * a next call: proxies close idle client connections without notice (tinyproxy after every request), and a call
     * on such a connection gets no answer, which an export start must not be repeated after.
     */
    public void configure(HttpClientBuilder builder) {
        builder.setRoutePlanner(new SystemDefaultRoutePlanner(selector()));
        builder.setConnectionReuseStrategy((request, response, context) -> false);
        if (user != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host, port), new UsernamePasswordCredentials(user,
                    password == null ? new char[0] : password.toCharArray()));
            builder.setDefaultCredentialsProvider(credentials);
        }
    }

    @Override
    public String toString() {
        return "OutboundProxy[" + host + ":" + port + (user == null ? "" : ", user " + user) + ", no-proxy "
                + noProxy + "]";
    }
}
