package io.dpstwin.core.twins;

/**
 * How many dps-twin instances share one Azure Digital Twins instance's limits now: the replicas of a Spring
 * application, or the instances a Functions app is scaled out to. With a registry, each instance keeps its share of
 * every instance-wide limit, {@code limit / liveInstances()}, instead of the whole limit: a strict limiter allows
 * that share, an adaptive one grows back up to it after ADT's 429s, never beyond. Per-twin write limits are not
 * divided (the events of one device go to one instance).
 *
 * <p>Implementations: {@link #single()} (the default: this instance alone), {@link #fixed(int)} and
 * {@link #fixed(int, int)} (a count that does not change), {@link BlobInstanceRegistry} (instances that register in a shared Azure Storage container, such as the
 * Event Hubs checkpoint container), or your own (e.g. the replica count of a Kubernetes deployment).
 *
 * <p>Called at most once per second per limit, from the threads that take permits: keep it cheap (return a count kept
 * up to date elsewhere), and never block or throw (a failure keeps the last count).
 */
@FunctionalInterface
public interface InstanceRegistry {

    /** The instances that share the limits now, this one included; counts below 1 are read as 1. */
    int liveInstances();

    /**
     * This instance's place among the live ones, {@code 0} to {@code liveInstances() - 1}, when the registry can tell;
     * {@code -1} when it cannot (the default). A limit {@code C} that {@code N} instances do not divide evenly is
     * split by place: the first {@code C mod N} places keep one permit more than {@code C / N} rounded down, so that
     * the shares add up to the limit. Without a place every instance keeps {@code C / N} rounded down.
     */
    default int position() {
        return -1;
    }

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

    /**
     * A count that does not change, and this instance's place in it, e.g. the ordinal of a Kubernetes StatefulSet's
     * pod among its replicas.
     *
     * @param instances at least 1
     * @param position  0 to {@code instances - 1}
     */
    static InstanceRegistry fixed(int instances, int position) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + instances);
        }
        if (position < 0 || position >= instances) {
            throw new IllegalArgumentException("position must be 0 to " + (instances - 1) + ", was " + position);
        }
        return new InstanceRegistry() {
            @Override
            public int liveInstances() {
                return instances;
            }

            @Override
            public int position() {
                return position;
            }
        };
    }
}
