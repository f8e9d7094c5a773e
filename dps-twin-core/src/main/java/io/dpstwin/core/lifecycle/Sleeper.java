package io.dpstwin.core.lifecycle;

import java.time.Duration;

/** Waits between retries; injectable so tests need not wait. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
