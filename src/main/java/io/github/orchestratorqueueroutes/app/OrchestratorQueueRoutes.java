package io.github.orchestratorqueueroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.orchestratorqueueroutes.config.Settings;
import io.github.orchestratorqueueroutes.run.FailureReason;
import io.github.orchestratorqueueroutes.run.RunJournal;
import io.github.orchestratorqueueroutes.run.ShutdownGuard;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the product with Camel Main: {@code java -jar orchestrator-queue-routes.jar [--once] [--full]}. Without
 * {@code --once} the jobs run every {@code schedule.period} until the process is stopped.
 * <p>
 * Exit codes: 0 all done, 1 some item or export failed, 2 configuration or start-up error.
 */
public final class OrchestratorQueueRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorQueueRoutes.class);
    static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    /**
     * Camel's own settings behind observe.enabled and observe.port. Initial properties: a camel.* key in
     * application.properties still wins.
     */
    static final Map<String, String> OBSERVABILITY_DEFAULTS = Map.of(
            "camel.management.enabled", "{{observe.enabled:false}}",
            "camel.management.port", "{{observe.port:9876}}",
            "camel.management.healthCheckEnabled", "true",
            "camel.management.metricsEnabled", "true",
            // a check that is down is listed with its message; "full" would list every route as well
            "camel.health.exposureLevel", "default",
            "camel.metrics.enabled", "{{observe.enabled:false}}");

    private OrchestratorQueueRoutes() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new Properties()));
    }

    /**
     * Runs the product in this JVM and returns its exit code.
     *
     * @param overrides settings that win over the properties file, -D and environment (tests use them)
     */
    public static int run(String[] args, Properties overrides) {
        Properties fixed = new Properties();
        fixed.putAll(overrides);
        for (String arg : args) {
            if (arg.equals("--once")) {
                fixed.setProperty("run.once", "true");
            } else if (arg.equals("--full")) {
                fixed.setProperty("run.full", "true");
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("Usage: java [-Dkey=value ...] -jar orchestrator-queue-routes.jar [--once] "
                        + "[--full]");
                System.out.println("  --once  run the enabled jobs once and exit (run.once)");
                System.out.println("  --full  purge passes list every finished item, whatever the marks say "
                        + "(run.full)");
                System.out.println("Settings: application.properties in the working directory; see README.md.");
                return RunJournal.EXIT_OK;
            } else {
                LOG.error("Unknown argument '{}'. Usage: java [-Dkey=value ...] -jar orchestrator-queue-routes.jar "
                        + "[--once] [--full]", arg);
                return RunJournal.EXIT_CONFIGURATION;
            }
        }

        AtomicInteger exitCode = new AtomicInteger(RunJournal.EXIT_OK);
        Main main = newMain(fixed, exitCode);
        try {
            main.run();
        } catch (Exception e) {
            return startupFailure(e);
        }
        return exitCode.get();
    }

    /**
     * The Camel Main of the product, not yet started. With {@code run.once} it runs the jobs once after start-up,
     * puts the exit code in {@code exitCode} and completes.
     */
    public static Main newMain(Properties overrides, AtomicInteger exitCode) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.setOverrideProperties(overrides);
        main.configure().withName("orchestrator-queue-routes");
        main.configure().withRoutesIncludePattern(routesLocation());
        main.configure().withShutdownTimeout(30);
        main.configure().addConfiguration(new QueueRoutesConfiguration());
        OBSERVABILITY_DEFAULTS.forEach(main::addInitialProperty);
        main.addMainListener(new RunOnceListener(exitCode));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                ShutdownGuard guard = configured.getCamelContext().getRegistry()
                        .lookupByNameAndType("shutdownGuard", ShutdownGuard.class);
                // SIGTERM reaches Main first; a run in progress must hear it before Camel itself stops
                main.getShutdownStrategy().addShutdownListener(guard::stopRequested);
            }
        });
        return main;
    }

    /** The top-level routes/ folder when started from the project, else the copies inside the jar. */
    static String routesLocation() {
        Path folder = Path.of("routes");
        try (var files = Files.isDirectory(folder) ? Files.list(folder) : java.util.stream.Stream.<Path>empty()) {
            if (files.anyMatch(p -> p.getFileName().toString().endsWith(".camel.yaml"))) {
                return "file:routes/*.camel.yaml";
            }
        } catch (java.io.IOException e) {
            LOG.debug("Cannot list {}; using the routes inside the jar", folder, e);
        }
        return "classpath:routes/*.camel.yaml";
    }

    private static int startupFailure(Throwable e) {
        String observeKey = observeKeyBehind(e);
        if (observeKey != null) {
            LOG.error("Cannot start: setting '{}' is '{}', which is not valid (see README \"Configuration\").",
                    observeKey, ((PropertyBindingException) e).getValue());
            return RunJournal.EXIT_CONFIGURATION;
        }
        if (FailureReason.isConfigurationProblem(e)) {
            LOG.error("Cannot start: {}", FailureReason.of(e));
        } else {
            LOG.error("Cannot start: {}", e.getMessage(), e);
        }
        return RunJournal.EXIT_CONFIGURATION;
    }

    /** Camel binds camel.* before the product validates its settings: name the observe.* key the user wrote. */
    private static String observeKeyBehind(Throwable e) {
        if (e instanceof PropertyBindingException binding) {
            for (Map.Entry<String, String> mapped : OBSERVABILITY_DEFAULTS.entrySet()) {
                // the message names the option as written, e.g. "(camel.management.enabled=yes)"
                if (mapped.getValue().startsWith("{{observe.")
                        && String.valueOf(binding.getMessage()).contains("(" + mapped.getKey() + "=")) {
                    return mapped.getValue().substring(2, mapped.getValue().indexOf(':'));
                }
            }
        }
        return null;
    }

    /** With run.once, runs the jobs once as soon as Camel has started, then lets Main stop. */
    private static final class RunOnceListener extends MainListenerSupport {
        private final AtomicInteger exitCode;

        RunOnceListener(AtomicInteger exitCode) {
            this.exitCode = exitCode;
        }

        @Override
        public void afterStart(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            Settings settings = context.getRegistry().lookupByNameAndType("settings", Settings.class);
            if (!settings.runOnce()) {
                return;
            }
            try {
                context.createFluentProducerTemplate().to("direct:run-jobs").request();
                exitCode.set(context.getRegistry().lookupByNameAndType("runJournal", RunJournal.class)
                        .lastRun().exitCode());
            } catch (Exception e) {
                LOG.error("Run failed: {}", FailureReason.of(e));
                exitCode.set(FailureReason.isConfigurationProblem(e)
                        ? RunJournal.EXIT_CONFIGURATION : RunJournal.EXIT_FAILURES);
            } finally {
                ((Main) main).completed();
            }
        }
    }
}
