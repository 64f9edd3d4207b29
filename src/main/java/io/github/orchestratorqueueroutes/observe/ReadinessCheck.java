package io.github.orchestratorqueueroutes.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check that looks at something outside the process. Its answer is kept for
 * {@code observe.recheck-after}, so a probe every few seconds (Kubernetes, a load balancer) does not become steady
 * traffic to Orchestrator or the SFTP server.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    /** What one look found; {@code message} says what to do when it is down. */
    record Probe(boolean up, String message) {
    }

    private final Clock clock;
    private final Duration keep;
    private Probe last;
    private Instant lastAt = Instant.MIN;

    ReadinessCheck(String id, Duration keep, Clock clock) {
        super("orchestrator-queue-routes", id);
        this.keep = keep;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe probe = current();
        builder.message(probe.message()).detail("checked.at", lastAt.toString());
        if (probe.up()) {
            builder.up();
        } else {
            builder.down();
        }
    }

    private synchronized Probe current() {
        Instant now = clock.instant();
        if (last == null || !lastAt.plus(keep).isAfter(now)) {
            last = probe();
            lastAt = now;
        }
        return last;
    }

    /** Looks once; never throws. */
    protected abstract Probe probe();
}
