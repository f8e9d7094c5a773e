package io.dpstwin.spring.webhook;

import io.micrometer.core.instrument.Counter;
import io.dpstwin.spring.metrics.SpringMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.servlet.function.ServerResponse;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

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

    /**
     * The answer {@code answer} gives, or {@code failure}'s answer to what it threw (a bug), counted under
     * {@code endpoint}.
     */
    ServerResponse counted(String endpoint, Supplier<ServerResponse> answer,
                           Function<Throwable, ServerResponse> failure) {
        ServerResponse response;
        try {
            response = answer.get();
        } catch (RuntimeException | Error e) {
            response = failure.apply(e);
        }
        record(endpoint, response.statusCode().value());
        return response;
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
