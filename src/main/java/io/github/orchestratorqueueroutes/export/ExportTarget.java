package io.github.orchestratorqueueroutes.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import io.github.orchestratorqueueroutes.secrets.SecretMasker;
import org.apache.camel.util.URISupport;

/**
 * The Camel endpoint an export is delivered to ({@code export.target}), with the options that make delivery safe
 * added unless the user set them: a temporary name renamed when complete, and strict host key checking for SFTP
 * (camel-ftp's own default is off).
 */
public final class ExportTarget {

    static final String TEMP_PREFIX = ".inprogress-";
    private static final Set<String> SECRET_OPTIONS = Set.of("password", "privatekeypassphrase", "privatekey",
            "passphrase");

    static final int SFTP_WRITES_IN_FLIGHT = 128;

    private ExportTarget() {
    }

    public static String deliveryUri(String target) {
        registerSecrets(target);
        String uri = target;
        if (!has(uri, "tempPrefix") && !has(uri, "tempFileName")) {
            uri = with(uri, "tempPrefix=" + TEMP_PREFIX);
        }
        if (uri.toLowerCase(Locale.ROOT).startsWith("sftp:") && !has(uri, "strictHostKeyChecking")) {
            uri = with(uri, "strictHostKeyChecking=yes");
        }
        if (uri.toLowerCase(Locale.ROOT).startsWith("sftp:") && !has(uri, "bulkRequests")) {
            // JSch keeps this many write requests outstanding instead of its default few: uploads about 1.5 x
            // faster in bench/ (see bench/README.md)
            uri = with(uri, "bulkRequests=" + SFTP_WRITES_IN_FLIGHT);
        }
        return uri;
    }

    /** The target as it may appear in logs, audit and summary: secrets in options masked. */
    public static String forPeople(String target) {
        return URISupport.sanitizeUri(target);
    }

    /**
     * Removes what a failed delivery left under the temporary name, for {@code file:} targets (camel-file keeps it).
     * Other targets keep theirs; it never carries the final name.
     */
    public static void discardTemporary(String target, String fileName) {
        if (fileName == null) {
            return;
        }
        try {
            java.util.Optional<java.nio.file.Path> folder = localFolder(target);
            if (folder.isPresent()) {
                java.nio.file.Files.deleteIfExists(folder.get().resolve(TEMP_PREFIX + fileName));
            }
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            // best effort: a leftover temporary file is untidy, not harmful
        }
    }

    /** The folder of a {@code file:} target (options dropped), or empty for any other kind of target. */
    public static java.util.Optional<java.nio.file.Path> localFolder(String target) {
        if (!target.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return java.util.Optional.empty();
        }
        String folder = target.substring("file:".length()).replaceFirst("^//", "");
        int query = folder.indexOf('?');
        return java.util.Optional.of(java.nio.file.Path.of(query < 0 ? folder : folder.substring(0, query)));
    }

    private static void registerSecrets(String target) {
        int query = target.indexOf('?');
        if (query < 0) {
            return;
        }
        for (String option : target.substring(query + 1).split("&")) {
            int eq = option.indexOf('=');
            if (eq > 0 && SECRET_OPTIONS.contains(option.substring(0, eq).toLowerCase(Locale.ROOT))) {
                String value = option.substring(eq + 1);
                SecretMasker.register(value);
                SecretMasker.register(URLDecoder.decode(value.replaceFirst("^RAW\\((.*)\\)$", "$1"),
                        StandardCharsets.UTF_8));
            }
        }
    }

    private static boolean has(String uri, String option) {
        return uri.matches("(?s).*[?&]" + option + "=.*");
    }

    private static String with(String uri, String option) {
        return uri + (uri.contains("?") ? "&" : "?") + option;
    }
}
