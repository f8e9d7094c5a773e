package io.dpstwin.spring.webhook;

import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;

/**
 * Counts webhook answers: counter {@value #REQUESTS} with tags {@code endpoint} ({@code allocation},
 * {@code lifecycle}) and {@code status} (the HTTP status). Refused calls (401, 413) appear here even though they
 * never reach the core flows and their meters.
 */
public final class WebhookMetrics {

    /** The counter's name. */
    public static final String REQUESTS = "dpstwin.webhook.requests";

    private final MeterRegistry registry;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void record(String endpoint, int status) {
        registry.counter(REQUESTS, "endpoint", endpoint, "status", String.valueOf(status)).increment();
    }
}
