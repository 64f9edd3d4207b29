package io.github.orchestratorqueueroutes.run;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import io.github.orchestratorqueueroutes.auth.AuthenticationException;
import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.export.DeliveredStream;
import io.github.orchestratorqueueroutes.export.ExportBudgetException;
import io.github.orchestratorqueueroutes.export.ExportFailedException;
import io.github.orchestratorqueueroutes.odata.OrchestratorCallException;
import io.github.orchestratorqueueroutes.purge.MalformedItemException;
import io.github.orchestratorqueueroutes.retry.OrchestratorDownException;
import org.apache.camel.component.file.GenericFileOperationFailedException;

/** One line a person can act on for a failure; our own exceptions already carry such a message. */
public final class FailureReason {

    private FailureReason() {
    }

    public static String of(Throwable failure) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof OrchestratorCallException || t instanceof AuthenticationException
                    || t instanceof InvalidSettingException || t instanceof ExportFailedException
                    || t instanceof ExportBudgetException || t instanceof OrchestratorDownException
                    || t instanceof ShutdownGuard.ShuttingDownException) {
                return t.getMessage();
            }
            if (t instanceof DeliveredStream.DownloadBrokenException) {
                return t.getMessage();
            }
            if (t instanceof org.apache.camel.ResolveEndpointFailedException endpoint) {
                return "Setting 'export.target' is not a usable Camel endpoint URI: " + endpoint.getMessage()
                        + ". See README \"Export\" for file: and sftp: examples.";
            }
            if (t instanceof GenericFileOperationFailedException) {
                Throwable root = t;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return "Delivery to export.target failed: " + t.getMessage()
                        + (root == t ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")")
                        + hostKeyHint(root);
            }
            if (t instanceof MalformedItemException) {
                return "Not cleared: " + t.getMessage();
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return tlsProblem(t);
            }
            if (t instanceof ConnectException) {
                return "Orchestrator cannot be reached (connection refused" + (t.getMessage() == null ? ""
                        : ": " + t.getMessage()) + "); check orchestrator.url, orchestrator.http.proxy if one is set, "
                        + "and the network.";
            }
            if (t instanceof SocketTimeoutException) {
                return "Orchestrator did not answer in time (orchestrator.http.response-timeout): " + t.getMessage();
            }
            if (t instanceof IOException) {
                return "Connection problem with Orchestrator: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
            t = t.getCause();
        }
        return "Unexpected error " + failure.getClass().getName() + ": " + failure.getMessage();
    }

    /** One message for every TLS failure, whoever met it: what the server's certificate lacks and what to set. */
    public static String tlsProblem(Throwable tls) {
        Throwable root = tls;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "The TLS connection failed (" + tls.getClass().getSimpleName() + ": " + root.getMessage() + "). If "
                + "the server's certificate is signed by a private CA, set orchestrator.http.trust-store to a trust "
                + "store with that CA's certificate; if its name does not match the host, fix orchestrator.url.";
    }

    private static String hostKeyHint(Throwable root) {
        String text = String.valueOf(root.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("hostkey") ? ". The server's host key is not the one in the known_hosts file: "
                + "check knownHostsFile in export.target (see README \"SFTP\")." : "";
    }

    /** True for failures a person must fix in the settings (exit code 2). */
    public static boolean isConfigurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingException || t instanceof org.apache.camel.ResolveEndpointFailedException
                    || t instanceof AuthenticationException auth && auth.isConfigurationProblem()) {
                return true;
            }
        }
        return false;
    }
}
