package io.dpstwin.core.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries (and, in the testkit, for injected latency). Injectable everywhere dps-twin waits, so that
 * tests record the waits instead of spending them.
 */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Waits on the current thread ({@link TimeUnit#sleep}). */
    static Sleeper system() {
        return duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }
}
