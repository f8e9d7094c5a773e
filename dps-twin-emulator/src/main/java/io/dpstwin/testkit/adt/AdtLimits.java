package io.dpstwin.testkit.adt;

import java.util.Optional;

/**
 * ADT's rate limits as the emulated service enforces them: creates and deletes of twins and relationships across
 * the instance, and writes (create, replace, patch, delete) on one twin or its incoming and outgoing relationships.
 * A request over a limit gets 429 {@code TooManyRequests} with {@code Retry-After}. Off by default
 * ({@link #none()}); {@link #adtDefaults()} are the service's defaults (500/s per instance, 10/s per twin).
 *
 * @param createDeletePerInstance the instance-wide limit, or {@code null} for none
 * @param writesPerTwin           the per-twin limit, or {@code null} for none
 */
public record AdtLimits(RateLimit createDeletePerInstance, RateLimit writesPerTwin) {

    /** No limits. */
    public static AdtLimits none() {
        return new AdtLimits(null, null);
    }

    /** ADT's default limits: 500 creates/deletes per second per instance, 10 writes per second per twin. */
    public static AdtLimits adtDefaults() {
        return new AdtLimits(RateLimit.perSecond(500), RateLimit.perSecond(10));
    }

    public Optional<RateLimit> instanceLimit() {
        return Optional.ofNullable(createDeletePerInstance);
    }

    public Optional<RateLimit> twinLimit() {
        return Optional.ofNullable(writesPerTwin);
    }

    /** These limits with the instance-wide one replaced. */
    public AdtLimits withCreateDeletePerInstance(RateLimit limit) {
        return new AdtLimits(limit, writesPerTwin);
    }

    /** These limits with the per-twin one replaced. */
    public AdtLimits withWritesPerTwin(RateLimit limit) {
        return new AdtLimits(createDeletePerInstance, limit);
    }
}
