package io.dpstwin.core.internal.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Makes room for a meter a rebuilt component registers again. Micrometer keeps the first meter of a name and tags,
 * so a rebuilt stack's gauge or function counter would go on reading the object it replaced (a dead limiter, a
 * closed reconciler), and Micrometer logs a warning; removing the earlier meters first lets the latest one read.
 */
public final class EarlierMeters {

    private EarlierMeters() {
    }

    /**
     * Removes every meter of {@code registry} named {@code name} that carries all of {@code tags} (key, value pairs).
     */
    public static void remove(MeterRegistry registry, String name, String... tags) {
        registry.find(name).tags(Tags.of(tags)).meters().forEach(registry::remove);
    }
}
