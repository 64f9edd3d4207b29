package io.github.orchestratorqueueroutes.auth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.http.RetryAfter;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of asking the identity server (or the on-prem login) for a token: the call with its retries, and
 * reading what came back. What the answer means for the credentials is {@link AccessTokens}' to say.
 */
final class IdentityCalls {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final RunMetrics metrics;
    private final String operation;

    /** @param operation the call's name in the metrics */
    IdentityCalls(HttpClient http, Duration timeout, Clock clock, RunMetrics metrics, String operation) {
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
        this.metrics = metrics;
        this.operation = operation;
    }

    /**
     * Sends a token request; a transient answer (408, 429, 502-504) or an I/O error is repeated as an Orchestrator
     * call would be. What stays unreachable is not the user's to fix: the run ends with exit code 1, not 2.
     */
    HttpResponse<String> send(HttpRequest request, String where, Backoff repeats) {
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

    static String tlsProblem(javax.net.ssl.SSLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "the TLS connection failed (" + root.getMessage() + "). If the server's certificate is signed by a "
                + "private CA, set orchestrator.http.trust-store to a trust store with that CA's certificate.";
    }

    /** An HTML or text page with 200 or 404: the URL names a web page or nothing, not the identity server. */
    static boolean pointsAtAPage(HttpResponse<String> response) {
        return response.statusCode() == 200 || response.statusCode() == 404;
    }

    static JsonNode jsonOrNull(HttpResponse<String> response) {
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

    static String describeContentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").map(t -> "'" + t + "'").orElse("no content type");
    }

    static String firstText(JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }
}
