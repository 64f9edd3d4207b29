package io.github.orchestratorqueueroutes.config;

/**
 * A setting the user gave (or left out) that the product cannot run with. The message names the key and says what to
 * do; it never contains the value of a secret.
 */
public class InvalidSettingException extends RuntimeException {

    private final String key;

    public InvalidSettingException(String key, String problem) {
        super("Setting '" + key + "' " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
