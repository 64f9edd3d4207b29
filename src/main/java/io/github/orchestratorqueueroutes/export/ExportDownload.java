package io.github.orchestratorqueueroutes.export;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.auth.AccessTokens;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.http.RetryAfter;
import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads an export through its link and hands the body, as a stream, to the delivery. The link's own headers are
 * sent; the bearer token only when the link says {@code RequiresAuth} and points at Orchestrator's own origin (or one
 * in {@code export.download.trusted-hosts}): a link usually points at a storage host that must never see the token,
 * and a link is data from the server, not a reason to hand a credential to any host it names. Redirects are not
 * followed. A refused or expired link is reported so the route asks for a new one, once.
 */
public class ExportDownload {

    /** Set by {@link #check}: ask for the download again (a fresh link), after {@value #AGAIN_IN_MILLIS}. */
    public static final String AGAIN = "downloadAgain";
    public static final String AGAIN_IN_MILLIS = "downloadAgainInMillis";
    private static final String STARTED = "downloadStarted";
    static final String ATTEMPT = "downloadAttempt";
    /** The origin of a link that asked for the token and did not get it, for the message if it is refused. */
    static final String TOKEN_WITHHELD = "downloadTokenWithheld";
    /** When a broken download is asked for again: the byte to go on from. */
    static final String RANGE_FROM = "downloadRangeFrom";
    private static final java.util.regex.Pattern CONTENT_RANGE = java.util.regex.Pattern.compile("bytes (\\d+)-.*");
    /** What a storage host answers for an expired or refused signed link. */
    private static final Set<Integer> LINK_REFUSED = Set.of(401, 403, 404, 410);

    private static final Logger LOG = LoggerFactory.getLogger(ExportDownload.class);

    private final AccessTokens tokens;
    private final ExportSteps steps;
    private final List<String> trustedOrigins;
    private final Backoff resumes;
    private final Clock clock;
    private volatile ProducerTemplate template;

    /**
     * @param orchestrator   Orchestrator's base URL, whose origin may receive the token
     * @param trustedOrigins further origins that may (export.download.trusted-hosts)
     * @param resumes        how a download that broke off is resumed (export.download.max-attempts)
     */
    public ExportDownload(AccessTokens tokens, ExportSteps steps, URI orchestrator, List<URI> trustedOrigins,
            Backoff resumes, Clock clock) {
        this.tokens = tokens;
        this.steps = steps;
        this.resumes = resumes;
        this.clock = clock;
        List<String> origins = new ArrayList<>();
        origins.add(origin(orchestrator));
        trustedOrigins.forEach(o -> origins.add(origin(o)));
        this.trustedOrigins = List.copyOf(origins);
    }

