package io.github.orchestratorqueueroutes.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;


import io.github.orchestratorqueueroutes.auth.AccessTokens;
import io.github.orchestratorqueueroutes.config.Settings;
import io.github.orchestratorqueueroutes.config.Settings.AuthMode;
import io.github.orchestratorqueueroutes.config.Settings.Credentials;
import io.github.orchestratorqueueroutes.config.UnknownSettingCheck;
import io.github.orchestratorqueueroutes.export.ExportDownload;
import io.github.orchestratorqueueroutes.state.FileStateStore;
import io.github.orchestratorqueueroutes.state.MemoryStateStore;
import io.github.orchestratorqueueroutes.state.StateDocument;
import io.github.orchestratorqueueroutes.state.StateStore;
import io.github.orchestratorqueueroutes.state.ZooKeeperStateStore;
import io.github.orchestratorqueueroutes.export.ExportState;
import io.github.orchestratorqueueroutes.export.ExportSteps;
import io.github.orchestratorqueueroutes.export.ExportTarget;
import io.github.orchestratorqueueroutes.folders.FolderSelection;
import io.github.orchestratorqueueroutes.http.Backoff;
import io.github.orchestratorqueueroutes.http.Outbound;
import io.github.orchestratorqueueroutes.http.OutboundProxy;
import io.github.orchestratorqueueroutes.http.TrustStore;
import io.github.orchestratorqueueroutes.observe.ExportTargetReadiness;
import io.github.orchestratorqueueroutes.observe.OrchestratorReadiness;
import io.github.orchestratorqueueroutes.observe.RunMetrics;
import io.github.orchestratorqueueroutes.odata.KeysetPaging;
import io.github.orchestratorqueueroutes.odata.OrchestratorCaller;
import io.github.orchestratorqueueroutes.odata.ListCallBudget;
import io.github.orchestratorqueueroutes.odata.OrchestratorCall;
import io.github.orchestratorqueueroutes.odata.OrchestratorReply;
import io.github.orchestratorqueueroutes.odata.ServerClock;
import io.github.orchestratorqueueroutes.purge.PurgeItemSteps;
import io.github.orchestratorqueueroutes.purge.PurgeMarks;
import io.github.orchestratorqueueroutes.purge.PurgeSteps;
import io.github.orchestratorqueueroutes.purge.QueueDirectory;
import io.github.orchestratorqueueroutes.retry.OrchestratorHealth;
import io.github.orchestratorqueueroutes.retry.OrchestratorRetries;
import io.github.orchestratorqueueroutes.run.RunIdCarryingExecutor;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.ShutdownGuard;
import io.github.orchestratorqueueroutes.simulator.OrchestratorSimulator;
import io.github.orchestratorqueueroutes.simulator.SimulatorAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates the settings, starts the embedded simulator when {@code orchestrator.url=embedded}, and binds
 * the beans the YAML routes call. Values the routes need in a form Camel understands (milliseconds, the simulator's
 * port) are published as {@code resolved.*} properties; they are derived, not settings.
 */
