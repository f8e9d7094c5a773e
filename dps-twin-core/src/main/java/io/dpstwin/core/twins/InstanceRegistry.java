package io.dpstwin.core.twins;

/**
 * How many dps-twin instances share one Azure Digital Twins instance's limits now: the replicas of a Spring
 * application, or the instances a Functions app is scaled out to. With a registry, each instance keeps its share of
 * every instance-wide limit, {@code limit / liveInstances()}, instead of the whole limit: a strict limiter allows
 * that share, an adaptive one grows back up to it after ADT's 429s, never beyond. Per-twin write limits are not
 * divided (the events of one device go to one instance).
 *
 * <p>Implementations: {@link #single()} (the default: this instance alone), {@link #fixed(int)} (a count that does
 * not change), {@link BlobInstanceRegistry} (instances that register in a shared Azure Storage container, such as the
 * Event Hubs checkpoint container), or your own (e.g. the replica count of a Kubernetes deployment).
 *
 * <p>Called at most once per second per limit, from the threads that take permits: keep it cheap (return a count kept
 * up to date elsewhere), and never block or throw (a failure keeps the last count).
 */
@FunctionalInterface
public interface InstanceRegistry {

    /** The instances that share the limits now, this one included; counts below 1 are read as 1. */
    int liveInstances();

    /** This instance alone: every limit is its own. */
    static InstanceRegistry single() {
        return () -> 1;
    }

    /**
     * A count that does not change, e.g. a fixed number of replicas.
     *
     * @param instances at least 1
     */
    static InstanceRegistry fixed(int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + instances);
        }
        return () -> instances;
    }
}
