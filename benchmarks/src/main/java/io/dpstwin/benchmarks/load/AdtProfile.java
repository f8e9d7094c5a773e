package io.dpstwin.benchmarks.load;

import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.RateLimit;

import java.time.Duration;

/**
 * The ADT the load scenarios run against: the emulator's server-side limits and latency, and the client-side limits
 * dps-twin is configured with (the same numbers, as a user would configure them for that instance).
 *
 * <p>Azure Digital Twins allows 500 creates/deletes per second per instance and 10 writes per second per twin, and
 * answers in about 20 ms. {@link #scaled(int, int, Duration)} keeps the per-twin limit and latency and lowers the
 * instance-wide limit so a 2-core machine can drive it; the other client-side limits (reads, patches, queries,
 * models) shrink by the same factor as the instance-wide one.
 *
 * @param createDeletesPerSecond creates and deletes of twins and relationships per second, instance-wide
 * @param writesPerTwinPerSecond writes per second on one twin, its relationships included
 * @param latency                the time the emulator waits before handling each request
 */
public record AdtProfile(int createDeletesPerSecond, int writesPerTwinPerSecond, Duration latency) {

    /** Azure Digital Twins' published create/delete limit per instance. */
    public static final int ADT_CREATE_DELETES_PER_SECOND = 500;
    /** Azure Digital Twins' published write limit per twin. */
    public static final int ADT_WRITES_PER_TWIN_PER_SECOND = 10;

    public AdtProfile {
        if (createDeletesPerSecond < 1 || writesPerTwinPerSecond < 1) {
            throw new IllegalArgumentException("rates must be at least 1 per second");
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
    }

    /** The given limits and latency. */
    public static AdtProfile scaled(int createDeletesPerSecond, int writesPerTwinPerSecond, Duration latency) {
        return new AdtProfile(createDeletesPerSecond, writesPerTwinPerSecond, latency);
    }

    /** What the emulator enforces: 429 with {@code Retry-After} above either limit. */
    public AdtLimits emulatorLimits() {
        return new AdtLimits(RateLimit.perSecond(createDeletesPerSecond), RateLimit.perSecond(writesPerTwinPerSecond));
    }

    /** What dps-twin keeps to on the client side: the instance's own limits. */
    public AdtRateLimits clientLimits() {
        return clientLimits(100);
    }

    /**
     * What dps-twin keeps to on the client side when it leaves headroom: {@code percent} of every limit (100 = the
     * instance's own limits).
     */
    public AdtRateLimits clientLimits(int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be 1..100, was " + percent);
        }
        double factor = (double) createDeletesPerSecond / ADT_CREATE_DELETES_PER_SECOND * percent / 100.0;
        return AdtRateLimits.builder()
                .createDeletesPerSecond(scale(createDeletesPerSecond, percent / 100.0))
                .perTwinWritesPerSecond(scale(writesPerTwinPerSecond, percent / 100.0))
                .readsPerSecond(scale(1000, factor))
                .patchesPerSecond(scale(1000, factor))
                .queriesPerSecond(scale(500, factor))
                .modelRequestsPerSecond(scale(100, factor))
                .build();
    }

    private static int scale(int adtDefault, double factor) {
        return Math.max(1, (int) Math.round(adtDefault * factor));
    }

    /** For tables: {@code 100 c/d/s, 10 w/twin/s, 20 ms}. */
    public String describe() {
        return createDeletesPerSecond + " creates+deletes/s per instance, " + writesPerTwinPerSecond
                + " writes/s per twin, " + latency.toMillis() + " ms per request";
    }
}
