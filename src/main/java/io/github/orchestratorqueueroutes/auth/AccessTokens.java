package io.github.orchestratorqueueroutes.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.orchestratorqueueroutes.config.Settings.AuthMode;
import io.github.orchestratorqueueroutes.config.Settings.Credentials;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.http.Outbound;
import io.github.orchestratorqueueroutes.http.RetryAfter;
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
    private final HttpClient http;
    private final Clock clock;
    private final RunMetrics metrics;
    private final Backoff backoff;

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
        this.http = outbound.javaClient(timeout);
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
        HttpResponse<String> response = send(request, where, repeats);
        JsonNode body = jsonOrNull(response);
        if (body == null) {
            throw new AuthenticationException(where + " answered HTTP " + response.statusCode() + " with "
                    + describeContentType(response) + " instead of JSON." + (pointsAtAPage(response)
                    ? " The URL is probably wrong: for Automation Cloud use "
                    + "https://cloud.uipath.com/identity_/connect/token, on-prem https://{host}/identity/connect/token."
                    : " The identity server is failing; the next run tries again."), pointsAtAPage(response));
        }
        if (response.statusCode() != 200) {
            String error = firstText(body, "error", "errorMessage", "title", "message");
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
        HttpResponse<String> response = send(request, where, repeats);
        JsonNode body = jsonOrNull(response);
        if (body == null) {
            throw new AuthenticationException(where + " answered HTTP " + response.statusCode() + " with "
                    + describeContentType(response) + " instead of JSON." + (pointsAtAPage(response)
                    ? " Check orchestrator.url: it must be the Orchestrator base URL, without /odata."
                    : " Orchestrator is failing; the next run tries again."), pointsAtAPage(response));
        }
        if (!REFUSALS.contains(response.statusCode()) && response.statusCode() != 200) {
            throw new AuthenticationException(where + " failed (HTTP " + response.statusCode()
                    + "). The next run tries again.", false);
        }
        String result = body.path("result").asText("");
        if (response.statusCode() != 200 || !body.path("success").asBoolean(false) || result.isEmpty()) {
            String error = firstText(body.path("error"), "message");
            throw new AuthenticationException(where + " refused the login (HTTP " + response.statusCode()
                    + (error == null ? "" : ", " + error) + "). Check orchestrator.auth.tenancy-name, "
                    + "orchestrator.auth.username and orchestrator.auth.password.", true);
        }
        return result;
    }

    /**
     * Sends a token request; a transient answer (408, 429, 502-504) or an I/O error is repeated as an Orchestrator
     * call would be. What stays unreachable is not the user's to fix: the run ends with exit code 1, not 2.
     */
    private HttpResponse<String> send(HttpRequest request, String where, Backoff repeats) {
        String operation = mode == AuthMode.PASSWORD ? "POST Account/Authenticate" : "POST token";
        Instant started = clock.instant();
        for (int attempt = 1; ; attempt++) {
            String problem;
            Duration retryAfter = null;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                metrics.call(operation, Integer.toString(response.statusCode()));
                if (!Backoff.TRANSIENT.contains(response.statusCode())) {
                    return response;
                }
                problem = where + " answered HTTP " + response.statusCode();
                retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
            } catch (HttpTimeoutException e) {
                metrics.call(operation, "io-error");
                problem = where + " did not answer within " + timeout.toSeconds() + " s";
            } catch (javax.net.ssl.SSLException e) {
                metrics.call(operation, "io-error");
                // not repeated: a certificate does not become trusted by asking again
                throw new AuthenticationException(where + ": " + tlsProblem(e), false);
            } catch (ConnectException e) {
                metrics.call(operation, "io-error");
                problem = where + " cannot be reached (connection refused or no route); check the URL and the network";
            } catch (IOException e) {
                metrics.call(operation, "io-error");
                problem = where + " cannot be reached: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthenticationException(where + " was not asked: the run is stopping.", false);
            }
            Duration delay = repeats.delay(attempt, retryAfter);
            if (!repeats.allows(attempt, started, delay, clock.instant())) {
                throw new AuthenticationException(problem + (attempt > 1 ? " (" + attempt + " attempts)" : "")
                        + ". No token could be had; the next run tries again.", false);
            }
            LOG.info("{}; attempt {} of {} in {} s", problem, attempt + 1, repeats.maxAttempts(),
                    String.format("%.1f", delay.toMillis() / 1000.0));
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthenticationException(where + " was not asked again: the run is stopping.", false);
            }
        }
    }

    private static String tlsProblem(javax.net.ssl.SSLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "the TLS connection failed (" + root.getMessage() + "). If the server's certificate is signed by a "
                + "private CA, set orchestrator.http.trust-store to a trust store with that CA's certificate.";
    }

    /** An HTML or text page with 200 or 404: the URL names a web page or nothing, not the identity server. */
    private static boolean pointsAtAPage(HttpResponse<String> response) {
        return response.statusCode() == 200 || response.statusCode() == 404;
    }

    private static JsonNode jsonOrNull(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String body = response.body().trim();
        if (!(type.contains("json") || body.startsWith("{"))) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String describeContentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").map(t -> "'" + t + "'").orElse("no content type");
    }

    private static String firstText(JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
