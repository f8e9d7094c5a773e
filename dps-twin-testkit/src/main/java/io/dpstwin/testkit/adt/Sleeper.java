package io.dpstwin.testkit.adt;

import java.time.Duration;

/** Waits for injected latency; tests may replace it to record the delays instead of waiting. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Waits with {@link Thread#sleep(long)}. */
    static Sleeper threadSleep() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
