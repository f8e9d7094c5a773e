package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.eventhubs.EventHubsLifecycleConsumer;
import io.dpstwin.spring.eventhubs.EventHubsProcessorLifecycle;
import io.dpstwin.testkit.iothub.InMemoryCheckpointStore;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.startFailure;
import static org.assertj.core.api.Assertions.assertThat;

class DpsTwinEventHubsAutoConfigurationTest {

    private static final String CONNECTION_STRING = "Endpoint=sb://contoso-ns.servicebus.windows.net/;"
            + "SharedAccessKeyName=listen;SharedAccessKey="
            + java.util.Base64.getEncoder().encodeToString("not-a-real-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinEventHubsAutoConfiguration.class))
            .withBean(DigitalTwinsGateway.class, () -> Mockito.mock(DigitalTwinsGateway.class))
            .withBean(TokenCredential.class, TestCredentials::fixedToken)
            .withPropertyValues("dps-twin.lifecycle.event-hubs.auto-startup=false");

    @Test
    void createsNoConsumerWhenEventHubsIsNotConfigured() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventProcessorClient.class)
                .doesNotHaveBean(EventHubsLifecycleConsumer.class));
    }

    @Test
    void createsNoConsumerWithoutTheEventHubsSdk() {
        runner.withClassLoader(new FilteredClassLoader(EventProcessorClientBuilder.class))
                .withPropertyValues("dps-twin.lifecycle.event-hubs.connection-string=" + CONNECTION_STRING,
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventHubsLifecycleConsumer.class));
    }

    @Test
    void buildsAProcessorFromAConnectionStringAndTheApplicationsCheckpointStore() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        runner.withBean(CheckpointStore.class, () -> store)
                .withPropertyValues("dps-twin.lifecycle.event-hubs.connection-string=" + CONNECTION_STRING,
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle",
                        "dps-twin.lifecycle.event-hubs.consumer-group=dps-twin")
                .run(context -> {
                    assertThat(context).hasSingleBean(EventProcessorClient.class)
                            .hasSingleBean(EventHubsLifecycleConsumer.class)
                            .hasSingleBean(EventHubsProcessorLifecycle.class)
                            .doesNotHaveBean(BlobCheckpointStore.class);
                    assertThat(context.getBean(CheckpointStore.class)).isSameAs(store);
                    EventHubsProcessorLifecycle lifecycle = context.getBean(EventHubsProcessorLifecycle.class);
                    assertThat(lifecycle.isAutoStartup()).isFalse();
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void buildsAProcessorFromANamespaceAndTheCredentialWithABlobCheckpointStore() {
        runner.withPropertyValues("dps-twin.lifecycle.event-hubs.namespace=contoso-ns.servicebus.windows.net",
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle",
                        "dps-twin.lifecycle.event-hubs.checkpoint-store.container-url="
                                + "https://contoso.blob.core.windows.net/checkpoints")
                .run(context -> {
                    assertThat(context).hasSingleBean(EventProcessorClient.class)
                            .hasSingleBean(BlobCheckpointStore.class);
                });
    }

    @Test
    void theLifecycleStartsAndStopsTheApplicationsProcessorWithTheContext() {
        EventProcessorClient client = Mockito.mock(EventProcessorClient.class);
        runner.withBean(EventProcessorClient.class, () -> client)
                .withBean(CheckpointStore.class, InMemoryCheckpointStore::new)
                .withPropertyValues("dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle",
                        "dps-twin.lifecycle.event-hubs.auto-startup=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Mockito.verify(client).start();
                    Mockito.when(client.isRunning()).thenReturn(true);
                    context.close();
                    Mockito.verify(client).stop(Mockito.any());
                });
    }

    @Test
    void failsFastWithoutACheckpointStore() {
        runner.withPropertyValues("dps-twin.lifecycle.event-hubs.connection-string=" + CONNECTION_STRING,
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle")
                .run(context -> startFailure(context, "dps-twin.lifecycle.event-hubs.checkpoint-store.container-url"));
    }

    @Test
    void failsFastWithoutAnEventHubName() {
        runner.withBean(CheckpointStore.class, InMemoryCheckpointStore::new)
                .withPropertyValues("dps-twin.lifecycle.event-hubs.namespace=contoso-ns.servicebus.windows.net")
                .run(context -> startFailure(context, "dps-twin.lifecycle.event-hubs.event-hub-name"));
    }

    @Test
    void anInvalidConnectionStringFailsWithoutBeingQuoted() {
        String broken = "SharedAccessKey=dG9wLXNlY3JldA==;NoEndpoint";
        runner.withBean(CheckpointStore.class, InMemoryCheckpointStore::new)
                .withPropertyValues("dps-twin.lifecycle.event-hubs.connection-string=" + broken,
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle")
                .run(context -> {
                    startFailure(context, "dps-twin.lifecycle.event-hubs.connection-string");
                    assertThat(DpsTwinAutoConfigurationTest.fullMessage(context.getStartupFailure()))
                            .doesNotContain("dG9wLXNlY3JldA==");
                });
    }

    @Test
    void canBeSwitchedOffWhileConfigured() {
        runner.withBean(CheckpointStore.class, InMemoryCheckpointStore::new)
                .withPropertyValues("dps-twin.lifecycle.event-hubs.connection-string=" + CONNECTION_STRING,
                        "dps-twin.lifecycle.event-hubs.event-hub-name=lifecycle",
                        "dps-twin.lifecycle.event-hubs.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventProcessorClient.class));
    }
}
