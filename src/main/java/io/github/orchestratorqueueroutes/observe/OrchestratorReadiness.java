package io.github.orchestratorqueueroutes.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import io.github.orchestratorqueueroutes.auth.AccessTokens;
import io.github.orchestratorqueueroutes.auth.AuthenticationException;
import io.github.orchestratorqueueroutes.http.Outbound;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;

/** Ready when a token can be obtained and Orchestrator answers a one-row folder list with it. */
public class OrchestratorReadiness extends ReadinessCheck {

    private final AccessTokens tokens;
    private final URI probeUri;
    private final Duration timeout;
    private final HttpClient http;

    /** @param outbound the certificates trusted and the proxy (orchestrator.http.*) */
    public OrchestratorReadiness(AccessTokens tokens, String baseUrl, Duration timeout, Duration recheckAfter,
            Clock clock, Outbound outbound) {
        super("orchestrator", recheckAfter, clock);
        this.tokens = tokens;
        this.probeUri = URI.create(baseUrl + "/odata/Folders?$top=1&$select=Id");
        this.timeout = timeout;
        this.http = outbound.javaClient(timeout);
    }

    @Override
    protected Probe probe() {
        AccessTokens.Grant grant;
        try {
            grant = tokens.currentWithoutRetries();
        } catch (AuthenticationException e) {
            return new Probe(false, "No token: " + SecretMasker.mask(e.getMessage()));
        }
        HttpRequest request = HttpRequest.newBuilder(probeUri).timeout(timeout)
                .header("Authorization", grant.bearerHeader()).header("Accept", "application/json").GET().build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return new Probe(true, "Token obtained; Orchestrator answered the folder list");
            }
            String hint = status == 401 ? " (the token was refused: check the credentials and scopes)"
                    : status == 403 ? " (the account lacks OR.Folders.Read)" : "";
            return new Probe(false, "Orchestrator answered the folder list (GET odata/Folders) with HTTP " + status + hint);
        } catch (java.net.ConnectException e) {
            return new Probe(false, "Orchestrator at " + probeUri.getHost() + " cannot be reached (connection refused "
                    + "or no route); check orchestrator.url and the network");
        } catch (IOException e) {
            return new Probe(false, "Orchestrator at " + probeUri.getHost() + " cannot be reached: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(false, "Interrupted while asking Orchestrator");
        }
    }
}
