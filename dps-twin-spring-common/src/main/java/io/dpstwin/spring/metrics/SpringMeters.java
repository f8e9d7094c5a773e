package io.dpstwin.spring.metrics;

/**
 * The names of the meters the Spring starter records itself, in one place; the core's are in
 * {@link io.dpstwin.core.DpsTwinMeters}. Same scheme: {@code dpstwin.} and dotted lower-case words, each meter
 * registered through its builder with a description.
 */
public final class SpringMeters {

    /** Counter of webhook answers; tags {@code endpoint} ({@code allocation}, {@code lifecycle}), {@code status}. */
    public static final String WEBHOOK_REQUESTS = "dpstwin.webhook.requests";
    /** Counter of Event Hubs batches; tag {@code checkpoint} (whether the batch was checkpointed). */
    public static final String EVENTHUBS_BATCHES = "dpstwin.eventhubs.batches";

    private SpringMeters() {
    }
}
