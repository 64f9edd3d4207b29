package io.github.orchestratorqueueroutes.app;

import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Adds the product to a Camel application that already has its own CamelContext (an ESB), without Camel Main:
 * binds the beans from the context's properties (the same keys as {@code application.properties}; every key has a
 * default) and loads the YAML routes from this jar. The host then triggers a run by sending to
 * {@code direct:run-jobs}, or lets the {@code jobs-timer} route do it every {@code schedule.period}
 * ({@code run.once=true} leaves the timer off).
 *
 * <pre>
 * context.getPropertiesComponent().addInitialProperty("orchestrator.url", "https://cloud.uipath.com/acme/Prod/orchestrator_");
 * EmbeddedQueueRoutes.install(context);
 * context.start();
 * </pre>
 */
public final class EmbeddedQueueRoutes {

    /** Where the routes are inside the jar. */
    public static final String ROUTES = "classpath:routes/*.camel.yaml";

    private EmbeddedQueueRoutes() {
    }

    /** Call before the context starts. */
    public static void install(CamelContext context) throws Exception {
        new QueueRoutesConfiguration().configure(context);
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context).findResources(ROUTES);
        if (routes.isEmpty()) {
            throw new IllegalStateException("No routes found at " + ROUTES + "; is orchestrator-queue-routes.jar on "
                    + "the class path?");
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
    }
}
