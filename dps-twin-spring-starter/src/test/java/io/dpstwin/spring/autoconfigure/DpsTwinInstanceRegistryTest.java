package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.dps.DpsRequests;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.startFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The instance registry the rate limiters divide ADT's limits by: a {@link BlobInstanceRegistry} where the replicas
 * share a container, else this instance alone. The storage named here is a closed local port: heartbeats fail at once
 * and are only logged, and a registry that never wrote needs no storage to close.
 */
class DpsTwinInstanceRegistryTest {

    private static final String ENDPOINT = "dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net";
    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    /** A plainly fake key, made at test time, on a port nothing listens on. */
    private static final String STORAGE = Azurite.unreachableConnectionString();
    private static final String STORAGE_KEY = STORAGE.replaceAll(".*AccountKey=([^;]+);.*", "$1");
    private static final String[] CHECKPOINT_CONTAINER = {
            "dps-twin.lifecycle.event-hubs.checkpoint-store.connection-string=" + STORAGE,
            "dps-twin.lifecycle.event-hubs.checkpoint-store.container-name=checkpoints"};
    private static final String REGISTRY = "dps-twin.digital-twins.rate-limits.instance-registry.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class))
            .withPropertyValues(ENDPOINT)
            .withBean(TokenCredential.class, TestCredentials::fixedToken);

    @Test
    void withACheckpointContainerTheReplicasRegisterThereInABlobInstanceRegistry() {
        runner.withPropertyValues(CHECKPOINT_CONTAINER)
                .withPropertyValues("dps-twin.digital-twins.rate-limits.instance-heartbeat=2s")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(InstanceRegistry.class)
                            .hasSingleBean(DpsTwin.class);
                    assertThat(context.getBean(InstanceRegistry.class)).isInstanceOfSatisfying(
                            BlobInstanceRegistry.class, registry -> {
                                assertThat(registry.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
                                assertThat(registry.expiry()).as("three heartbeats").isEqualTo(Duration.ofSeconds(6));
                                assertThat(registry.blobName()).startsWith(BlobInstanceRegistry.DEFAULT_PREFIX);
                                assertThat(registry).hasToString("BlobInstanceRegistry[checkpoints/"
                                        + BlobInstanceRegistry.DEFAULT_PREFIX + ", heartbeat PT2S, expiry PT6S]");
                                assertThat(registry.liveInstances()).as("storage unreachable: alone").isEqualTo(1);
                            });
                });
    }

    @Test
    void aContainerOfItsOwnIsUsedInsteadOfTheCheckpointContainer() {
        runner.withPropertyValues(CHECKPOINT_CONTAINER)
                .withPropertyValues(REGISTRY + "connection-string=" + STORAGE, REGISTRY + "container-name=replicas")
                .run(context -> assertThat(context.getBean(InstanceRegistry.class).toString())
                        .startsWith("BlobInstanceRegistry[replicas/"));
        runner.withPropertyValues(REGISTRY + "connection-string=" + STORAGE, REGISTRY + "container-name=replicas")
                .run(context -> assertThat(context).getBean(InstanceRegistry.class)
                        .isInstanceOf(BlobInstanceRegistry.class));
    }

    @Test
    void withSharingOffWithoutAContainerOrWithoutRateLimitsEachInstanceKeepsTheWholeLimits() {
        for (ApplicationContextRunner alone : new ApplicationContextRunner[]{
                runner.withPropertyValues(CHECKPOINT_CONTAINER)
                        .withPropertyValues("dps-twin.digital-twins.rate-limits.share-between-instances=false"),
                runner,
                runner.withPropertyValues(CHECKPOINT_CONTAINER)
                        .withPropertyValues("dps-twin.digital-twins.rate-limits.enabled=false"),
                runner.withPropertyValues(CHECKPOINT_CONTAINER)
                        .withClassLoader(new FilteredClassLoader("com.azure.storage.blob"))}) {
            alone.run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(InstanceRegistry.class).hasSingleBean(DpsTwin.class);
                InstanceRegistry registry = context.getBean(InstanceRegistry.class);
                assertThat(registry).isNotInstanceOf(BlobInstanceRegistry.class);
                assertThat(registry.liveInstances()).isEqualTo(1);
            });
        }
    }

    @Test
    void theApplicationsInstanceRegistryWinsAndTheDpsTwinAsksIt() {
        AtomicInteger asked = new AtomicInteger();
        InstanceRegistry own = () -> {
            asked.incrementAndGet();
            return 4;
        };
        runner.withPropertyValues(CHECKPOINT_CONTAINER)
                .withPropertyValues("dps-twin.allocation.default-model=" + THERMOSTAT)
                .withBean("myInstances", InstanceRegistry.class, () -> own)
                .withBean(DigitalTwinsGateway.class, () -> Mockito.mock(DigitalTwinsGateway.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(InstanceRegistry.class)
                            .doesNotHaveBean(BlobInstanceRegistry.class).doesNotHaveBean("dpsTwinInstanceRegistry");
                    assertThat(context.getBean(InstanceRegistry.class)).isSameAs(own);
                    assertThat(asked).hasValue(0);
                    context.getBean(DpsAllocationHandler.class)
                            .handle(DpsRequests.group("g").registrationId("dev-1").toJson());
                    assertThat(asked).as("the rate limiters of the DpsTwin count the instances with it")
                            .hasPositiveValue();
                });
    }

    @Test
    void aContainerNamedTwiceOrAHeartbeatUnder100MillisecondsFailsTheStartNamingTheProperty() {
        runner.withPropertyValues(REGISTRY + "connection-string=" + STORAGE, REGISTRY + "container-name=replicas",
                        REGISTRY + "container-url=https://contoso.blob.core.windows.net/replicas")
                .run(context -> assertThat(startFailure(context, REGISTRY + "connection-string").getMessage())
                        .contains("are both set").doesNotContain(STORAGE_KEY));
        runner.withPropertyValues(REGISTRY + "connection-string=" + STORAGE)
                .run(context -> startFailure(context, REGISTRY + "container-name"));
        runner.withPropertyValues("dps-twin.digital-twins.rate-limits.instance-heartbeat=50ms")
                .run(context -> assertThat(startFailure(context, "dps-twin.digital-twins.rate-limits.instance-heartbeat")
                        .getMessage()).contains("at least 100ms"));
    }

    @Test
    void closingTheContextStopsTheHeartbeatsWithoutWaitingForTheUnreachableStorage() {
        long start = System.nanoTime();
        BlobInstanceRegistry[] built = new BlobInstanceRegistry[1];
        runner.withPropertyValues(CHECKPOINT_CONTAINER)
                .withPropertyValues("dps-twin.digital-twins.rate-limits.instance-heartbeat=100ms")
                .run(context -> built[0] = context.getBean(BlobInstanceRegistry.class));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(built[0]::start).as("closed with the context")
                .isInstanceOf(IllegalStateException.class);
    }
}
