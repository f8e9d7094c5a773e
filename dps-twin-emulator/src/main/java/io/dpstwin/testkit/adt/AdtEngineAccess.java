package io.dpstwin.testkit.adt;

/**
 * What a fake or emulator built on an {@link AdtEngine} gives tests of its engine: the engine itself, its fault
 * injector and its request counters.
 */
public interface AdtEngineAccess {

    /** The engine holding the state (models, twins, relationships), for options (lag, limits) and inspection. */
    AdtEngine engine();

    /** Fault injection (429 with {@code Retry-After}, 503, latency, dropped connections); off by default. */
    default FaultInjector faults() {
        return engine().faults();
    }

    /** Requests per ADT operation. */
    default RequestCounters counters() {
        return engine().counters();
    }
}
