package io.dpstwin.spring.webhook;

import io.micrometer.core.instrument.Counter;
import io.dpstwin.spring.metrics.SpringMeters;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;

/**
 * Counts webhook answers: counter {@value io.dpstwin.spring.metrics.SpringMeters#WEBHOOK_REQUESTS} with tags {@code endpoint} ({@code allocation},
 * {@code lifecycle}) and {@code status} (the HTTP status). Refused calls (401, 413) appear here even though they
 * never reach the core flows and their meters.
 */
public final class WebhookMetrics {

    private final MeterRegistry registry;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void record(String endpoint, int status) {
        Counter.builder(SpringMeters.WEBHOOK_REQUESTS)
                .description("Webhook answers by endpoint and HTTP status")
                .tag("endpoint", endpoint)
                .tag("status", String.valueOf(status))
                .register(registry)
                .increment();
    }
}
