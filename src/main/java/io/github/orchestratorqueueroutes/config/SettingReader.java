package io.github.orchestratorqueueroutes.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to the configured values, each failure naming its key. A key that is not set (or set empty) has the
 * default of {@link KnownSettings}; reading a key that is not known there is a bug and fails at once.
 */
record SettingReader(Function<String, Optional<String>> lookup, KnownSettings known) {

    /** The configured value, else the default; empty when both are empty. */
    Optional<String> text(String key) {
        String fallback = known.defaultValue(key);
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .or(() -> fallback.isEmpty() ? Optional.empty() : Optional.of(fallback));
    }

    /** For keys whose default is not empty. */
    String required(String key) {
        return text(key).orElseThrow(
                () -> new IllegalStateException(key + " has no default in application.properties"));
    }

    List<String> list(String key) {
        return text(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    boolean bool(String key) {
        String v = required(key);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidSettingException(key, "is '" + v + "'; use true or false.");
    }

    int integer(String key, int min, int max) {
        String v = required(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "is '" + v + "'; use a whole number from " + min + " to " + max
                    + ".");
        }
    }

    /** Day-based (P30D) and time-based (PT5M) forms, and the two combined (P1DT2H); zero allowed. */
    Duration duration(String key) {
        String v = required(key);
        try {
            Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", v, 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(key, "is '" + v
                    + "', which is not an ISO-8601 duration; use e.g. P30D (30 days), PT12H or PT5M.");
        }
    }

    Duration positiveDuration(String key) {
        Duration d = duration(key);
        if (d.isZero()) {
            throw new InvalidSettingException(key, "is zero; use a positive ISO-8601 duration such as PT1H.");
        }
        return d;
    }
}
