package io.dpstwin.spring.azurite;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The instance registry against Azurite: instances count each other, and stop counting the closed and the dead. */
@AzuriteTest
class BlobInstanceRegistryTest {

    private static final String PREFIX = BlobInstanceRegistry.DEFAULT_PREFIX;
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration EXPIRY = Duration.ofSeconds(3);

    private final List<BlobInstanceRegistry> opened = new ArrayList<>();

    @AfterEach
    void closeRegistries() {
        opened.forEach(BlobInstanceRegistry::close);
    }

    private static BlobContainerClient freshContainer(Azurite azurite) {
        return new BlobContainerClientBuilder().connectionString(azurite.connectionString())
                .containerName("instances-" + UUID.randomUUID()).buildClient();
    }

    private BlobInstanceRegistry registry(BlobContainerClient container, String host) {
        return registry(container, host, HEARTBEAT, EXPIRY);
    }

    private BlobInstanceRegistry registry(BlobContainerClient container, String host, Duration heartbeat,
                                          Duration expiry) {
        BlobInstanceRegistry registry = BlobInstanceRegistry.of(container, PREFIX, heartbeat, expiry, host);
        opened.add(registry);
        return registry;
    }

    private static boolean exists(BlobContainerClient container, BlobInstanceRegistry registry) {
        return container.getBlobClient(registry.blobName()).exists();
    }

    @Test
    void threeInstancesCountEachOtherAndOneThatClosesIsNotCountedFromTheOthersNextHeartbeat(Azurite azurite) {
        BlobContainerClient container = freshContainer(azurite);
        BlobInstanceRegistry first = registry(container, "replica-1");
        BlobInstanceRegistry second = registry(container, "replica-2");
        BlobInstanceRegistry third = registry(container, "replica-3");

        assertThat(List.of(first.heartbeat(), second.heartbeat(), third.heartbeat()))
                .as("each counts those registered before it and itself").containsExactly(1, 2, 3);
        assertThat(List.of(first.heartbeat(), second.heartbeat(), third.heartbeat())).containsExactly(3, 3, 3);
        assertThat(first.liveInstances()).isEqualTo(3);
        assertThat(List.of(first.position(), second.position(), third.position()))
                .as("each its own place, so that a limit is split into shares that add up to it")
                .containsExactlyInAnyOrder(0, 1, 2);

        second.close();
        assertThat(exists(container, second)).as("its blob is deleted at once").isFalse();
        assertThat(List.of(first.heartbeat(), third.heartbeat())).containsExactly(2, 2);
        assertThat(List.of(first.position(), third.position())).containsExactlyInAnyOrder(0, 1);
        assertThat(second.heartbeat()).as("a closed registry no longer writes").isEqualTo(3);
        assertThat(exists(container, second)).isFalse();
    }

    @Test
    void anInstanceThatStopsHeartbeatingIsNoLongerCountedOnceItsExpiryHasPassed(Azurite azurite) {
        BlobContainerClient container = freshContainer(azurite);
        BlobInstanceRegistry survivor = registry(container, "survivor");
        BlobInstanceRegistry killed = registry(container, "killed");
        killed.heartbeat();
        long lastBeat = System.nanoTime();
        assertThat(survivor.heartbeat()).isEqualTo(2);

        // the killed instance never heartbeats again, and is not closed
        await().atMost(EXPIRY.plusSeconds(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> survivor.heartbeat() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - lastBeat)).as("counted until its expiry")
                .isGreaterThanOrEqualTo(EXPIRY.minusSeconds(1));
        assertThat(survivor.liveInstances()).isEqualTo(1);
        assertThat(exists(container, killed)).as("its blob stays until ten expiries have passed").isTrue();
    }

    @Test
    void theContainerIsCreatedOnFirstUse(Azurite azurite) {
        BlobContainerClient container = freshContainer(azurite);
        assertThat(container.exists()).isFalse();
        BlobInstanceRegistry registry = registry(container, "replica-1");

        assertThat(registry.heartbeat()).isEqualTo(1);

        assertThat(container.exists()).isTrue();
        assertThat(container.getBlobClient(registry.blobName()).getProperties().getMetadata())
                .containsEntry("host", "replica-1");
        assertThat(registry.blobName()).startsWith(PREFIX);
    }

    @Test
    void aBlobNotWrittenForTenExpiriesIsDeletedByTheNextHeartbeatOfAnotherInstance(Azurite azurite)
            throws InterruptedException {
        BlobContainerClient container = freshContainer(azurite);
        container.create();
        Duration heartbeat = Duration.ofMillis(100);
        Duration expiry = Duration.ofMillis(200);
        BlobInstanceRegistry stale = registry(container, "stale", heartbeat, expiry);
        BlobInstanceRegistry other = registry(container, "other", heartbeat, expiry);
        stale.heartbeat();
        other.heartbeat();
        assertThat(exists(container, stale)).isTrue();
        assertThat(exists(container, other)).isTrue();

        // ten expiries are 2 s; Last-Modified counts whole seconds, so one more
        Thread.sleep(expiry.multipliedBy(10).plusMillis(1_200).toMillis());
        assertThat(other.heartbeat()).isEqualTo(1);

        assertThat(exists(container, stale)).isFalse();
        assertThat(exists(container, other)).isTrue();
    }

    @Test
    void withStorageUnreachableAHeartbeatKeepsTheLastCountWithoutThrowingAndTheCountAnswersAtOnce()
            throws Exception {
        BlobContainerClient nowhere = new BlobContainerClientBuilder()
                .connectionString(Azurite.unreachableConnectionString())
                .containerName("unreachable")
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 2, 1L, 1L, null))
                .buildClient();
        BlobInstanceRegistry registry = registry(nowhere, "replica-1");

        CompletableFuture<Integer> beat = CompletableFuture.supplyAsync(registry::heartbeat);
        long asked = System.nanoTime();
        assertThat(registry.liveInstances()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(100));
        assertThat(beat.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(registry.heartbeat()).as("again, without throwing").isEqualTo(1);

        long closing = System.nanoTime();
        registry.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("nothing written, nothing to delete")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void startedRegistriesHeartbeatOnTheirOwn(Azurite azurite) {
        BlobContainerClient container = freshContainer(azurite);
        BlobInstanceRegistry first = registry(container, "replica-1").start();
        BlobInstanceRegistry second = registry(container, "replica-2").start();
        assertThat(first.start()).as("starting twice is a no-op").isSameAs(first);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> first.liveInstances() == 2 && second.liveInstances() == 2);

        first.close();
        assertThat(exists(container, first)).isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> second.liveInstances() == 1);
    }
}
