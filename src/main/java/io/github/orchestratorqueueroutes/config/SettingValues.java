package io.github.orchestratorqueueroutes.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The checks and conversions of single setting values, each failure naming its key; {@link Settings} uses them. */
final class SettingValues {

    private SettingValues() {
    }

    static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    static String cron(String expression) {
        if (!org.quartz.CronExpression.isValidExpression(expression)) {
            throw new InvalidSettingException("schedule.cron", "is '" + expression + "', which is not a Quartz cron "
                    + "expression (seconds minutes hours day-of-month month day-of-week [year]); e.g. '0 0 2 * * ?' "
                    + "runs every day at 02:00.");
        }
        return expression;
    }

    static String exportTarget(String target) {
        if (!target.matches("[a-z][a-z0-9+.-]*:.+")) {
            throw new InvalidSettingException("export.target", "is '" + target + "', which is not a Camel endpoint "
                    + "URI; use e.g. file:/data/exports or sftp://user@host:22/exports?privateKeyFile=/keys/id_rsa.");
        }
        return target;
    }

    /** http://[user:password@]host:port; the password never reaches a message. */
    static Settings.Proxy proxy(String text, List<String> noProxy) {
        if (text == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            String shown = text.replaceAll("//.*@", "//***@");
            throw new InvalidSettingException("orchestrator.http.proxy", "is '" + shown + "'; use "
                    + "http://host:port or http://user:password@host:port (the proxy itself is spoken to in plain "
                    + "HTTP; HTTPS calls go through it with CONNECT).");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length > 1) {
                // masked in every log line from now on, in the form written and decoded
                io.github.orchestratorqueueroutes.secrets.SecretMasker.register(parts[1]);
                io.github.orchestratorqueueroutes.secrets.SecretMasker.register(
                        java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
            }
            user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
            password = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8)
                    : null;
        }
        return new Settings.Proxy(uri.getHost(), uri.getPort(), user, password, noProxy);
    }

    static URI trustedOrigin(String text) {
        URI origin = URI.create(validUrl("export.download.trusted-hosts", text));
        if (origin.getRawPath() != null && !origin.getRawPath().isEmpty() || origin.getRawQuery() != null) {
            throw new InvalidSettingException("export.download.trusted-hosts", "contains '" + text + "'; list origins "
                    + "only (scheme, host and port), e.g. https://files.corp.local:8443.");
        }
        return origin;
    }

    /** True for snapshot, false for the recurring archive of windows. */
    static boolean exportMode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "window" -> false;
            case "snapshot" -> true;
            default -> throw new InvalidSettingException("export.mode", "is '" + mode + "'; use window (each export "
                    + "holds what finished since the previous one) or snapshot (each export holds the whole queue).");
        };
    }

    static String exportFileName(String pattern) {
        String rest = pattern;
        for (String token : Settings.FILE_NAME_TOKENS) {
            rest = rest.replace(token, "");
        }
        if (rest.contains("$") || rest.contains("{") || rest.contains("/") || rest.contains("\\")) {
            throw new InvalidSettingException("export.file-name", "is '" + pattern + "'; it may only use the tokens "
                    + String.join(", ", Settings.FILE_NAME_TOKENS) + " and no folder separators.");
        }
        if (!pattern.contains("${exportId}") && !pattern.contains("${timestamp}")) {
            throw new InvalidSettingException("export.file-name", "is '" + pattern + "'; include ${exportId} or "
                    + "${timestamp} so one export does not overwrite the previous one.");
        }
        return pattern;
    }

    static String validUrl(String key, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(key, "is '" + text + "', which is not an http(s) URL"
                    + ("orchestrator.url".equals(key)
                            ? "; use e.g. https://cloud.uipath.com/{org}/{tenant}/orchestrator_ or 'embedded'."
                            : "."));
        }
    }

    static Settings.Credentials requireCredentials(Settings.AuthMode mode, Settings.Credentials c) {
        switch (mode) {
            case TOKEN -> require("orchestrator.auth.token", c.token(), "a personal access token or bearer token");
            case CLIENT_CREDENTIALS -> {
                require("orchestrator.auth.client-id", c.clientId(), "the external application's App ID");
                require("orchestrator.auth.client-secret", c.clientSecret(), "the external application's App Secret");
                if (c.tokenUrl() == null) {
                    c = new Settings.Credentials(c.token(), Settings.CLOUD_TOKEN_URL, c.clientId(), c.clientSecret(),
                            c.scope(), c.tenancyName(), c.username(), c.password());
                }
            }
            case PASSWORD -> {
                require("orchestrator.auth.tenancy-name", c.tenancyName(), "the tenant name (often 'Default')");
                require("orchestrator.auth.username", c.username(), "the user name or e-mail address");
                require("orchestrator.auth.password", c.password(), "the user's password");
            }
        }
        return c;
    }

    static void require(String key, String value, String what) {
        if (value == null) {
            throw new InvalidSettingException(key, "is missing; set it to " + what
                    + " (in application.properties, as -D" + key + "=... or as environment variable "
                    + KnownSettings.environmentName(key) + ").");
        }
    }
}
