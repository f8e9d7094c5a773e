package io.dpstwin.core.reconcile;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.dpstwin.core.internal.support.BoundedExecutor;
import io.dpstwin.core.internal.support.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link ReconcileLock} on an Azure Storage blob lease, for replicas that share a storage account (the one that
 * holds the Event Hubs checkpoints will do). The holder takes a lease of {@link #leaseDuration()} on one blob (created
 * empty if missing), renews it every third of that while its run lasts, and releases it at the end. A holder that dies
 * stops renewing, so its lease expires after at most one lease duration and the next run elsewhere goes ahead.
 *
 * <p>Blob leases last 15 to 60 seconds (or forever, which a dead holder would never give back), and a second
 * {@code Acquire Lease} on a leased blob fails with 409 {@code LeaseAlreadyPresent}
 * (<a href="https://learn.microsoft.com/rest/api/storageservices/lease-blob">Lease Blob</a>). The holder's name is
 * kept in the blob's metadata, so that a replica that is refused can say who runs.
 *
 * <p>Needs {@code com.azure:azure-storage-blob} on the class path (an optional dependency of dps-twin-core; the
 * Event Hubs blob checkpoint store brings it).
 */
public final class BlobLeaseReconcileLock implements ReconcileLock {

    /** The default lease: 30 s, renewed every 10 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    static final String HOLDER_METADATA = "holder";
    static final String ACQUIRED_METADATA = "acquiredat";

    private static final Logger LOG = LoggerFactory.getLogger(BlobLeaseReconcileLock.class);

    private final BlobClient blob;
    private final Duration leaseDuration;
    private final String holderName;
    private final ScheduledExecutorService renewer;

    private BlobLeaseReconcileLock(BlobClient blob, Duration leaseDuration, String holderName) {
        this.blob = blob;
        this.leaseDuration = leaseDuration;
        this.holderName = holderName;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                BoundedExecutor.daemonThreads("dpstwin-reconcile-lease-"));
    }

    /**
     * A lock on {@code blob} with the {@link #DEFAULT_LEASE}, naming this process by its host name.
     *
     * @param blob the lock blob, e.g. {@code containerClient.getBlobClient("dps-twin/reconcile.lock")}
     */
    public static BlobLeaseReconcileLock of(BlobClient blob) {
        return of(blob, DEFAULT_LEASE, defaultHolderName());
    }

    /**
     * @param blob          the lock blob
     * @param leaseDuration between 15 and 60 seconds
     * @param holderName    how this process is named to the others (no secret: it is stored in the blob metadata)
     */
    public static BlobLeaseReconcileLock of(BlobClient blob, Duration leaseDuration, String holderName) {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.compareTo(Duration.ofSeconds(15)) < 0 || leaseDuration.compareTo(Duration.ofSeconds(60)) > 0
                || leaseDuration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("a blob lease lasts 15 to 60 whole seconds, not " + leaseDuration);
        }
        if (holderName == null || holderName.isBlank()) {
            throw new IllegalArgumentException("the holder name must not be blank");
        }
        return new BlobLeaseReconcileLock(blob, leaseDuration, holderName.strip());
    }

    /** The name of this process in the lock's metadata: its host name (the replica or instance name on Azure). */
    public static String defaultHolderName() {
        return HostNames.thisProcess();
    }

    /** How long a lease lasts unless renewed. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    @Override
    public Optional<Held> tryAcquire() {
        BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(blob)
                .leaseId(UUID.randomUUID().toString()).buildClient();
        String leaseId;
        try {
            leaseId = acquire(lease);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 && BlobErrorCode.LEASE_ALREADY_PRESENT.equals(e.getErrorCode())) {
                return Optional.empty();
            }
            throw new ReconcileLockException("the reconcile lock blob " + blob.getBlobName() + " could not be leased: "
                    + e.getStatusCode() + " " + e.getErrorCode(), e);
        } catch (RuntimeException e) {
            throw new ReconcileLockException("the reconcile lock blob " + blob.getBlobName() + " could not be leased: "
                    + e.getClass().getSimpleName(), e);
        }
        try {
            blob.setMetadataWithResponse(Map.of(HOLDER_METADATA, holderName, ACQUIRED_METADATA,
                    Instant.now().toString()), new BlobRequestConditions().setLeaseId(leaseId), null, Context.NONE);
        } catch (RuntimeException e) {
            LOG.debug("The reconcile lock's holder name could not be written: {}", e.toString());
        }
        return Optional.of(new Lease(lease));
    }

    private String acquire(BlobLeaseClient lease) {
        int seconds = (int) leaseDuration.toSeconds();
        try {
            return lease.acquireLease(seconds);
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
        }
        // The lock blob (or its container) does not exist yet: create it, empty, then lease it.
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(createBlob())) {
            blob.getContainerClient().createIfNotExists();
            createBlob();
        }
        return lease.acquireLease(seconds);
    }

    /** Creates the empty blob unless it exists; the error code when the container is missing, else {@code null}. */
    private BlobErrorCode createBlob() {
        try {
            blob.upload(BinaryData.fromBytes(new byte[0]), false);
            return null;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409) {
                return null;
            }
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                return e.getErrorCode();
            }
            throw e;
        }
    }

    @Override
    public Optional<String> holder() {
        try {
            return Optional.ofNullable(blob.getProperties().getMetadata().get(HOLDER_METADATA));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A lease held by this process, renewed until closed. */
    private final class Lease implements Held {

        private final BlobLeaseClient lease;
        private final AtomicBoolean held = new AtomicBoolean(true);
        private final ScheduledFuture<?> renewal;

        Lease(BlobLeaseClient lease) {
            this.lease = lease;
            long every = leaseDuration.toMillis() / 3;
            this.renewal = renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private void renew() {
            if (!held.get()) {
                return;
            }
            try {
                lease.renewLease();
            } catch (RuntimeException e) {
                held.set(false);
                renewal.cancel(false);
                LOG.warn("The reconcile lock's lease on {} could not be renewed ({}): another instance may start a "
                        + "run once it expires", blob.getBlobName(), e.getClass().getSimpleName()
                        + (e instanceof BlobStorageException s ? " " + s.getStatusCode() + " " + s.getErrorCode() : ""));
            }
        }

        @Override
        public boolean isHeld() {
            return held.get();
        }

        @Override
        public void close() {
            renewal.cancel(false);
            if (!held.getAndSet(false)) {
                return;
            }
            try {
                lease.releaseLease();
            } catch (RuntimeException e) {
                LOG.warn("The reconcile lock's lease on {} could not be released; it expires within {} s",
                        blob.getBlobName(), leaseDuration.toSeconds());
            }
        }
    }
}
