package io.dpstwin.core.internal.support;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * Starts, scopes and stops the flows' Micrometer {@link Observation}s so that a failing observation handler (a
 * tracer, a meter handler) never fails a flow: it is logged once per call and the flow goes on. With
 * {@link ObservationRegistry#NOOP} every call is a no-op.
 */
public final class SafeObservations {

    private static final Logger LOG = LoggerFactory.getLogger(SafeObservations.class);

    private SafeObservations() {
    }

    /**
     * A started observation named {@code name} (the metric name a meter handler uses) with {@code contextualName} (the
     * span name a tracing handler uses), or {@link Observation#NOOP} when starting failed.
     */
    public static Observation start(String name, String contextualName, ObservationRegistry registry) {
        try {
            return Observation.createNotStarted(name, registry).contextualName(contextualName).start();
        } catch (RuntimeException e) {
            LOG.warn("Could not start the {} observation: {}", name, e.toString());
            return Observation.NOOP;
        }
    }

    /** Opens a scope of {@code observation} on this thread, so that work done here is its child. */
    public static Observation.Scope openScope(Observation observation) {
        try {
            return observation.openScope();
        } catch (RuntimeException e) {
            LOG.warn("Could not open an observation scope: {}", e.toString());
            return Observation.Scope.NOOP;
        }
    }

    /**
     * Adds key values, the error if any, and stops {@code observation}.
     *
     * @param keyValues adds low- and high-cardinality key values
     * @param error     the failure to attach, or {@code null}
     */
    public static void stop(Observation observation, Consumer<Observation> keyValues, Throwable error) {
        try {
            keyValues.accept(observation);
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        } catch (RuntimeException e) {
            LOG.warn("Could not stop an observation: {}", e.toString());
        }
    }
}
