package io.github.orchestratorqueueroutes.export;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.auth.AccessTokens;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Downloads an export through its link and hands the body, as a stream, to the delivery. The link's own headers are
 * sent; the bearer token only when the link says {@code RequiresAuth} (the link usually points at a storage host that
 * must never see it). A refused or expired link is reported so the route asks for a new one, once.
 */
public class ExportDownload {

    public static final String REFUSED = "downloadRefused";
    static final String ATTEMPT = "downloadAttempt";
    /** What a storage host answers for an expired or refused signed link. */
    private static final Set<Integer> LINK_REFUSED = Set.of(401, 403, 404, 410);

    private final AccessTokens tokens;
    private final ExportSteps steps;

    public ExportDownload(AccessTokens tokens, ExportSteps steps) {
        this.tokens = tokens;
        this.steps = steps;
    }

    /** Turns the GetDownloadLink reply in the body into the download request's headers. */
    public void prepare(Exchange exchange) {
        ExportJob job = ExportSteps.job(exchange);
        JsonNode link = exchange.getMessage().getBody(JsonNode.class);
        String uri = link == null ? "" : link.path("Uri").asText("").replace(" ", "%20");
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.getHost() == null
                || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new ExportFailedException("The download link of " + job.describe() + " is not an http(s) URL.");
        }
        // the signature in a signed link is a credential for as long as the link lives
        SecretMasker.register(parsed.getRawQuery());
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(null);
        JsonNode keys = link.path("Headers").path("Keys");
        JsonNode values = link.path("Headers").path("Values");
        for (int i = 0; i < keys.size(); i++) {
            message.setHeader(keys.get(i).asText(), values.path(i).asText(""));
        }
        if (link.path("RequiresAuth").asBoolean(false)) {
            message.setHeader("Authorization", tokens.current().bearerHeader());
        }
        message.setHeader(Exchange.HTTP_URI, uri);
        message.setHeader(Exchange.HTTP_METHOD, link.path("Verb").asText("GET"));
        exchange.setVariable("downloadScheme", parsed.getScheme());
        exchange.setVariable(ATTEMPT, exchange.getVariable(ATTEMPT, 0, Integer.class) + 1);
    }

    /** Sets {@value #REFUSED} when a first attempt was refused; fails on any other non-2xx answer. */
    public void check(Exchange exchange) throws IOException {
        ExportJob job = ExportSteps.job(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        boolean ok = status >= 200 && status < 300;
        boolean firstAttempt = exchange.getVariable(ATTEMPT, 1, Integer.class) == 1;
        exchange.setVariable(REFUSED, !ok && firstAttempt && LINK_REFUSED.contains(status));
        if (!ok) {
            String body = exchange.getMessage().getBody(String.class);
            // the refusal is small and now read: keep the text, not the spent stream
            exchange.getMessage().setBody(body);
            String code = body == null ? "" : body.replaceAll("(?s).*<Code>([^<]+)</Code>.*", "$1");
            if (!firstAttempt || !LINK_REFUSED.contains(status)) {
                throw new ExportFailedException("The download of " + job.describe() + " was refused: HTTP " + status
                        + (code.length() < 60 && !code.isBlank() ? " (" + code + ")" : "")
                        + (firstAttempt ? "" : ", also with a fresh link"));
            }
        }
    }

    /** Wraps the response stream for delivery: size check, unzip, SHA-256; names the file. */
    public void open(Exchange exchange) throws IOException {
        ExportJob job = ExportSteps.job(exchange);
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) {
            throw new ExportFailedException("The download of " + job.describe() + " returned no body.");
        }
        DeliveredStream stream = DeliveredStream.of(body, job.size).reportingTo(steps.downloadProgress(job));
        // not an exchange variable: Camel would turn a stream kept there into a stream cache, i.e. read it all
        job.delivered = stream;
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.FILE_NAME, steps.fileName(job));
        message.setBody(stream);
    }

    /** After delivery: the whole stream must have gone to the target. */
    public void verify(Exchange exchange) {
        ExportJob job = ExportSteps.job(exchange);
        DeliveredStream stream = job.delivered;
        if (!stream.ended()) {
            throw new ExportFailedException("The target did not read " + job.describe() + " to its end.");
        }
        exchange.getMessage().setBody(null);
    }

    /** Sets up the optional {@code <file>.sha256} sidecar, in the format sha256sum reads. */
    public void checksumFile(Exchange exchange) {
        ExportJob job = ExportSteps.job(exchange);
        DeliveredStream stream = job.delivered;
        String sha256 = stream.sha256();
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.FILE_NAME, job.fileName + ".sha256");
        message.setBody(sha256 + "  " + job.fileName + "\n");
    }
}
