package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.SettingValues;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.spring.eventhubs.EventHubsLifecycleConsumer;
import io.dpstwin.spring.eventhubs.EventHubsProcessorLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;


/**
 * The Event Hubs consumer of IoT Hub lifecycle events, when {@code azure-messaging-eventhubs} is on the class path
 * and {@code dps-twin.lifecycle.event-hubs.event-hub-name}, {@code .namespace} or {@code .connection-string} is set:
 * an {@link EventProcessorClient} processing batches with {@link EventHubsLifecycleConsumer}, owned by an
 * {@link EventHubsProcessorLifecycle}. The checkpoint store is the application's {@link CheckpointStore} bean, else
 * a blob container ({@code azure-messaging-eventhubs-checkpointstore-blob}) from
 * {@code dps-twin.lifecycle.event-hubs.checkpoint-store.*}.
 */
@AutoConfiguration(after = DpsTwinAutoConfiguration.class)
@ConditionalOnClass(EventProcessorClientBuilder.class)
@ConditionalOnBooleanProperty(name = {"dps-twin.enabled", "dps-twin.lifecycle.event-hubs.enabled"},
        matchIfMissing = true)
@Conditional(DpsTwinEventHubsAutoConfiguration.EventHubsConfigured.class)
public class DpsTwinEventHubsAutoConfiguration {

    static final String PREFIX = "dps-twin.lifecycle.event-hubs";

    /** Any of the properties that say "consume from Event Hubs". */
    static final class EventHubsConfigured extends AnyNestedCondition {

        EventHubsConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(prefix = PREFIX, name = "event-hub-name")
        static final class EventHubName {
        }

        @ConditionalOnProperty(prefix = PREFIX, name = "namespace")
        static final class Namespace {
        }

        @ConditionalOnProperty(prefix = PREFIX, name = "connection-string")
        static final class ConnectionString {
        }
    }

    /** Either way of naming the checkpoint container. */
    static final class BlobContainerConfigured extends AnyNestedCondition {

        BlobContainerConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = PREFIX + ".checkpoint-store", name = "container-url")
        static final class ContainerUrl {
        }

