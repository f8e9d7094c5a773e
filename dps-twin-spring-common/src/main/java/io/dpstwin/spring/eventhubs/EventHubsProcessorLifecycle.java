package io.dpstwin.spring.eventhubs;

import com.azure.messaging.eventhubs.EventProcessorClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * Starts the {@link EventProcessorClient} when the application context has started and stops it first when the
 * context closes, before the lifecycle processor and the ADT client go away. With {@code autoStartup} off, call
 * {@link #start()} yourself.
 */
public class EventHubsProcessorLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EventHubsProcessorLifecycle.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EventProcessorClient client;
    private final boolean autoStartup;

    public EventHubsProcessorLifecycle(EventProcessorClient client, boolean autoStartup) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoStartup = autoStartup;
    }

    @Override
    public void start() {
        if (!client.isRunning()) {
            LOG.info("Starting the Event Hubs consumer of IoT Hub lifecycle events (processor {})",
                    client.getIdentifier());
            client.start();
        }
    }

    @Override
    public void stop() {
        if (client.isRunning()) {
            LOG.info("Stopping the Event Hubs consumer of IoT Hub lifecycle events");
            client.stop(STOP_TIMEOUT);
        }
    }

    @Override
    public boolean isRunning() {
        return client.isRunning();
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** The client it owns. */
    public EventProcessorClient client() {
        return client;
    }
}
