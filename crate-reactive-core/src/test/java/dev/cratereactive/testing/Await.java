package dev.cratereactive.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread brings about (a background probe, kill or refresh). */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} every 10 ms until it holds.
     *
     * @param what the condition, for the failure message
     * @param max how long to wait at most
     * @param condition the condition
     * @throws AssertionError if it does not hold within {@code max}
     */
    public static void until(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + max.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
