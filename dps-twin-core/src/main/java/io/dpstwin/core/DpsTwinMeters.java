package io.dpstwin.core;

/**
 * The names of every Micrometer meter the core records, in one place. One scheme: {@code dpstwin.} followed by
 * dotted lower-case words (registries that want another form, such as Prometheus' {@code dpstwin_adt_requests},
 * convert it themselves). Every meter is registered with its builder ({@code Counter.builder(name)...register}),
 * description included. The Spring starter's own meters are in its {@code SpringMeters}.
 */
public final class DpsTwinMeters {

    /** Counter of allocation answers; tags {@code outcome}, {@code reason}, {@code status}. */
    public static final String ALLOCATIONS = "dpstwin.allocations";
    /** Timer of allocation requests; tag {@code outcome}. */
    public static final String ALLOCATION_DURATION = "dpstwin.allocation.duration";

    /** Counter of lifecycle events by outcome; tags {@code outcome}, {@code reason}. */
    public static final String LIFECYCLE_EVENTS = "dpstwin.lifecycle.events";
    /** Timer of lifecycle events; tag {@code outcome}. */
    public static final String LIFECYCLE_EVENT_DURATION = "dpstwin.lifecycle.event.duration";
    /** Counter of events handed to the dead-letter sink; tag {@code reason}. */
    public static final String LIFECYCLE_DEAD_LETTERS = "dpstwin.lifecycle.dead.letters";

    /** Counter of reconcile runs; tags {@code mode}, {@code status}. */
    public static final String RECONCILE_RUNS = "dpstwin.reconcile.runs";
    /** Timer of reconcile runs; tag {@code mode}. */
    public static final String RECONCILE_DURATION = "dpstwin.reconcile.duration";
    /** Gauge of the drift the last run found; tag {@code kind}. */
    public static final String RECONCILE_DRIFT = "dpstwin.reconcile.drift";
    /** Counter of repair actions; tags {@code action}, {@code outcome}. */
    public static final String RECONCILE_ACTIONS = "dpstwin.reconcile.actions";
    /** Gauges of the run in progress, else of the last run (tag {@code kind}). */
    public static final String RECONCILE_PROGRESS = "dpstwin.reconcile.progress";

    /** Timer of every ADT request attempt; tags {@code operation}, {@code status}. */
    public static final String ADT_REQUESTS = "dpstwin.adt.requests";

    /**
     * Gauge of the requests per second a client-side ADT limiter allows now (its ceiling unless the service has
     * throttled it); tag {@code limit}.
     */
    public static final String ADT_ALLOWED_RATE = "dpstwin.adt.allowed.rate";

    /**
     * Gauge of the instances that share the ADT instance's limits, as this process's limiters last counted them from
     * its {@link io.dpstwin.core.twins.InstanceRegistry} (1 without one).
     */
    public static final String ADT_INSTANCES = "dpstwin.adt.instances";

    /**
     * Counter of retried actions that ended where resilience4j's {@code resilience4j.retry.calls} cannot see them (the
     * total-time budget, an interrupted wait); tags {@code retry}, {@code outcome}.
     */
    public static final String RETRY_CALLS = "dpstwin.retry.calls";
    /** Counter of attempts repeated after a retryable failure; tag {@code retry}. */
    public static final String RETRY_RETRIES = "dpstwin.retry.retries";

    private DpsTwinMeters() {
    }
}
