package io.github.orchestratorqueueroutes.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The product's configuration contract (see README "Configuration"), read once at start-up and validated as a whole.
 * Every problem is reported with the key it concerns; secrets are never echoed back.
 */
public record Settings(
        String orchestratorUrl,
        AuthMode authMode,
        Credentials credentials,
        List<String> folders,
        int pageSize,
        Duration connectTimeout,
        Duration responseTimeout,
        TrustStoreFile trustStore,
        Proxy proxy,
        Retry retry,
        int listRatePerMinute,
        boolean purgeEnabled,
        Set<String> purgeStatuses,
        Set<String> purgeQueues,
        Duration purgeOlderThan,
        boolean purgeDryRun,
        int purgeConcurrency,
        Duration purgeOverlap,
        Duration purgeFullSweepEvery,
        Duration schedulePeriod,
        String scheduleCron,
        boolean runOnce,
        boolean runFull,
        String outputDir,
        Export export,
        String stateDir,
        String requestsDir,
        Cluster cluster,
        Duration progressInterval,
        Observe observe) {

    /** Metrics and health on Camel's management server. */
    public record Observe(boolean enabled, int port, Duration recheckAfter) {
    }

    /** Several instances against one tenant: only the leader runs scheduled and requested jobs. */
    public record Cluster(boolean enabled, String root, Duration acquireInterval, String nodeId,
            String zookeeperNodes) {

        public boolean zookeeper() {
            return enabled && zookeeperNodes != null;
        }
    }

    /** A private CA's trust store for every outbound call; {@code path} null: the JVM's own. */
    public record TrustStoreFile(String path, String type, String password) {
        @Override
        public String toString() {
            return "TrustStoreFile[path=" + path + ", type=" + type + ", password=***]";
        }
    }

    /** The company's outbound HTTP proxy; null on the record: calls go out directly. */
    public record Proxy(String host, int port, String user, String password, List<String> noProxy) {
        @Override
        public String toString() {
            return "Proxy[" + host + ":" + port + ", user=" + user + ", password=***, noProxy=" + noProxy + "]";
        }
    }

    /** How failed Orchestrator calls are repeated. */
    public record Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTime,
            int stopAfterFailures) {
    }

    /** The export job's settings. */
    public record Export(
            boolean enabled,
            Set<String> queues,
            String filter,
            String target,
            String fileName,
            Duration pollInterval,
            Duration pollMaxInterval,
            Duration pollTimeout,
            int dailyBudget,
            boolean checksumFile,
            int concurrency,
            boolean snapshot,
            Duration every,
            List<URI> downloadTrustedOrigins,
            int downloadMaxAttempts) {
    }

    public static final String EMBEDDED = "embedded";
    public static final String CLOUD_TOKEN_URL = "https://cloud.uipath.com/identity_/connect/token";
    /** Statuses for which Orchestrator documents clearing SpecificContent. */
    public static final List<String> CLEARABLE_STATUSES = List.of("Successful", "Deleted", "Retried");

    public enum AuthMode {
        TOKEN("token"), CLIENT_CREDENTIALS("client-credentials"), PASSWORD("password");

        private final String key;

        AuthMode(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static Optional<AuthMode> of(String text) {
            return Arrays.stream(values()).filter(m -> m.key.equalsIgnoreCase(text.trim())).findFirst();
        }
    }

    /** What each auth mode needs; fields a mode does not use stay null. */
    public record Credentials(
            String token,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            String tenancyName,
            String username,
            String password) {

        @Override
        public String toString() {
            return "Credentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", scope=" + scope
                    + ", tenancyName=" + tenancyName + ", username=" + username + ", secrets=***]";
        }
    }

    public boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(orchestratorUrl);
    }

    /** True for Automation Cloud tenants, whose list calls reject $top above 100. */
    public boolean automationCloud() {
        return isAutomationCloud(orchestratorUrl);
    }

    private static boolean isAutomationCloud(String url) {
        return !EMBEDDED.equalsIgnoreCase(url) && URI.create(url).getHost().toLowerCase(Locale.ROOT).endsWith("uipath.com");
    }

    /**
     * Reads and validates every setting.
     *
     * @param lookup returns the configured value of a key (property file, -D or environment), empty when unset
     */
    public static Settings load(Function<String, Optional<String>> lookup) {
        SettingReader r = new SettingReader(lookup, KnownSettings.product());

        String url = r.required("orchestrator.url");
        if (!EMBEDDED.equalsIgnoreCase(url)) {
            url = SettingValues.validUrl("orchestrator.url", url);
        }
        boolean embedded = EMBEDDED.equalsIgnoreCase(url);

        String modeText = r.required("orchestrator.auth.mode");
        AuthMode mode = AuthMode.of(modeText).orElseThrow(() -> new InvalidSettingException("orchestrator.auth.mode",
                "is '" + modeText + "'; use one of token, client-credentials, password."));
        Credentials credentials = new Credentials(
                r.text("orchestrator.auth.token").orElse(null),
                r.text("orchestrator.auth.token-url").map(u -> SettingValues.validUrl("orchestrator.auth.token-url", u)).orElse(null),
                r.text("orchestrator.auth.client-id").orElse(null),
                r.text("orchestrator.auth.client-secret").orElse(null),
                r.required("orchestrator.auth.scope"),
                r.text("orchestrator.auth.tenancy-name").orElse(null),
                r.text("orchestrator.auth.username").orElse(null),
                r.text("orchestrator.auth.password").orElse(null));
        if (!embedded) {
            credentials = SettingValues.requireCredentials(mode, credentials);
        }

        int pageSize = r.integer("orchestrator.page-size", 1, 1000);
        Duration connectTimeout = r.positiveDuration("orchestrator.http.connect-timeout");
        Duration responseTimeout = r.positiveDuration("orchestrator.http.response-timeout");
        Retry retry = new Retry(
                r.integer("orchestrator.retry.max-attempts", 1, 20),
                r.positiveDuration("orchestrator.retry.initial-delay"),
                r.positiveDuration("orchestrator.retry.max-delay"),
                r.positiveDuration("orchestrator.retry.max-time"),
                r.integer("orchestrator.stop-after-failures", 1, 10_000));
        int listRate = r.text("orchestrator.list-rate-per-minute").isPresent()
                ? r.integer("orchestrator.list-rate-per-minute", 0, 10_000) : isAutomationCloud(url) ? 90 : 0;

        Set<String> statuses = r.list("purge.statuses").stream()
                .map(Settings::canonicalStatus)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (statuses.isEmpty()) {
            throw new InvalidSettingException("purge.statuses", "names no status; leave it out for "
                    + String.join(",", CLEARABLE_STATUSES) + ", or name a subset of them.");
        }

        String outputDir = r.required("output.dir");
        Export export = new Export(
                r.bool("export.enabled"),
                Set.copyOf(r.list("export.queues")),
                r.text("export.filter").orElse(null),
                SettingValues.exportTarget(r.text("export.target").orElse("file:" + outputDir + "/exports")),
                SettingValues.exportFileName(r.required("export.file-name")),
                r.positiveDuration("export.poll.interval"),
                r.positiveDuration("export.poll.max-interval"),
                r.positiveDuration("export.poll.timeout"),
                r.integer("export.daily-budget", 0, 100_000),
                r.bool("export.sha256-file"),
                r.integer("export.concurrency", 1, 16),
                SettingValues.exportMode(r.required("export.mode")),
                r.duration("export.every"),
                r.list("export.download.trusted-hosts").stream().map(SettingValues::trustedOrigin).toList(),
                r.integer("export.download.max-attempts", 1, 100));
        if (export.pollMaxInterval().compareTo(export.pollInterval()) < 0) {
            throw new InvalidSettingException("export.poll.max-interval", "is shorter than export.poll.interval; "
                    + "the poll interval doubles from export.poll.interval up to this.");
        }

        boolean clustered = r.bool("cluster.enabled");
        String zookeeperNodes = r.text("cluster.zookeeper.nodes").orElse(null);
        Cluster cluster = new Cluster(clustered,
                clustered && zookeeperNodes == null ? r.text("cluster.root").orElseThrow(() -> new InvalidSettingException("cluster.root",
                        "is missing; with cluster.enabled=true set it to a folder every instance shares (for example "
                        + "an NFS mount), or set cluster.zookeeper.nodes to elect the leader through ZooKeeper."))
                        : r.text("cluster.root").orElse(null),
                r.positiveDuration("cluster.acquire-interval"),
                r.text("cluster.node-id").orElse(SettingValues.defaultNodeId()),
                zookeeperNodes);

        Settings settings = new Settings(
                url,
                mode,
                credentials,
                r.list("orchestrator.folders"),
                pageSize,
                connectTimeout,
                responseTimeout,
                new TrustStoreFile(r.text("orchestrator.http.trust-store").orElse(null),
                        r.required("orchestrator.http.trust-store-type"),
                        r.text("orchestrator.http.trust-store-password").orElse(null)),
                SettingValues.proxy(r.text("orchestrator.http.proxy").orElse(null), r.list("orchestrator.http.no-proxy")),
                retry,
                listRate,
                r.bool("purge.enabled"),
                Set.copyOf(statuses),
                Set.copyOf(r.list("purge.queues")),
                r.duration("purge.older-than"),
                r.bool("purge.dry-run"),
                r.integer("purge.concurrency", 1, 64),
                r.positiveDuration("purge.overlap"),
                r.positiveDuration("purge.full-sweep-every"),
                r.positiveDuration("schedule.period"),
                r.text("schedule.cron").map(SettingValues::cron).orElse(null),
                r.bool("run.once"),
                r.bool("run.full"),
                outputDir,
                export,
                r.text("state.dir").orElse(cluster.enabled() && cluster.root() != null ? cluster.root() + "/state"
                        : outputDir + "/state"),
                r.required("requests.dir"),
                cluster,
                r.positiveDuration("run.progress-interval"),
                new Observe(r.bool("observe.enabled"), r.integer("observe.port", 1, 65535),
                        r.duration("observe.recheck-after")));
        if (settings.automationCloud() && pageSize > 100) {
            throw new InvalidSettingException("orchestrator.page-size",
                    "is " + pageSize + "; Automation Cloud rejects more than 100 items per page. Use 100 or less.");
        }
        return settings;
    }

    /** Tokens {@code export.file-name} may use. */
    public static final List<String> FILE_NAME_TOKENS =
            List.of("${queue}", "${folder}", "${exportId}", "${timestamp}", "${from}", "${to}");

    private static String canonicalStatus(String status) {
        for (String allowed : CLEARABLE_STATUSES) {
            if (allowed.equalsIgnoreCase(status)) {
                return allowed;
            }
        }
        throw new InvalidSettingException("purge.statuses", "contains '" + status + "'; only "
                + String.join(", ", CLEARABLE_STATUSES) + " items may be purged (a comma list of those).");
    }

}