        @ConditionalOnProperty(prefix = PREFIX + ".checkpoint-store", name = "connection-string")
        static final class ConnectionString {
        }
    }

    /** The blob checkpoint store, unless the application defines a {@link CheckpointStore}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({BlobCheckpointStore.class, BlobContainerClientBuilder.class})
    @Conditional(BlobContainerConfigured.class)
    static class BlobCheckpointStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean(CheckpointStore.class)
        BlobCheckpointStore dpsTwinCheckpointStore(CoreOptions options, ObjectProvider<TokenCredential> credential) {
            return new BlobCheckpointStore(checkpointContainer(options, credential).buildAsyncClient());
        }
    }

    /**
     * The blob container of {@code dps-twin.lifecycle.event-hubs.checkpoint-store.*}: checkpoints live there, and so
     * do the reconcile lock of the application's replicas and, unless it has a container of its own, their instance
     * registry.
     *
     * @throws DpsTwinConfigurationException when the settings contradict each other or are malformed
     */
    static BlobContainerClientBuilder checkpointContainer(CoreOptions options,
                                                          ObjectProvider<TokenCredential> credential) {
        SettingValues s = options.values();
        return BlobContainers.builder(PREFIX + ".checkpoint-store", s.get(DpsTwinSettings.CHECKPOINT_URL),
                s.get(DpsTwinSettings.CHECKPOINT_CONNECTION_STRING), s.get(DpsTwinSettings.CHECKPOINT_CONTAINER),
                "holds the checkpoints", credential);
    }

    @Bean
    @ConditionalOnMissingBean
    public EventHubsLifecycleConsumer dpsTwinEventHubsConsumer(LifecycleProcessor processor,
                                                               ObjectProvider<CheckpointStore> checkpointStore,
                                                               ObjectProvider<MeterRegistry> meterRegistry) {
        CheckpointStore store = checkpointStore.getIfUnique();
        if (store == null) {
            throw new DpsTwinConfigurationException(PREFIX + ".checkpoint-store.container-url",
                    "no checkpoint store is configured for the Event Hubs consumer",
                    "Set checkpoint-store.container-url (or connection-string and container-name) under "
                            + PREFIX + ", or define a CheckpointStore bean.");
        }
        return new EventHubsLifecycleConsumer(processor, store, meterRegistry.getIfUnique(() -> Metrics.globalRegistry));
    }

    @Bean
    @ConditionalOnMissingBean
    public EventProcessorClient dpsTwinEventProcessorClient(CoreOptions options,
                                                            EventHubsLifecycleConsumer consumer,
                                                            ObjectProvider<CheckpointStore> checkpointStore,
                                                            ObjectProvider<TokenCredential> credential) {
        SettingValues s = options.values();
        String connection = s.get(DpsTwinSettings.EH_CONNECTION_STRING);
        String namespace = s.get(DpsTwinSettings.EH_NAMESPACE);
        String name = s.get(DpsTwinSettings.EH_NAME);
        EventProcessorClientBuilder builder = new EventProcessorClientBuilder();
        if (connection != null && namespace != null) {
            throw new DpsTwinConfigurationException(PREFIX, "both namespace and connection-string are set",
                    "Give either namespace (reached with the application's credential) or connection-string.");
        }
        if (connection != null) {
            boolean entityPath = connection.toLowerCase(java.util.Locale.ROOT).contains("entitypath=");
            if (!entityPath && name == null) {
                throw missingEventHubName();
            }
            try {
                if (name != null && !entityPath) {
                    builder.connectionString(connection, name);
                } else {
                    builder.connectionString(connection);
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                // The SDK's message may quote the connection string: it is not passed on.
                throw new DpsTwinConfigurationException(PREFIX + ".connection-string",
                        "is not a valid Event Hubs connection string",
                        "Copy the connection string of a shared access policy with Listen rights.");
            }
        } else if (namespace != null) {
            if (name == null) {
                throw missingEventHubName();
            }
            builder.credential(namespace, name, credential.getObject());
        } else {
            throw new DpsTwinConfigurationException(PREFIX + ".namespace", "is not set",
                    "Set namespace (e.g. my-ns.servicebus.windows.net, reached with the application's credential) "
                            + "or connection-string.");
        }
        EventPosition start = "latest".equals(s.get(DpsTwinSettings.EH_INITIAL_POSITION))
                ? EventPosition.latest() : EventPosition.earliest();
        return builder
                .consumerGroup(s.get(DpsTwinSettings.EH_CONSUMER_GROUP))
                .checkpointStore(checkpointStore.getObject())
                .initialPartitionEventPosition(partition -> start)
                .loadBalancingUpdateInterval(s.get(DpsTwinSettings.EH_LOAD_BALANCING))
                .partitionOwnershipExpirationInterval(s.get(DpsTwinSettings.EH_OWNERSHIP_EXPIRATION))
                .processEventBatch(consumer::onBatch, s.get(DpsTwinSettings.EH_MAX_BATCH),
                        s.get(DpsTwinSettings.EH_MAX_WAIT))
                .processError(consumer::onError)
                .buildEventProcessorClient();
    }

    @Bean
    @ConditionalOnMissingBean
    public EventHubsProcessorLifecycle dpsTwinEventHubsLifecycle(EventProcessorClient client,
                                                                 CoreOptions options) {
        return new EventHubsProcessorLifecycle(client, options.values().get(DpsTwinSettings.EH_AUTO_STARTUP));
    }

    private static DpsTwinConfigurationException missingEventHubName() {
        return new DpsTwinConfigurationException(PREFIX + ".event-hub-name", "is not set",
                "Name the event hub IoT Hub routes device lifecycle events to (or use a connection string with "
                        + "EntityPath).");
    }
}
