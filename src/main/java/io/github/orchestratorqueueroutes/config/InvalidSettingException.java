package io.github.orchestratorqueueroutes.config;

/**
 * A setting the user gave (or left out) that the product cannot run with. The message names the key and says what to
 * do; it never contains the value of a secret.
 */
public class InvalidSettingException extends RuntimeException {

    private final String key;

    public InvalidSettingException(String key, String problem) {
        this(key, "Setting '" + key + "' " + problem, null);
    }

    private InvalidSettingException(String key, String message, Void whole) {
        super(message);
        this.key = key;
    }

    /** For a key the message must name otherwise than "Setting '...'", such as an environment variable. */
    static InvalidSettingException withMessage(String key, String message) {
        return new InvalidSettingException(key, message, null);
    }

    /** The key (or environment variable) to fix. */
    public String key() {
        return key;
    }
}
