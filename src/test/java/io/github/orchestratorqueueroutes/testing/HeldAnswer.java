package io.github.orchestratorqueueroutes.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * For simulator interceptors that play a slow server: holds an answer until something has happened on the client's
 * side, or the time is up. It shapes what the server does; tests themselves wait with Awaitility or NotifyBuilder.
 */
public final class HeldAnswer {

    private HeldAnswer() {
    }

    public static void until(BooleanSupplier condition, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
