package io.dpstwin.testkit.iothub.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.internal.Wire;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.SubscriptionValidationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Event Grid event subscription of the emulated hubs' {@code Microsoft.Devices.DeviceCreated} /
 * {@code DeviceDeleted} events with a webhook endpoint, delivering as Event Grid does:
 * <ul>
 *   <li>on creation, the subscription validation handshake: a {@code Microsoft.EventGrid.SubscriptionValidationEvent}
 *       POSTed with {@code aeg-event-type: SubscriptionValidation}; the endpoint must answer 200 with
 *       {@code {"validationResponse":"<validationCode>"}}, else the subscription is not created;</li>
 *   <li>each event POSTed alone in a JSON array (Event Grid schema) with {@code aeg-event-type: Notification},
 *       {@code aeg-subscription-name}, {@code aeg-delivery-count}, {@code aeg-data-version},
 *       {@code aeg-metadata-version};</li>
 *   <li>2xx is delivered; 400, 401, 403 and 413 are not retried (the event is dropped, as without dead-lettering);
 *       any other answer or no answer within 30 s is retried on Event Grid's schedule until the attempts run out.</li>
 * </ul>
 * Only device events reach Event Grid (IoT Hub publishes no module identity events there).
 *
 * @see <a href="https://learn.microsoft.com/azure/event-grid/webhook-event-delivery">Webhook event delivery</a>
 * @see <a href="https://learn.microsoft.com/azure/event-grid/delivery-and-retry">Event Grid message delivery and
 *         retry</a>
 */
public final class EventGridPush implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventGridPush.class);
    private static final Set<Integer> NOT_RETRIED = Set.of(400, 401, 403, 413);

    /** What became of one event. */
    public enum Outcome {
        /** The endpoint answered 2xx. */
        DELIVERED,
        /** The endpoint answered 400, 401, 403 or 413: Event Grid does not retry. */
        DROPPED,
        /** Every attempt failed. */
        EXHAUSTED
    }

    /**
     * One event's delivery.
     *
     * @param eventId    the Event Grid event id
     * @param eventType  e.g. {@code Microsoft.Devices.DeviceDeleted}
     * @param deviceId   the device
     * @param attempts   POSTs made
     * @param lastStatus the last HTTP status (0 when the endpoint could not be reached)
     * @param outcome    what became of it
     */
    public record Delivery(String eventId, String eventType, String deviceId, int attempts, int lastStatus,
                           Outcome outcome) {
    }

    private final EventGridPushOptions options;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Runnable onClose = () -> { };
    private volatile boolean closed;

    private EventGridPush(EventGridPushOptions options) {
        this.options = options;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        SSLContext ssl = options.sslContext();
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-grid-push-" + options.subscriptionName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Creates the subscription: runs the validation handshake against the webhook.
     *
     * @throws IllegalStateException when the endpoint does not answer the handshake as Event Grid requires
     */
    static EventGridPush create(EventGridPushOptions options) {
        EventGridPush push = new EventGridPush(options);
        try {
            push.validate();
        } catch (RuntimeException e) {
            push.close();
            throw e;
        }
        return push;
    }

    private void validate() {
        SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation();
        HttpResponse<String> response;
        try {
            response = post(validation.toJson(), validation.headers(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("Event Grid subscription " + options.subscriptionName()
                    + ": the webhook " + options.endpoint() + " cannot be reached for the validation handshake: "
                    + e.getMessage(), e);
        }
        String answer = null;
        if (response.statusCode() == 200) {
            try {
                JsonNode body = Wire.MAPPER.readTree(response.body());
                answer = body == null ? null : body.path("validationResponse").asText(null);
            } catch (IOException e) {
                answer = null;
            }
        }
        if (!validation.validationCode().equals(answer)) {
            throw new IllegalStateException("Event Grid subscription " + options.subscriptionName() + ": the webhook "
                    + options.endpoint() + " answered the validation handshake with " + response.statusCode()
                    + " and not {\"validationResponse\":\"<validationCode>\"}; Event Grid would not create the "
                    + "subscription");
        }
        LOG.debug("Event Grid subscription {} validated by {}", options.subscriptionName(), options.endpoint());
    }

    /** Queues one event for delivery (device created/deleted only; others are ignored). */
    void publish(IotHubEvent event) {
        if (closed || event.moduleId().isPresent() || !event.type().isLifecycle()) {
            return;
        }
        pending.incrementAndGet();
        try {
            scheduler.execute(() -> attempt(event, 1));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    private void attempt(IotHubEvent event, int attempt) {
        int status = 0;
        try {
            status = post(EventGridEvents.toJson(event), EventGridEvents.notificationHeaders(), attempt - 1)
                    .statusCode();
        } catch (IOException e) {
            LOG.debug("Event Grid delivery of {} to {} failed: {}", event.eventId(), options.endpoint(),
                    e.getMessage());
        }
        Outcome outcome = null;
        if (status >= 200 && status < 300) {
            outcome = Outcome.DELIVERED;
        } else if (NOT_RETRIED.contains(status)) {
            outcome = Outcome.DROPPED;
        } else if (attempt >= options.maxDeliveryAttempts()) {
            outcome = Outcome.EXHAUSTED;
        }
        if (outcome == null) {
            Duration delay = options.retryDelay(attempt);
            try {
                scheduler.schedule(() -> attempt(event, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                outcome = Outcome.EXHAUSTED;
            }
        }
        deliveries.add(new Delivery(event.eventId(), event.eventGridEvent().path("eventType").asText(),
                event.deviceId(), attempt, status, outcome));
        if (outcome != Outcome.DELIVERED) {
            LOG.warn("Event Grid subscription {}: event {} ({} of {}) was not delivered after {} attempt(s), last "
                    + "status {}", options.subscriptionName(), event.eventId(), event.type().opType(),
                    event.deviceId(), attempt, status);
        }
        pending.decrementAndGet();
    }

    private HttpResponse<String> post(String body, Map<String, String> headers, int deliveryCount) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(options.endpoint())
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("aeg-subscription-name", options.subscriptionName().toUpperCase(java.util.Locale.ROOT))
                .header("aeg-delivery-count", Integer.toString(deliveryCount))
                .header("aeg-data-version", "1")
                .header("aeg-metadata-version", "1");
        headers.forEach(request::header);
        requests.incrementAndGet();
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The webhook. */
    public URI endpoint() {
        return options.endpoint();
    }

    /** Events whose delivery has ended (delivered, dropped or exhausted), in the order they ended. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** POSTs made so far, the validation handshake included. */
    public int requests() {
        return requests.get();
    }

    /** Waits until every queued event's delivery has ended; {@code false} on timeout. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    /** Deletes the subscription: later events are not pushed, queued retries are abandoned. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        pending.set(0);
        onClose.run();
    }

    @Override
    public String toString() {
        return "EventGridPush[" + options.subscriptionName() + " -> " + options.endpoint() + "]";
    }
}
