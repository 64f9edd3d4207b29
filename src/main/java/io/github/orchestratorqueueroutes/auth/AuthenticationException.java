package io.github.orchestratorqueueroutes.auth;

/**
 * No usable token could be had. {@link #isConfigurationProblem()} tells a refused credential or a wrong URL (the user
 * must change a setting) from an endpoint that could not be reached (it may work next time).
 */
public class AuthenticationException extends RuntimeException {

    private final boolean configurationProblem;

    public AuthenticationException(String message, boolean configurationProblem) {
        super(message);
        this.configurationProblem = configurationProblem;
    }

    public boolean isConfigurationProblem() {
        return configurationProblem;
    }
}
