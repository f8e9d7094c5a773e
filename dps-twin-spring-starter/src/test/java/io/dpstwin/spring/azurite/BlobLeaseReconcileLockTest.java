package io.dpstwin.spring.azurite;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.reconcile.BlobLeaseReconcileLock;
import io.dpstwin.core.reconcile.ReconcileLock;
import io.dpstwin.core.reconcile.ReconcileLockException;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The blob-lease reconcile lock against Azurite's real lease semantics. */
@AzuriteTest
class BlobLeaseReconcileLockTest {

    private static final Duration LEASE = Duration.ofSeconds(15);

    static BlobClient lockBlob(Azurite azurite, String container) {
        return lockBlob(azurite.connectionString(), container);
    }

    static BlobClient lockBlob(String connectionString, String container) {
        BlobContainerClient client = new BlobContainerClientBuilder().connectionString(connectionString)
                .containerName(container).buildClient();
        return client.getBlobClient("dps-twin/reconcile.lock");
    }

    @Test
    void oneHolderAtATimeAndTheOthersSeeWhoHoldsIt(Azurite azurite) {
        String container = "lock-" + UUID.randomUUID();
        ReconcileLock first = BlobLeaseReconcileLock.of(lockBlob(azurite, container), LEASE, "replica-1");
        ReconcileLock second = BlobLeaseReconcileLock.of(lockBlob(azurite, container), LEASE, "replica-2");

        Optional<ReconcileLock.Held> held = first.tryAcquire();
        assertThat(held).as("the container and the lock blob are created on first use").isPresent();
        assertThat(second.tryAcquire()).isEmpty();
        assertThat(second.holder()).contains("replica-1");

        held.get().close();
        assertThat(held.get().isHeld()).isFalse();
        Optional<ReconcileLock.Held> next = second.tryAcquire();
        assertThat(next).as("released at once, not after the lease ran out").isPresent();
        assertThat(first.holder()).contains("replica-2");
        assertThat(first.tryAcquire()).isEmpty();
        next.get().close();
    }

    @Test
    void theHolderRenewsItsLeaseForAsLongAsTheRunLasts(Azurite azurite) throws Exception {
        String container = "lock-" + UUID.randomUUID();
        ReconcileLock holder = BlobLeaseReconcileLock.of(lockBlob(azurite, container), LEASE, "long-run");
        ReconcileLock other = BlobLeaseReconcileLock.of(lockBlob(azurite, container), LEASE, "other");

        ReconcileLock.Held held = holder.tryAcquire().orElseThrow();
        try {
            Thread.sleep(LEASE.plusSeconds(5).toMillis());
            assertThat(held.isHeld()).isTrue();
            assertThat(other.tryAcquire()).as("still leased one lease duration later").isEmpty();
        } finally {
            held.close();
        }
        Optional<ReconcileLock.Held> after = other.tryAcquire();
        assertThat(after).isPresent();
        after.get().close();
    }

    @Test
    void aKilledHoldersLeaseExpiresAndTheNextRunGoesAhead(Azurite azurite) throws Exception {
        String container = "lock-" + UUID.randomUUID();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolderProcess.class.getName(),
                azurite.connectionString(), container)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals(LockHolderProcess.HELD));
            assertThat(line).as("the holder process took the lock").isEqualTo(LockHolderProcess.HELD);
        }
        ReconcileLock next = BlobLeaseReconcileLock.of(lockBlob(azurite, container), LEASE, "next");
        assertThat(next.tryAcquire()).isEmpty();
        assertThat(next.holder()).contains("killed-holder");

        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        await().atMost(LEASE.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> next.tryAcquire().map(held -> {
                    held.close();
                    return true;
                }).orElse(false));
    }

    @Test
    void anUnreachableStorageIsAnErrorNotAFreeLock() {
        BlobClient nowhere = new BlobContainerClientBuilder()
                .connectionString("DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME
                        + ";AccountKey=" + Azurite.ACCOUNT_KEY + ";BlobEndpoint=http://localhost:9/"
                        + Azurite.ACCOUNT_NAME + ";")
                .containerName("unreachable")
                .retryOptions(new com.azure.storage.common.policy.RequestRetryOptions(
                        com.azure.storage.common.policy.RetryPolicyType.FIXED, 1, 2, 1L, 1L, null))
                .buildClient().getBlobClient("lock");
        ReconcileLock lock = BlobLeaseReconcileLock.of(nowhere, LEASE, "replica");

        assertThatThrownBy(lock::tryAcquire).isInstanceOf(ReconcileLockException.class)
                .hasMessageContaining("could not be leased");
    }

    @Test
    void leasesOutsideWhatBlobStorageAllowsAreRefused(Azurite azurite) {
        BlobClient blob = lockBlob(azurite, "unused");
        assertThatThrownBy(() -> BlobLeaseReconcileLock.of(blob, Duration.ofSeconds(10), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 to 60");
        assertThatThrownBy(() -> BlobLeaseReconcileLock.of(blob, Duration.ofSeconds(61), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobLeaseReconcileLock.of(blob, LEASE, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
