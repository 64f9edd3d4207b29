package io.github.orchestratorqueueroutes.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.config.Settings.AuthMode;
import io.github.orchestratorqueueroutes.config.Settings.Credentials;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.http.Outbound;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supplies the bearer token for Orchestrator calls in the configured auth mode, cached until shortly before it
 * expires. A call answered 401 reports the token generation it used; the first such report for a generation drops the
 * token so the retry gets a fresh one, and concurrent reports do not cause a stampede of logins.
 * <p>
 * camel-http's own OAuth2 options are not used: they neither cover the on-prem password login nor renew a token on a
 * 401, and their cache is JVM-wide.
 */
public class AccessTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Legacy on-prem tokens live 30 minutes and the reply does not say so. */
    private static final Duration PASSWORD_TOKEN_LIFETIME = Duration.ofMinutes(30);
    /** Answers that refuse the credentials or the request: the settings are wrong. */
    private static final Set<Integer> REFUSALS = Set.of(400, 401, 403);

    private final AuthMode mode;
    private final Credentials credentials;
    private final String orchestratorUrl;
    private final Duration timeout;
    private final Clock clock;
    private final RunMetrics metrics;
    private final Backoff backoff;
    private final IdentityCalls calls;

    private String token;
    private Instant renewAt = Instant.MIN;
    private long generation;

    /** A token and the generation number a 401 report must quote. */
    public record Grant(String bearerHeader, long generation) {
        @Override
        public String toString() {
            return "Grant[generation=" + generation + "]";
        }
    }

    /** Without metrics, and with one attempt per token request. */
    public AccessTokens(AuthMode mode, Credentials credentials, String orchestratorUrl, Duration timeout, Clock clock) {
        this(mode, credentials, orchestratorUrl, timeout, clock, RunMetrics.discarding(),
                new Backoff(1, Duration.ZERO, Duration.ZERO, Duration.ZERO), Outbound.direct());
    }

    /**
     * @param backoff how a token request that failed transiently is repeated, as an Orchestrator call is
     * @param outbound the certificates trusted and the proxy (orchestrator.http.*)
     */
    public AccessTokens(AuthMode mode, Credentials credentials, String orchestratorUrl, Duration timeout, Clock clock,
            RunMetrics metrics, Backoff backoff, Outbound outbound) {
        this.metrics = metrics;
        this.backoff = backoff;
        this.mode = mode;
        this.credentials = credentials;
        this.orchestratorUrl = orchestratorUrl;
        this.timeout = timeout;
        this.clock = clock;
        SecretMasker.register(credentials.token());
        SecretMasker.register(credentials.clientSecret());
        SecretMasker.register(credentials.password());
        this.calls = new IdentityCalls(outbound.javaClient(timeout), timeout, clock, metrics,
                mode == AuthMode.PASSWORD ? "POST Account/Authenticate" : "POST token");
    }

    public synchronized Grant current() {
        return current(backoff);
    }

    /** For a health probe, which must answer at once: one attempt, no waiting for an identity server to recover. */
    public synchronized Grant currentWithoutRetries() {
        return current(new Backoff(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    private Grant current(Backoff repeats) {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            obtain(repeats);
        }
        return new Grant("Bearer " + token, generation);
    }

    /**
     * Called when Orchestrator refused a token with 401.
     *
     * @param generation the generation of the refused token
     */
    public synchronized void rejected(long generation) {
        if (mode == AuthMode.TOKEN) {
            throw new AuthenticationException("Orchestrator refused the configured token (HTTP 401): it is expired, "
                    + "revoked or lacks the needed scopes. Create a new token and set orchestrator.auth.token.", true);
        }
        if (generation == this.generation) {
            LOG.info("Orchestrator refused the current access token (HTTP 401); requesting a new one");
            token = null;
        }
    }

    private void obtain(Backoff repeats) {
        Instant now = clock.instant();
        switch (mode) {
            case TOKEN -> {
                token = credentials.token();
                renewAt = Instant.MAX;
            }
            case CLIENT_CREDENTIALS -> {
                JsonNode reply = clientCredentials(repeats);
                token = reply.path("access_token").asText("");
                if (token.isEmpty()) {
                    throw new AuthenticationException("The token endpoint " + credentials.tokenUrl()
                            + " (orchestrator.auth.token-url) answered without an access_token.", true);
                }
                long seconds = reply.path("expires_in").asLong(3600);
                renewAt = now.plus(renewMargin(Duration.ofSeconds(seconds)));
            }
            case PASSWORD -> {
                token = passwordLogin(repeats);
                renewAt = now.plus(renewMargin(PASSWORD_TOKEN_LIFETIME));
            }
        }
        SecretMasker.register(token);
        generation++;
    }

    /** Renew a minute early, or at 90% of a short lifetime, so a token never expires in flight. */
    static Duration renewMargin(Duration lifetime) {
        Duration early = lifetime.minusMinutes(1);
        Duration ninetyPercent = lifetime.multipliedBy(9).dividedBy(10);
        return early.compareTo(ninetyPercent) > 0 ? early : ninetyPercent;
    }

    private JsonNode clientCredentials(Backoff repeats) {
        String form = "grant_type=client_credentials"
                + "&client_id=" + encode(credentials.clientId())
                + "&client_secret=" + encode(credentials.clientSecret())
                + "&scope=" + encode(credentials.scope());
        HttpRequest request = HttpRequest.newBuilder(URI.create(credentials.tokenUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        String where = "The token endpoint " + credentials.tokenUrl() + " (orchestrator.auth.token-url)";
        HttpResponse<String> response = calls.send(request, where, repeats);
        JsonNode body = IdentityCalls.jsonOrNull(response);
        if (body == null) {
            throw new AuthenticationException(where + " answered HTTP " + response.statusCode() + " with "
                    + IdentityCalls.describeContentType(response) + " instead of JSON." + (IdentityCalls.pointsAtAPage(response)
                    ? " The URL is probably wrong: for Automation Cloud use "
                    + "https://cloud.uipath.com/identity_/connect/token, on-prem https://{host}/identity/connect/token."
                    : " The identity server is failing; the next run tries again."), IdentityCalls.pointsAtAPage(response));
        }
        if (response.statusCode() != 200) {
            String error = IdentityCalls.firstText(body, "error", "errorMessage", "title", "message");
            boolean refused = REFUSALS.contains(response.statusCode());
            throw new AuthenticationException(where + (refused ? " refused the request" : " failed") + " (HTTP "
                    + response.statusCode() + (error == null ? "" : ", " + error) + ")." + (refused
                    ? " Check orchestrator.auth.client-id, orchestrator.auth.client-secret and orchestrator.auth.scope "
                    + "against the external application." : " The next run tries again."), refused);
        }
        return body;
    }

    private String passwordLogin(Backoff repeats) {
        ObjectNode login = JSON.createObjectNode();
        login.put("tenancyName", credentials.tenancyName());
        login.put("usernameOrEmailAddress", credentials.username());
        login.put("password", credentials.password());
        String url = orchestratorUrl + "/api/Account/Authenticate";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(login.toString()))
                .build();
        String where = "The on-prem login " + url;
        HttpResponse<String> response = calls.send(request, where, repeats);
        JsonNode body = IdentityCalls.jsonOrNull(response);
        if (body == null) {
            throw new AuthenticationException(where + " answered HTTP " + response.statusCode() + " with "
                    + IdentityCalls.describeContentType(response) + " instead of JSON." + (IdentityCalls.pointsAtAPage(response)
                    ? " Check orchestrator.url: it must be the Orchestrator base URL, without /odata."
                    : " Orchestrator is failing; the next run tries again."), IdentityCalls.pointsAtAPage(response));
        }
        if (!REFUSALS.contains(response.statusCode()) && response.statusCode() != 200) {
            throw new AuthenticationException(where + " failed (HTTP " + response.statusCode()
                    + "). The next run tries again.", false);
        }
        String result = body.path("result").asText("");
        if (response.statusCode() != 200 || !body.path("success").asBoolean(false) || result.isEmpty()) {
            String error = IdentityCalls.firstText(body.path("error"), "message");
            throw new AuthenticationException(where + " refused the login (HTTP " + response.statusCode()
                    + (error == null ? "" : ", " + error) + "). Check orchestrator.auth.tenancy-name, "
                    + "orchestrator.auth.username and orchestrator.auth.password.", true);
        }
        return result;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
