package io.dpstwin.benchmarks.load;

/**
 * The least time ADT's limits allow for a {@link Workload}: each phase needs at least its creates and deletes divided
 * by the instance-wide rate, and at least the writes on its busiest twin divided by the per-twin rate; the phases
 * run one after the other, so their least times add up.
 *
 * <p>This is the sustained-rate bound. A fixed-window limiter that has been idle grants one period's worth of
 * permits at once, so a run can beat this bound by up to one second's worth of permits per phase; the scenarios are
 * sized so that this is a small share of the work.
 */
public final class LimitBound {

    private LimitBound() {
    }

    /** The least seconds for {@code createDeletes} creates/deletes with at most {@code busiestTwinWrites} on a twin. */
    public static double phaseSeconds(long createDeletes, long busiestTwinWrites, AdtProfile profile) {
        if (createDeletes < 0 || busiestTwinWrites < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        double instanceBound = (double) createDeletes / profile.createDeletesPerSecond();
        double twinBound = (double) busiestTwinWrites / profile.writesPerTwinPerSecond();
        return Math.max(instanceBound, twinBound);
    }

    /** The least seconds for the provisioning phase. */
    public static double provisionSeconds(Workload workload, AdtProfile profile) {
        return phaseSeconds(workload.provisionCreateDeletes(), workload.provisionMostWritesOnOneTwin(), profile);
    }

    /** The least seconds for the retirement phase. */
    public static double retireSeconds(Workload workload, AdtProfile profile) {
        return phaseSeconds(workload.retireCreateDeletes(), workload.retireMostWritesOnOneTwin(), profile);
    }

    /** The least seconds for the whole run (provisioning, then retirement). */
    public static double totalSeconds(Workload workload, AdtProfile profile) {
        return provisionSeconds(workload, profile) + retireSeconds(workload, profile);
    }

    /**
     * The share of the limit-bound rate a run achieved: (creates+deletes / measured seconds) ÷ (creates+deletes /
     * limit-bound seconds), i.e. limit-bound seconds ÷ measured seconds.
     */
    public static double ratio(double limitBoundSeconds, double measuredSeconds) {
        if (measuredSeconds <= 0) {
            throw new IllegalArgumentException("measured time must be positive");
        }
        return limitBoundSeconds / measuredSeconds;
    }
}
