package io.dpstwin.functions;

import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.dpstwin.functions.FunctionsInstanceRegistryTest.REGISTRY;
import static io.dpstwin.functions.FunctionsInstanceRegistryTest.registryOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The instance registries of two Functions processes, on Azurite. */
@AzuriteTest
class FunctionsInstanceRegistryOnAzuriteTest {

    @Test
    void twoProcessesThatShareAContainerCountEachOther(Azurite azurite) throws InterruptedException {
        String[] container = {REGISTRY + "CONNECTIONSTRING", azurite.connectionString(), REGISTRY + "CONTAINERNAME",
                "replicas-" + UUID.randomUUID(), "DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEHEARTBEAT", "200ms"};
        BlobInstanceRegistry first = (BlobInstanceRegistry) registryOf(UnreachableAdt.factory(container).build(),
                UnreachableAdt.settings(container));
        BlobInstanceRegistry second = (BlobInstanceRegistry) registryOf(UnreachableAdt.factory(container).build(),
                UnreachableAdt.settings(container));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((first.liveInstances() != 2 || second.liveInstances() != 2) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(first.liveInstances()).as("started: they heartbeat on their own").isEqualTo(2);
            assertThat(second.liveInstances()).isEqualTo(2);
        } finally {
            first.close();
            second.close();
        }
    }
}
