package io.dpstwin.benchmarks.reconcile;

import java.util.List;

/**
 * What one fleet reconcile run measured. Times are simulated seconds (real seconds × the speed-up).
 *
 * @param devices           devices of the fleet
 * @param twins             twins of the fleet
 * @param hubs              hubs
 * @param speedup           simulated seconds per real second
 * @param measuredSeconds   the plan's duration
 * @param minimumSeconds    the quota-bound minimum (see {@link FleetReconcile#minimumSeconds})
 * @param registryMinimum   the slowest hub's quota-bound listing time
 * @param adtMinimum        ADT's quota-bound time for the queries the run sent
 * @param peakLiveMib       the largest live heap during the run
 * @param peakUsedMib       the largest heap in use during the run, garbage included
 * @param hubRequests       device query page requests, 429s included
 * @param hubThrottled      of which answered 429
 * @param adtRequests       ADT query requests
 * @param inQueries         of which {@code $dtId IN} checks
 * @param inItems           ids checked by them
 * @param progressEvents    progress notifications the listener received
 * @param planMatches       whether the plan is exactly the planted drift
 * @param mismatches        what differs when it is not
 */
public record FleetReconcileResult(int devices, int twins, int hubs, double speedup, double measuredSeconds,
                                   double minimumSeconds, double registryMinimum, double adtMinimum,
                                   double peakLiveMib, double peakUsedMib, long hubRequests, long hubThrottled,
                                   long adtRequests, long inQueries, long inItems, long progressEvents,
                                   boolean planMatches, List<String> mismatches) {

    /** {@code reconcile_limit_ratio}: quota-bound minimum / measured. */
    public double limitRatio() {
        return minimumSeconds / measuredSeconds;
    }
}
