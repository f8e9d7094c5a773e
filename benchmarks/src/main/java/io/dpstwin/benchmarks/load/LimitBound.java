package io.dpstwin.benchmarks.load;

/**
 * The least time ADT's limits allow for a {@link Workload}, per phase and in all.
 *
 * <p>The emulator enforces each limit with a fixed-window limiter ({@code P} permits per one-second window) that it
 * creates when a timed phase starts, so the phase begins with a full window. {@code C} creates and deletes then need
 * {@code ⌈C/P⌉} windows, and the last of them cannot start before {@code ⌈C/P⌉ − 1} seconds have passed; the same
 * holds for the writes on the busiest twin against the per-twin limit. A phase's least time is the larger of the
 * two; the phases run one after the other, so their least times add up. This is exact for the emulator (a client
 * that spends every permit the moment its window opens finishes at that time, plus one request's latency) and never
 * more than one window per phase below the sustained-rate figure {@code C/P} ({@link #sustainedSeconds}).
 */
public final class LimitBound {

    private LimitBound() {
    }

    /** The least seconds for {@code createDeletes} creates/deletes with at most {@code busiestTwinWrites} on a twin. */
    public static double phaseSeconds(long createDeletes, long busiestTwinWrites, AdtProfile profile) {
        if (createDeletes < 0 || busiestTwinWrites < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        return Math.max(windowsAfterTheFirst(createDeletes, profile.createDeletesPerSecond()),
                windowsAfterTheFirst(busiestTwinWrites, profile.writesPerTwinPerSecond()));
    }

    private static long windowsAfterTheFirst(long operations, int perWindow) {
        long windows = (operations + perWindow - 1) / perWindow;
        return Math.max(0, windows - 1);
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

    /** The sustained-rate figure: every create and delete of the run at the instance-wide rate, no window credit. */
    public static double sustainedSeconds(Workload workload, AdtProfile profile) {
        return (double) workload.createDeletes() / profile.createDeletesPerSecond();
    }

    /**
     * The share of the limit-bound rate a run achieved: (creates+deletes ÷ measured seconds) ÷ (creates+deletes ÷
     * limit-bound seconds), i.e. limit-bound seconds ÷ measured seconds.
     */
    public static double ratio(double limitBoundSeconds, double measuredSeconds) {
        if (measuredSeconds <= 0) {
            throw new IllegalArgumentException("measured time must be positive");
        }
        return limitBoundSeconds / measuredSeconds;
    }
}
