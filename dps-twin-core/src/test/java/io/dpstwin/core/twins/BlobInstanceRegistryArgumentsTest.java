package io.dpstwin.core.twins;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link BlobInstanceRegistry#of} accepts; building one does no I/O (the storage account here does not exist). */
class BlobInstanceRegistryArgumentsTest {

    private static final BlobContainerClient CONTAINER = new BlobContainerClientBuilder()
            .connectionString("DefaultEndpointsProtocol=https;AccountName=nosuchaccount;AccountKey="
                    + java.util.Base64.getEncoder().encodeToString("not-a-real-key".getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII))
                    + ";EndpointSuffix=core.windows.net")
            .containerName("instances").buildClient();
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void refusesABlankPrefix() {
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, " ", SECOND, SECOND.multipliedBy(3), "host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    }

    @Test
    void refusesAHeartbeatUnder100Milliseconds() {
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, "p/", Duration.ofMillis(99), SECOND, "host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 100 ms");
        assertThat(BlobInstanceRegistry.of(CONTAINER, "p/", Duration.ofMillis(100), Duration.ofMillis(101), "host")
                .heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refusesAnExpiryNotLongerThanTheHeartbeat() {
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, "p/", SECOND, SECOND, "host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be longer than the heartbeat");
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, "p/", SECOND, Duration.ofMillis(500), "host"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesABlankHostNameAndMissingArguments() {
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, "p/", SECOND, SECOND.multipliedBy(3), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host name");
        assertThatThrownBy(() -> BlobInstanceRegistry.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BlobInstanceRegistry.of(CONTAINER, "p/", null, SECOND, "host"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theDefaultsAreAFiveSecondHeartbeatAndThreeHeartbeatsOfExpiryUnderTheDefaultPrefix() {
        BlobInstanceRegistry registry = BlobInstanceRegistry.of(CONTAINER);
        assertThat(registry.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(registry.expiry()).isEqualTo(Duration.ofSeconds(15));
        assertThat(registry.blobName()).startsWith("dps-twin/instances/")
                .isNotEqualTo(BlobInstanceRegistry.of(CONTAINER).blobName());
        assertThat(registry.liveInstances()).as("alone until a heartbeat counts the others").isEqualTo(1);

        BlobInstanceRegistry fromSettings = BlobInstanceRegistry.of(CONTAINER, Duration.ofSeconds(2));
        assertThat(fromSettings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromSettings.expiry()).as("three heartbeats").isEqualTo(Duration.ofSeconds(6));
        assertThat(fromSettings.blobName()).startsWith(BlobInstanceRegistry.DEFAULT_PREFIX);
    }

    @Test
    void aClosedRegistryCannotStartAndClosingOneThatNeverWroteNeedsNoStorage() {
        BlobInstanceRegistry registry = BlobInstanceRegistry.of(CONTAINER, "p/", SECOND, SECOND.multipliedBy(3),
                "host");
        long closing = System.nanoTime();
        registry.close();
        registry.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofMillis(500));
        assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(registry.heartbeat()).as("a closed registry keeps its count without writing").isEqualTo(1);
    }
}
