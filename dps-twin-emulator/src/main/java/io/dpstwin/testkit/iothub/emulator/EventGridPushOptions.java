package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.core.support.Checks;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link EventGridPush} delivers: the webhook, the subscription name, the retry schedule (Event Grid's by
 * default: 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h) and the attempts (30). Tests
 * shorten the schedule with {@link #retryDelays(Duration...)}. Immutable.
 *
 * @param endpoint            the webhook URL
 * @param subscriptionName    the subscription name ({@code aeg-subscription-name})
 * @param retryDelays         the wait before retry n (the last one repeats)
 * @param maxDeliveryAttempts attempts per event
 * @param sslContext          TLS trust for an {@code https} webhook, or {@code null} for the JVM's default
 */
public record EventGridPushOptions(URI endpoint, String subscriptionName, List<Duration> retryDelays,
                                   int maxDeliveryAttempts, SSLContext sslContext) {

    /** Event Grid's documented retry schedule. */
    public static final List<Duration> EVENT_GRID_SCHEDULE = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12));

    public EventGridPushOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the webhook must be an http(s) URL, was " + endpoint);
        }
        Objects.requireNonNull(subscriptionName, "subscriptionName");
        retryDelays = List.copyOf(retryDelays);
        if (retryDelays.isEmpty() || retryDelays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("retryDelays must hold at least one non-negative delay");
        }
        Checks.atLeast(maxDeliveryAttempts, 1, "maxDeliveryAttempts");
    }

    /** Event Grid's defaults for a webhook. */
    public static EventGridPushOptions webhook(URI endpoint) {
        return new EventGridPushOptions(endpoint, "dps-twin-lifecycle", EVENT_GRID_SCHEDULE, 30, null);
    }

    public EventGridPushOptions subscriptionName(String name) {
        return new EventGridPushOptions(endpoint, name, retryDelays, maxDeliveryAttempts, sslContext);
    }

    public EventGridPushOptions retryDelays(Duration... delays) {
        return new EventGridPushOptions(endpoint, subscriptionName, List.of(delays), maxDeliveryAttempts, sslContext);
    }

    public EventGridPushOptions maxDeliveryAttempts(int attempts) {
        return new EventGridPushOptions(endpoint, subscriptionName, retryDelays, attempts, sslContext);
    }

    public EventGridPushOptions sslContext(SSLContext context) {
        return new EventGridPushOptions(endpoint, subscriptionName, retryDelays, maxDeliveryAttempts, context);
    }

    Duration retryDelay(int attempt) {
        return retryDelays.get(Math.min(attempt, retryDelays.size()) - 1);
    }
}
