package io.dpstwin.benchmarks.load;

/**
 * What ADT's limits allow for a {@link Workload}, two ways.
 *
 * <ul>
 *   <li><b>Limit-bound rate</b> ({@link #sustainedSeconds}): a phase cannot run its creates and deletes faster than
 *       the instance-wide rate, nor the writes on its busiest twin faster than the per-twin rate, so it needs at
 *       least {@code max(C / R, W / r)} seconds at a sustained pace; the phases run one after the other, so their
 *       times add up. The limit-bound rate of the run is its creates and deletes divided by that time, and
 *       {@link #ratio} compares a run's achieved rate with it.</li>
 *   <li><b>Minimum time</b> ({@link #minimumSeconds}): the emulator enforces each limit with a fixed-window limiter
 *       ({@code P} permits per one-second window) created when a timed phase starts, so the phase begins with a full
 *       window: {@code C} operations need {@code ⌈C/P⌉} windows and the last cannot start before
 *       {@code ⌈C/P⌉ − 1} seconds. This is the true floor for a client that spends every permit the moment its
 *       window opens; it is lower than the sustained figure by at most one window per phase, which is why a run
 *       can achieve slightly more than the limit-bound rate.</li>
 * </ul>
 */
public final class LimitBound {

    private LimitBound() {
    }

    /** Sustained seconds for {@code createDeletes} creates/deletes with {@code busiestTwinWrites} on one twin. */
    public static double sustainedPhaseSeconds(long createDeletes, long busiestTwinWrites, AdtProfile profile) {
        checkCounts(createDeletes, busiestTwinWrites);
        return Math.max((double) createDeletes / profile.createDeletesPerSecond(),
                (double) busiestTwinWrites / profile.writesPerTwinPerSecond());
    }

    /** The least seconds the emulator's fixed windows allow for such a phase. */
    public static double minimumPhaseSeconds(long createDeletes, long busiestTwinWrites, AdtProfile profile) {
        checkCounts(createDeletes, busiestTwinWrites);
        return Math.max(windowsAfterTheFirst(createDeletes, profile.createDeletesPerSecond()),
                windowsAfterTheFirst(busiestTwinWrites, profile.writesPerTwinPerSecond()));
    }

    private static void checkCounts(long createDeletes, long busiestTwinWrites) {
        if (createDeletes < 0 || busiestTwinWrites < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    private static long windowsAfterTheFirst(long operations, int perWindow) {
        long windows = (operations + perWindow - 1) / perWindow;
        return Math.max(0, windows - 1);
    }

    /** Sustained seconds of the provisioning phase. */
    public static double sustainedProvisionSeconds(Workload workload, AdtProfile profile) {
        return sustainedPhaseSeconds(workload.provisionCreateDeletes(), workload.provisionMostWritesOnOneTwin(),
                profile);
    }

    /** Sustained seconds of the retirement phase. */
    public static double sustainedRetireSeconds(Workload workload, AdtProfile profile) {
        return sustainedPhaseSeconds(workload.retireCreateDeletes(), workload.retireMostWritesOnOneTwin(), profile);
    }

    /** Sustained seconds of the whole run (provisioning, then retirement). */
    public static double sustainedSeconds(Workload workload, AdtProfile profile) {
        return sustainedProvisionSeconds(workload, profile) + sustainedRetireSeconds(workload, profile);
    }

    /** Minimum seconds of the provisioning phase. */
    public static double minimumProvisionSeconds(Workload workload, AdtProfile profile) {
        return minimumPhaseSeconds(workload.provisionCreateDeletes(), workload.provisionMostWritesOnOneTwin(),
                profile);
    }

    /** Minimum seconds of the retirement phase. */
    public static double minimumRetireSeconds(Workload workload, AdtProfile profile) {
        return minimumPhaseSeconds(workload.retireCreateDeletes(), workload.retireMostWritesOnOneTwin(), profile);
    }

    /** Minimum seconds of the whole run. */
    public static double minimumSeconds(Workload workload, AdtProfile profile) {
        return minimumProvisionSeconds(workload, profile) + minimumRetireSeconds(workload, profile);
    }

    /** The limit-bound rate: creates and deletes per second at the sustained pace. */
    public static double limitBoundRate(Workload workload, AdtProfile profile) {
        return workload.createDeletes() / sustainedSeconds(workload, profile);
    }

    /**
     * A run's achieved rate (creates+deletes ÷ measured seconds) over the limit-bound rate, which is the same as the
     * sustained seconds over the measured seconds.
     */
    public static double ratio(double sustainedSeconds, double measuredSeconds) {
        if (measuredSeconds <= 0) {
            throw new IllegalArgumentException("measured time must be positive");
        }
        return sustainedSeconds / measuredSeconds;
    }
}
