package io.github.orchestratorqueueroutes.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that leaves the process as log output. Two nets: the exact values the product knows to be
 * secret (configured token, client secret, password, every token it obtained), and patterns for secrets it cannot know
 * in advance (an Authorization header, a form field, a JSON field). Libraries log at DEBUG what they like, Camel's
 * property parser and the HTTP client's header log among them, so masking happens in the log layout, for all of them.
 */
public final class SecretMasker {

    /** Shorter values are not masked as such: they would hide ordinary words. */
    static final int MIN_SECRET_LENGTH = 6;
    private static final int MAX_REMEMBERED = 200;
    private static final String MASK = "***";
    private static final List<Pattern> PATTERNS = List.of(
            // real tokens are long; "bearer token" in a sentence is not one
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{16,}"),
            Pattern.compile("(?i)((?:proxy-)?authorization:\\s*basic\\s+)[A-Za-z0-9+/=]+"),
            // a password in a URL: http://user:password@proxy:3128
            Pattern.compile("(://[^:/@\\s\"']+:)[^@\\s\"']+(?=@)"),
            Pattern.compile("(?i)((?:client_secret|password|access_token|refresh_token)=)[^&\\s\"']+"),
            // signed download links (Azure SAS, S3, GCS) are credentials while they live
            Pattern.compile("(?i)([?&](?:sig|x-amz-signature|x-goog-signature)=)[^&\\s\"']+"),
            Pattern.compile("(?i)(\"(?:password|client_secret|access_token|refresh_token)\"\\s*:\\s*\")[^\"]*"),
            Pattern.compile("(?i)(Found property(?: \\(custom lookup\\))?: [\\w.-]*(?:token|secret|password|passphrase)"
                    + "[\\w.-]* with value: )\\S+"));

    private static final Deque<String> SECRETS = new ArrayDeque<>();

    private SecretMasker() {
    }

    /** Remembers a secret value so it is masked wherever it appears from now on. */
    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            return;
        }
        synchronized (SECRETS) {
            if (!SECRETS.contains(secret)) {
                SECRETS.addFirst(secret);
                if (SECRETS.size() > MAX_REMEMBERED) {
                    SECRETS.removeLast();
                }
            }
        }
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> secrets;
        synchronized (SECRETS) {
            secrets = new ArrayList<>(SECRETS);
        }
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        for (Pattern pattern : PATTERNS) {
            masked = pattern.matcher(masked).replaceAll("$1" + MASK);
        }
        return masked;
    }
}
