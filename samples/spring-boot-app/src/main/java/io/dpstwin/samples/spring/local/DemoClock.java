package io.dpstwin.samples.spring.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's time: the system clock plus an offset that only moves forward. The ADT emulator, the simulated IoT
 * hubs and the reconciler share it, so the demo can step past the reconciler's grace window ({@link #advance}) instead
 * of waiting two minutes. Everything else in the application keeps the real time.
 */
public final class DemoClock extends Clock {

    private final Clock system;
    private final AtomicReference<Duration> offset;

    public DemoClock() {
        this(Clock.systemUTC(), new AtomicReference<>(Duration.ZERO));
    }

    private DemoClock(Clock system, AtomicReference<Duration> offset) {
        this.system = system;
        this.offset = offset;
    }

    /** Moves the demo's time forward by {@code amount}. */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("the demo clock only moves forward, not by " + amount);
        }
        offset.accumulateAndGet(amount, Duration::plus);
    }

    /** How far the demo's time is ahead of the system clock. */
    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new DemoClock(system.withZone(zone), offset);
    }
}