    /** scheme://host:port, lower case, with the scheme's default port made explicit. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
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
        exchange.removeVariable(TOKEN_WITHHELD);
        if (link.path("RequiresAuth").asBoolean(false)) {
            if (trustedOrigins.contains(origin(parsed))) {
                message.setHeader("Authorization", tokens.current().bearerHeader());
            } else {
                exchange.setVariable(TOKEN_WITHHELD, origin(parsed));
                LOG.warn("The download link of {} asks for Orchestrator's token but points at {}, not at "
                        + "orchestrator.url's origin: fetched without it (export.download.trusted-hosts names origins "
                        + "that may receive it)", job.describe(), origin(parsed));
            }
        }
        long from = exchange.getVariable(RANGE_FROM, 0L, Long.class);
        if (from > 0) {
            message.setHeader("Range", "bytes=" + from + "-");
        }
        message.setHeader(Exchange.HTTP_URI, uri);
        message.setHeader(Exchange.HTTP_METHOD, link.path("Verb").asText("GET"));
        exchange.setVariable("downloadScheme", parsed.getScheme());
        int attempt = exchange.getVariable(ATTEMPT, 0, Integer.class) + 1;
        exchange.setVariable(ATTEMPT, attempt);
        if (attempt == 1) {
            exchange.setVariable(STARTED, clock.instant());
        }
    }

    /**
     * Sets {@value #AGAIN} when a first link was refused or expired (a fresh one, at once) or the download host
     * answered 5xx or 429 (again after the back-off); fails on any other non-2xx answer.
     */
    public void check(Exchange exchange) throws IOException {
        ExportJob job = ExportSteps.job(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        boolean ok = status >= 200 && status < 300;
        int attempt = exchange.getVariable(ATTEMPT, 1, Integer.class);
        boolean firstAttempt = attempt == 1;
        exchange.setVariable(AGAIN, false);
        String withheld = exchange.getVariable(TOKEN_WITHHELD, String.class);
        if (!ok && withheld != null && (status == 401 || status == 403)) {
            throw new ExportFailedException("The download of " + job.describe() + " was refused (HTTP " + status
                    + "): its link asks for Orchestrator's token but points at " + withheld + ", which is not "
                    + "orchestrator.url's origin, so the token was not sent. If that host is yours, add " + withheld
                    + " to export.download.trusted-hosts.");
        }
        if (!ok) {
            String body = exchange.getMessage().getBody(String.class);
            // the refusal is small and now read: keep the text, not the spent stream
            exchange.getMessage().setBody(body);
            String code = body == null ? "" : body.replaceAll("(?s).*<Code>([^<]+)</Code>.*", "$1");
            if (LINK_REFUSED.contains(status) && firstAttempt) {
                // expired or refused: one fresh link at once
                again(exchange, Duration.ZERO);
                return;
            }
            Duration delay = resumes.delay(attempt, RetryAfter.parse(
                    exchange.getMessage().getHeader("Retry-After", String.class), clock));
            boolean failing = status >= 500 || Backoff.TRANSIENT.contains(status);
            boolean resumed = exchange.getVariable(RANGE_FROM, 0L, Long.class) > 0;
            if (failing && !resumed && resumes.allows(attempt, exchange.getVariable(STARTED, clock.instant(),
                    java.time.Instant.class), delay, clock.instant())) {
                LOG.info("The download of {} was answered HTTP {}; asking again in {} s (attempt {} of {})",
                        job.describe(), status, String.format("%.1f", delay.toMillis() / 1000.0), attempt + 1,
                        resumes.maxAttempts());
                again(exchange, delay);
                return;
            }
            throw new ExportFailedException("The download of " + job.describe() + " was refused: HTTP " + status
                    + (code.length() < 60 && !code.isBlank() ? " (" + code + ")" : "")
                    + (firstAttempt ? "" : ", also with a fresh link"));
        }
    }

    private static void again(Exchange exchange, Duration delay) {
        exchange.setVariable(AGAIN, true);
        exchange.setVariable(AGAIN_IN_MILLIS, delay.toMillis());
    }

    /** Wraps the response stream for delivery: size check, unzip, SHA-256; names the file. */
    public void open(Exchange exchange) throws IOException {
        ExportJob job = ExportSteps.job(exchange);
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) {
            throw new ExportFailedException("The download of " + job.describe() + " returned no body.");
        }
        ResumingDownload resuming = new ResumingDownload(body, offset -> reopen(exchange, offset), job.size, resumes,
                clock, job.describe());
        job.download = resuming;
        DeliveredStream stream = DeliveredStream.of(resuming, job.size).reportingTo(steps.downloadProgress(job));
        // not an exchange variable: Camel would turn a stream kept there into a stream cache, i.e. read it all
        job.delivered = stream;
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.FILE_NAME, steps.fileName(job));
        message.setBody(stream);
    }

    /**
     * Asks for the rest of a download that broke off: a fresh link (it costs no export start), then the bytes from
     * {@code offset} on. A server without range support sends it all again, and what was delivered is skipped.
     */
    private InputStream reopen(Exchange exchange, long offset) throws IOException {
        // a copy shares the delivering exchange's unit of work, so camel-http closes the new response with it, not
        // when this fetch ends; the body is the download being delivered: a route that caches streams must not read it
        Exchange again = exchange.copy();
        again.getMessage().setBody(null);
        again.getMessage().getHeaders().clear();
        again.setVariable(RANGE_FROM, offset);
        // a refusal of this fresh link is final for this attempt (the resume tries again with another)
        again.setVariable(ATTEMPT, 1);
        template(exchange).send("direct:export-fetch", again);
        if (again.getException() != null) {
            throw new IOException(again.getException().getMessage(), again.getException());
        }
        InputStream body = again.getMessage().getBody(InputStream.class);
        if (body == null) {
            throw new IOException("the resumed download returned no body");
        }
        int status = again.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status != 200 && status != 206) {
            body.close();
            throw new IOException("the resumed download was answered HTTP " + status);
        }
        long start = 0;
        if (status == 206) {
            java.util.regex.Matcher range = CONTENT_RANGE.matcher(
                    again.getMessage().getHeader("Content-Range", "", String.class));
            start = range.matches() ? Long.parseLong(range.group(1)) : -1;
            if (start < 0 || start > offset) {
                body.close();
                throw new IOException("the resumed download starts at an unexpected byte (Content-Range "
                        + again.getMessage().getHeader("Content-Range") + ")");
            }
        }
        try {
            body.skipNBytes(offset - start);
        } catch (IOException e) {
            ResumingDownload.abort(body);
            throw e;
        }
        return body;
    }

    private ProducerTemplate template(Exchange exchange) {
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        return template;
    }

    /**
     * The delivery failed: a download that broke off is reported as such; anything else is the target's own error
     * (no space left, permission, quota, a refused SFTP write), named with the target and the system's reason. The
     * spent stream is dropped, so no later step reads it again.
     */
    public void deliveryFailed(Exchange exchange) throws IOException {
        ExportJob job = ExportSteps.job(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().setBody(null);
        if (job.download != null) {
            job.download.abort();
        }
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DeliveredStream.DownloadBrokenException broken) {
                throw broken;
            }
            root = t;
        }
        throw new ExportFailedException("Delivery of " + job.describe() + " to " + steps.targetForPeople() + " failed: "
                + (root == null ? "unknown error" : root.getMessage() + " (" + root.getClass().getSimpleName() + ")")
                + ". Nothing was left under the final name; fix the target (space, permissions) or export.target.");
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
