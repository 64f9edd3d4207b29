package io.github.orchestratorqueueroutes.simulator;

/**
 * The demo credentials the embedded simulator accepts. They only open the in-process simulator; the product uses
 * them when {@code orchestrator.url=embedded} and no auth keys are set.
 */
public final class SimulatorAccounts {

    public static final String PERSONAL_ACCESS_TOKEN = "sim-pat-4f1b2c9d8e7a6b5c";
    public static final String CLIENT_ID = "sim-external-app";
    public static final String CLIENT_SECRET = "sim-client-secret-0d9c8b7a";
    public static final String TENANCY_NAME = "Default";
    public static final String USERNAME = "admin";
    public static final String PASSWORD = "sim-password-7e6d5c";
    public static final String TOKEN_PATH = "/identity_/connect/token";

    private SimulatorAccounts() {
    }
}
