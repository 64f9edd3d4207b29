package io.github.orchestratorqueueroutes.run;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.github.orchestratorqueueroutes.config.Settings;

/**
 * A run requested by dropping a JSON file into {@code requests.dir}. Every field is optional and overrides the
 * setting of the same meaning for that run only. Unknown fields and invalid values reject the request.
 */
public record RunRequest(
        @JsonProperty("job") String job,
        @JsonProperty("folders") List<String> folders,
        @JsonProperty("queues") List<String> queues,
        @JsonProperty("statuses") List<String> statuses,
        @JsonProperty("olderThan") String olderThan,
        @JsonProperty("dryRun") Boolean dryRun,
        @JsonProperty("full") Boolean full) {

    public static final String VARIABLE = "runRequest";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Set<String> JOBS = Set.of("purge", "export", "archive-then-purge");

    /** A request that cannot be run; the message says which field and why. */
    public static class InvalidRequestException extends RuntimeException {
        public InvalidRequestException(String message) {
            super(message);
        }
    }

    public static RunRequest parse(String json) {
        RunRequest request;
        try {
            request = JSON.readValue(json, RunRequest.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidRequestException("Unknown field '" + e.getPropertyName() + "'; a request may hold job, "
                    + "folders, queues, statuses, olderThan, dryRun and full.");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException("Not a JSON request object: " + firstLine(e.getOriginalMessage()));
        }
        if (request == null) {
            throw new InvalidRequestException("The request file is empty.");
        }
        request.validate();
        return request;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    private void validate() {
        if (job != null && !JOBS.contains(job)) {
            throw new InvalidRequestException("job is '" + job + "'; use purge, export or archive-then-purge.");
        }
        if (statuses != null) {
            for (String status : statuses) {
                if (Settings.CLEARABLE_STATUSES.stream().noneMatch(s -> s.equalsIgnoreCase(status))) {
                    throw new InvalidRequestException("statuses contains '" + status
                            + "'; only Successful, Deleted and Retried may be purged.");
                }
            }
            if (statuses.isEmpty()) {
                throw new InvalidRequestException("statuses is empty; leave it out to use purge.statuses.");
            }
        }
        if (olderThan != null) {
            try {
                if (Duration.parse(olderThan).isNegative()) {
                    throw new DateTimeParseException("negative", olderThan, 0);
                }
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("olderThan is '" + olderThan
                        + "', which is not an ISO-8601 duration such as P30D.");
            }
        }
        for (List<String> names : java.util.Arrays.asList(folders, queues)) {
            if (names != null && names.stream().anyMatch(n -> n == null || n.isBlank())) {
                throw new InvalidRequestException("folders and queues must not contain empty names.");
            }
        }
    }
}
