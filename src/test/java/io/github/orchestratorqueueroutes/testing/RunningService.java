package io.github.orchestratorqueueroutes.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.orchestratorqueueroutes.app.OrchestratorQueueRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;

/** The product running as a service (no --once) in a background thread; closing it stops it as Ctrl-C would. */
public final class RunningService implements AutoCloseable {

    private final Main main;
    private final Thread thread;

    public RunningService(Properties settings) {
        main = OrchestratorQueueRoutes.newMain(settings, new AtomicInteger());
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "product-under-test");
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> main.getCamelContext() != null
                && main.getCamelContext().getStatus() == ServiceStatus.Started);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Main main() {
        return main;
    }

    public boolean stopped() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        main.completed();
        thread.join(30_000);
    }
}
