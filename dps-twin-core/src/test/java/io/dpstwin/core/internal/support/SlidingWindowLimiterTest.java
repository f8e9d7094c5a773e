package io.dpstwin.core.internal.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The limiter's promise, checked on a fake clock: never more than the limit in any window, whatever the phase. */
class SlidingWindowLimiterTest {

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(100));

    private SlidingWindowLimiter limiter(int permits) {
        return SlidingWindowLimiter.strict(permits, WINDOW, Duration.ZERO, nanos::get);
    }

    /** Offers a request every 0–3 ms for 5 s of fake time and returns the times of those admitted. */
    private List<Long> offerRandomTraffic(SlidingWindowLimiter limiter, long seed) {
        Random random = new Random(seed);
        List<Long> admitted = new ArrayList<>();
        long end = nanos.get() + TimeUnit.SECONDS.toNanos(5);
        while (nanos.get() < end) {
            int burst = 1 + random.nextInt(20);
            for (int i = 0; i < burst; i++) {
                if (limiter.acquirePermission()) {
                    admitted.add(nanos.get());
                }
            }
            nanos.addAndGet(random.nextInt(4) * MILLI);
        }
        return admitted;
    }

    private static int mostInAnyWindow(List<Long> times) {
        int most = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= WINDOW.toNanos()) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }

    @Test
    void neverAdmitsMoreThanTheLimitInAnyWindowAndUsesItFully() {
        for (long seed = 1; seed <= 5; seed++) {
            SlidingWindowLimiter limiter = limiter(100);

            List<Long> admitted = offerRandomTraffic(limiter, seed);

            assertThat(mostInAnyWindow(admitted)).as("seed %d", seed).isEqualTo(100);
            assertThat(admitted.size()).as("about 100 per second over 5 s, seed %d", seed).isBetween(480, 500);
        }
    }

    @Test
    void aLimitAboveTheEntryCapStaysExactlyBoundedAndAlmostFullyUsed() {
        int permits = 5 * SlidingWindowLimiter.MAX_ENTRIES + 300;
        SlidingWindowLimiter limiter = limiter(permits);

        List<Long> admitted = new ArrayList<>();
        for (int tick = 0; tick < 3000; tick++) {
            for (int i = 0; i < 20; i++) {
                if (limiter.acquirePermission()) {
                    admitted.add(nanos.get());
                }
            }
            nanos.addAndGet(MILLI);
        }

        int most = mostInAnyWindow(admitted);
        assertThat(most).isLessThanOrEqualTo(permits).isGreaterThanOrEqualTo(5 * SlidingWindowLimiter.MAX_ENTRIES);
    }

    @Test
    void anUnboundedLimitNeedsNoMemoryForItsPermits() {
        SlidingWindowLimiter limiter = limiter(Integer.MAX_VALUE);

        for (int i = 0; i < 100_000; i++) {
            assertThat(limiter.acquirePermission()).isTrue();
        }
    }

    @Test
    void aFullWindowIsRefusedWithoutWaitingAndFreesAsItsAdmissionsAge() {
        SlidingWindowLimiter limiter = limiter(3);
        assertThat(limiter.acquirePermission()).isTrue();
        nanos.addAndGet(400 * MILLI);
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isFalse();

        nanos.addAndGet(600 * MILLI);      // the first admission leaves the window, the other two stay
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isFalse();
    }

    @Test
    void aCallerAllowedToWaitReservesTheFirstFreeMomentInOrder() {
        SlidingWindowLimiter limiter = SlidingWindowLimiter.strict(2, Duration.ofMillis(200), Duration.ofSeconds(5),
                System::nanoTime);
        long start = System.nanoTime();

        for (int i = 0; i < 6; i++) {
            assertThat(limiter.acquirePermission()).isTrue();
        }

        // 6 admissions at 2 per 200 ms: the last two cannot start before two windows have passed
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
    }
}