public class QueueRoutesConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QueueRoutesConfiguration.class);
    /** Camel's name for the Micrometer registry; camel-micrometer-prometheus serves the one bound under it. */
    private static final String METER_REGISTRY = "metricsRegistry";
    private static final String ZOOKEEPER_BASE = "/orchestrator-queue-routes";

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        UnknownSettingCheck.requireKnown(properties);
        Settings settings = Settings.load(properties::resolveProperty);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        String baseUrl = settings.orchestratorUrl();
        Credentials credentials = settings.credentials();
        if (settings.embedded()) {
            OrchestratorSimulator simulator = new OrchestratorSimulator().start();
            closeWithContext(context, simulator::close);
            registry.bind("orchestratorSimulator", simulator);
            baseUrl = simulator.url();
            credentials = withDemoCredentials(settings.authMode(), credentials, simulator);
            LOG.info("orchestrator.url=embedded: using the built-in Orchestrator simulator at {}", baseUrl);
        }

        properties.addOverrideProperty("resolved.orchestrator.endpoint", baseUrl);
        properties.addOverrideProperty("resolved.orchestrator.connect-timeout-ms",
                Long.toString(settings.connectTimeout().toMillis()));
        properties.addOverrideProperty("resolved.orchestrator.response-timeout-ms",
                Long.toString(settings.responseTimeout().toMillis()));
        properties.addOverrideProperty("resolved.export.target", ExportTarget.deliveryUri(settings.export().target()));
        // the routes read validated values, so a host application need not define any of these keys
        properties.addOverrideProperty("resolved.export.sha256-file", Boolean.toString(settings.export().checksumFile()));
        properties.addOverrideProperty("resolved.cluster.prefix", cluster(context, settings.cluster()));
        boolean scheduled = !settings.runOnce();
        properties.addOverrideProperty("resolved.requests.enabled", Boolean.toString(scheduled));
        properties.addOverrideProperty("resolved.requests.dir", settings.requestsDir());
        properties.addOverrideProperty("resolved.schedule.enabled",
                Boolean.toString(scheduled && settings.scheduleCron() == null));
        properties.addOverrideProperty("resolved.schedule.cron-enabled",
                Boolean.toString(scheduled && settings.scheduleCron() != null));
        // the cron route is created even when it never starts, so it always gets a valid expression
        properties.addOverrideProperty("resolved.schedule.cron",
                settings.scheduleCron() == null ? "0 0 0 1 1 ? 2099" : settings.scheduleCron());
        properties.addOverrideProperty("resolved.schedule.period-ms", Long.toString(settings.schedulePeriod().toMillis()));

        Outbound outbound = outbound(settings);
        // every purge worker may hold a connection; camel-http allows 20 per host by default
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            outbound.configure(http, scheme.equals("https"));
            http.setConnectionsPerRoute(Math.max(20, settings.purgeConcurrency() * 2));
            http.setMaxTotalConnections(Math.max(200, settings.purgeConcurrency() * 4));
            // HttpClient would repeat a 429 or 503 by itself, even a POST that starts an export (4502 must never be
            // repeated); retries are decided by the routes, which know what is safe to repeat
            http.setAutomaticRetriesDisabled(true);
        }

        if (settings.observe().enabled()) {
            requireFreePort(settings.observe().port());
        }
        RunMetrics metrics = new RunMetrics(meterRegistry(registry));
        registry.bind("runMetrics", metrics);
        Backoff backoff = new Backoff(settings.retry().maxAttempts(), settings.retry().initialDelay(),
                settings.retry().maxDelay(), settings.retry().maxTime());
        AccessTokens tokens = new AccessTokens(settings.authMode(), credentials, baseUrl, settings.connectTimeout()
                .plus(settings.responseTimeout()), clock, metrics, backoff, outbound);
        RunJournal journal = new RunJournal(Path.of(settings.outputDir()), clock, settings.progressInterval(), metrics);
        QueueDirectory queues = new QueueDirectory(settings.pageSize());

        registry.bind("settings", settings);
        registry.bind("accessTokens", tokens);
        ListCallBudget listBudget = new ListCallBudget(settings.listRatePerMinute(), clock);
        OrchestratorCall call = new OrchestratorCall(tokens, listBudget);
        OrchestratorHealth health = new OrchestratorHealth(settings.retry().stopAfterFailures());
        OrchestratorRetries retries = new OrchestratorRetries(backoff, health, metrics, clock);
        registry.bind("orchestratorHealth", health);
        registry.bind("orchestratorCall", call);
        ServerClock serverClock = new ServerClock(clock);
        registry.bind("orchestratorReply", new OrchestratorReply(listBudget, clock, metrics, serverClock));
        registry.bind("orchestratorRetries", retries);
        registry.bind("orchestratorRetryDelay", retries.delayStep());
        registry.bind("orchestratorRetryPreparation", retries.preparationStep(call));
        registry.bind("keysetPaging", new KeysetPaging());
        registry.bind("runJournal", journal);
        ShutdownGuard shutdownGuard = new ShutdownGuard(journal);
        registry.bind("shutdownGuard", shutdownGuard);
        registry.bind("queueDirectory", queues);
        registry.bind("folderSelection", new FolderSelection(settings.pageSize()));
        registry.bind("runRequests", new io.github.orchestratorqueueroutes.run.RunRequests(
                Path.of(settings.requestsDir()), journal));
        registry.bind("runPlan", new io.github.orchestratorqueueroutes.run.RunPlan(settings, journal));
        CuratorFramework zookeeper = settings.cluster().zookeeper()
                ? zookeeperClient(context, settings.cluster().zookeeperNodes()) : null;
        if (zookeeper == null && (settings.export().enabled() || settings.purgeEnabled())) {
            requireWritableFolder("state.dir", Path.of(settings.stateDir()));
        }
        ExecutorService purgeListing = new RunIdCarryingExecutor(context.getExecutorServiceManager()
                .newSingleThreadExecutor(this, "purge-listing"));
        StateStore marksStore = settings.embedded() ? new MemoryStateStore()
                : stateStore(settings, zookeeper, StateDocument.nameFor("purge-marks", settings.orchestratorUrl()));
        PurgeMarks marks = new PurgeMarks(new StateDocument(marksStore, "purge marks"),
                settings.purgeOverlap(), settings.purgeFullSweepEvery(), serverClock);
        PurgeItemSteps purgeItemSteps = new PurgeItemSteps(queues, journal, shutdownGuard);
        registry.bind("purgeItemSteps", purgeItemSteps);
        registry.bind("purgeSteps", new PurgeSteps(settings.pageSize(), queues, journal,
                new OrchestratorCaller(context), purgeListing, shutdownGuard, marks, serverClock, purgeItemSteps));
        ExportState exportState = new ExportState(settings.embedded() ? new MemoryStateStore()
                : stateStore(settings, zookeeper, ExportState.nameFor(settings.orchestratorUrl())),
                settings.export().dailyBudget(), serverClock);
        metrics.exportBudget(exportState::startsLeftToday);
        ExportSteps exportSteps = new ExportSteps(settings.export(), queues, exportState,
                journal, ExportTarget.forPeople(settings.export().target()), clock, serverClock,
                settings.purgeOverlap());
        registry.bind("exportSteps", exportSteps);
        Backoff downloadResumes = new Backoff(settings.export().downloadMaxAttempts(), settings.retry().initialDelay(),
                settings.retry().maxDelay(), settings.retry().maxTime());
        registry.bind("exportDownload", new ExportDownload(tokens, exportSteps, java.net.URI.create(baseUrl),
                settings.export().downloadTrustedOrigins(), downloadResumes, clock));
        // readiness for /observe/health (Camel's health registry picks up checks bound here)
        Duration probeTimeout = settings.connectTimeout().plus(settings.responseTimeout());
        registry.bind("orchestratorReadiness", new OrchestratorReadiness(tokens, baseUrl, probeTimeout,
                settings.observe().recheckAfter(), clock, outbound));
        if (settings.export().enabled()) {
            registry.bind("exportTargetReadiness", new ExportTargetReadiness(
                    ExportTarget.deliveryUri(settings.export().target()), ExportTarget.forPeople(settings.export().target()),
                    settings.connectTimeout(), settings.observe().recheckAfter(), clock));
        }
        registry.bind("exportExecutor", new RunIdCarryingExecutor(context.getExecutorServiceManager()
                .newFixedThreadPool(this, "export", settings.export().concurrency())));
        registry.bind("purgeExecutor", new RunIdCarryingExecutor(context.getExecutorServiceManager()
                .newFixedThreadPool(this, "purge", settings.purgeConcurrency())));
    }

    /** The trust store and the proxy every outbound call uses. */
    private static Outbound outbound(Settings settings) {
        TrustStore trust = settings.trustStore().path() == null ? TrustStore.jvm() : TrustStore.load(
                settings.trustStore().path(), settings.trustStore().type(), settings.trustStore().password());
        Settings.Proxy p = settings.proxy();
        if (p == null) {
            return new Outbound(trust, null);
        }
        if (p.user() != null && System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            // the JDK's client refuses Basic proxy credentials for CONNECT tunnels unless this says otherwise; read
            // when its first client is made, so it must be set before the first token request
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
        LOG.info("Outbound calls go through the proxy {}:{}{}", p.host(), p.port(),
                p.noProxy().isEmpty() ? "" : " (not for " + String.join(", ", p.noProxy()) + ")");
        return new Outbound(trust, new OutboundProxy(p.host(), p.port(), p.user(), p.password(), p.noProxy()));
    }

    /** A state document of the tenant: in ZooKeeper when the cluster is elected there, else under state.dir. */
    private static StateStore stateStore(Settings settings, CuratorFramework zookeeper, String name) {
        return zookeeper != null ? new ZooKeeperStateStore(zookeeper, ZOOKEEPER_BASE + "/state/" + name)
                : new FileStateStore(Path.of(settings.stateDir()).resolve(name));
    }

    /** The host's Micrometer registry when it has one (an ESB with metrics), else a Prometheus registry of ours. */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry meters = registry.lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(METER_REGISTRY, meters);
        }
        return meters;
    }

    /** Starts leader election when asked; returns the prefix that makes the triggers run on the leader only. */
    private static String cluster(CamelContext context, Settings.Cluster cluster) {
        if (!cluster.enabled()) {
            return "";
        }
        org.apache.camel.cluster.CamelClusterService service;
        if (cluster.zookeeper()) {
            ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
            zookeeper.setNodes(cluster.zookeeperNodes());
            zookeeper.setBasePath(ZOOKEEPER_BASE + "/leader");
            zookeeper.setId(cluster.nodeId());
            service = zookeeper;
            LOG.info("Cluster member {}: jobs run on the leader elected through ZooKeeper {}", cluster.nodeId(),
                    cluster.zookeeperNodes());
        } else {
            requireWritableFolder("cluster.root", Path.of(cluster.root()));
            FileLockClusterService files = new FileLockClusterService();
            files.setRoot(cluster.root());
            files.setId(cluster.nodeId());
            files.setAcquireLockDelay(1, TimeUnit.SECONDS);
            files.setAcquireLockInterval(cluster.acquireInterval().toMillis(), TimeUnit.MILLISECONDS);
            service = files;
            LOG.info("Cluster member {}: jobs run on whichever instance holds the lock in {}", cluster.nodeId(),
                    cluster.root());
        }
        try {
            context.addService(service);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start leader election", e);
        }
        // Camel 4.18's master consumer retries starting the triggers within a 5 s budget, every backOffDelay (5 s by
        // default): a first start attempt that fails right after a failover (the old leader's routes still
        // stopping) got no second one, and the new leader ran nothing. One second leaves room for four more.
        context.getComponent("master", org.apache.camel.component.master.MasterComponent.class).setBackOffDelay(1000);
        return "master:orchestrator-queue-routes:";
    }

    /** A ZooKeeper client for the shared export state, closed with the context. */
    private static CuratorFramework zookeeperClient(CamelContext context, String nodes) {
        CuratorFramework client = CuratorFrameworkFactory.newClient(nodes, new ExponentialBackoffRetry(500, 5));
        client.start();
        closeWithContext(context, client::close);
        return client;
    }

    /** Vert.x would only log a stack trace and go on without metrics and health; say it once, plainly. */
    private static void requireFreePort(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(port));
        } catch (java.io.IOException e) {
            throw new io.github.orchestratorqueueroutes.config.InvalidSettingException("observe.port", "is " + port
                    + ", which another program already uses (" + e.getMessage() + "). Choose a free port.");
        }
    }

    private static void requireWritableFolder(String key, Path folder) {
        try {
            java.nio.file.Files.createDirectories(folder);
            if (!java.nio.file.Files.isWritable(folder)) {
                throw new java.io.IOException("not writable");
            }
        } catch (java.io.IOException | SecurityException e) {
            throw new io.github.orchestratorqueueroutes.config.InvalidSettingException(key, "is '" + folder
                    + "', which cannot be created or written (" + e.getMessage() + "). Use a writable folder.");
        }
    }

    private static Credentials withDemoCredentials(AuthMode mode, Credentials c, OrchestratorSimulator simulator) {
        return new Credentials(
                orDefault(c.token(), SimulatorAccounts.PERSONAL_ACCESS_TOKEN),
                orDefault(c.tokenUrl(), simulator.tokenUrl()),
                orDefault(c.clientId(), SimulatorAccounts.CLIENT_ID),
                orDefault(c.clientSecret(), SimulatorAccounts.CLIENT_SECRET),
                c.scope(),
                orDefault(c.tenancyName(), SimulatorAccounts.TENANCY_NAME),
                orDefault(c.username(), SimulatorAccounts.USERNAME),
                orDefault(c.password(), SimulatorAccounts.PASSWORD));
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    /** Closes what we started (the simulator, a ZooKeeper client) when Camel stops. */
    private static void closeWithContext(CamelContext context, Runnable close) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    close.run();
                }
            }, true, true);
        } catch (Exception e) {
            close.run();
            throw new IllegalStateException("Cannot register a resource with Camel", e);
        }
    }
}
