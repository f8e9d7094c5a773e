package io.dpstwin.core.twins;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobContainerCreateOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.dpstwin.core.internal.support.BoundedExecutor;
import io.dpstwin.core.internal.support.HostNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InstanceRegistry} in an Azure Storage container that every instance can reach (the Event Hubs checkpoint
 * container will do). Every {@link #heartbeat() heartbeat} (by default each 5 seconds, once {@link #start() started})
 * an instance writes an empty blob of its own, {@code <prefix><random id>}, and lists the prefix: the instances whose
 * blob was written within the {@link #expiry()} (three heartbeats by default) are live. An instance that closes
 * deletes its blob; one that dies stops writing it, and the others stop counting it within the expiry. Blobs that
 * have not been written for ten expiries are deleted by whoever lists them.
 *
 * <p>Times are compared in the storage service's clock (the blobs' {@code Last-Modified}, to the second), so clock
 * skew between instances does not matter. A heartbeat that fails keeps the last count and is logged once until one
 * succeeds; the limits then stay at the last share, and an adaptive limiter still follows ADT's 429s. Each storage
 * call of a heartbeat may take up to the expiry. Each heartbeat costs one write and one list (paged by 5,000 blobs).
 *
 * <p>Needs {@code com.azure:azure-storage-blob} on the class path (an optional dependency of dps-twin-core; the Event
 * Hubs blob checkpoint store brings it). Thread-safe.
 */
public final class BlobInstanceRegistry implements InstanceRegistry, AutoCloseable {

    /** The blob name prefix by default: {@code dps-twin/instances/}. */
    public static final String DEFAULT_PREFIX = "dps-twin/instances/";
    /** The time between heartbeats by default: 5 seconds. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    /** The metadata key that names the instance's host, for people who list the container. */
    static final String HOST_METADATA = "host";
    /** A blob not written for this many expiries is deleted. */
    static final int FORGET_AFTER_EXPIRIES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(BlobInstanceRegistry.class);

    private final BlobContainerClient container;
    private final String prefix;
    private final Duration heartbeat;
    private final Duration expiry;
    private final String blobName;
    private final String hostName;
    /** One heartbeat at a time; {@link #close()} waits for the one in flight. */
    private final Object lock = new Object();
    /** Guards {@link #scheduler}. */
    private final Object state = new Object();
    private volatile int live = 1;
    private volatile int position = -1;
    private volatile boolean closed;
    private ScheduledExecutorService scheduler;
    /** Guarded by {@link #lock}. */
    private boolean failing;
    /** Guarded by {@link #lock}: whether this instance's blob was ever written. */
    private boolean written;

    private BlobInstanceRegistry(BlobContainerClient container, String prefix, Duration heartbeat, Duration expiry,
                                 String hostName) {
        this.container = container;
        this.prefix = prefix;
        this.heartbeat = heartbeat;
        this.expiry = expiry;
        this.hostName = hostName;
        this.blobName = prefix + UUID.randomUUID();
    }

    /**
     * A registry under {@link #DEFAULT_PREFIX} with the {@link #DEFAULT_HEARTBEAT} and an expiry of three heartbeats,
     * naming this instance's host in the blob's metadata. Call {@link #start()} to begin the heartbeats.
     */
    public static BlobInstanceRegistry of(BlobContainerClient container) {
        return of(container, DEFAULT_HEARTBEAT);
    }

    /**
     * A registry under {@link #DEFAULT_PREFIX} with the given heartbeat and an expiry of three heartbeats, naming this
     * instance's host in the blob's metadata (what the Spring starter and the Functions adapter build from their
     * settings). Call {@link #start()} to begin the heartbeats.
     */
    public static BlobInstanceRegistry of(BlobContainerClient container, Duration heartbeat) {
        Objects.requireNonNull(heartbeat, "heartbeat");
        return of(container, DEFAULT_PREFIX, heartbeat, heartbeat.multipliedBy(3), defaultHostName());
    }

    /**
     * @param container where the instances register (created on first use when missing)
     * @param prefix    the blob name prefix, e.g. {@code dps-twin/instances/}; only this registry's blobs under it
     * @param heartbeat the time between heartbeats, at least 100 ms
     * @param expiry    how long an instance counts after its last heartbeat; longer than {@code heartbeat}
     * @param hostName  how this instance is named in its blob's metadata (no secret)
     */
    public static BlobInstanceRegistry of(BlobContainerClient container, String prefix, Duration heartbeat,
                                          Duration expiry, String hostName) {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(expiry, "expiry");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("the prefix must not be blank");
        }
        if (heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("the heartbeat must be at least 100 ms, not " + heartbeat);
        }
        if (expiry.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("the expiry (" + expiry + ") must be longer than the heartbeat ("
                    + heartbeat + ")");
        }
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("the host name must not be blank");
        }
        return new BlobInstanceRegistry(container, prefix, heartbeat, expiry, hostName.strip());
    }

    /** This process's host name and process id (the replica or instance name on Azure). */
    public static String defaultHostName() {
        return HostNames.thisProcess();
    }

    /**
     * Begins the heartbeats on a daemon thread of its own, the first one at once. Until it succeeds, the count is
     * the last one known (1 at first). Starting twice is a no-op.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public BlobInstanceRegistry start() {
        synchronized (state) {
            if (closed) {
                throw new IllegalStateException("the instance registry is closed");
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(
                        BoundedExecutor.daemonThreads("dpstwin-instance-registry-"));
                scheduler.scheduleWithFixedDelay(this::heartbeat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    @Override
    public int liveInstances() {
        return live;
    }

    /** This instance's place in the name order of the live instances' blobs at the last heartbeat (-1 before it). */
    @Override
    public int position() {
        return position;
    }

    /** The time between heartbeats. */
    public Duration heartbeatInterval() {
        return heartbeat;
    }

    /** How long an instance counts after its last heartbeat. */
    public Duration expiry() {
        return expiry;
    }

    /** The name of this instance's blob in the container. */
    public String blobName() {
        return blobName;
    }

    /**
     * Writes this instance's blob and counts the live instances; never throws (a failure keeps the last count and
     * is logged). {@link #start()} calls it on its own thread; call it directly to count now.
     *
     * @return the live instances, this one included
     */
    public int heartbeat() {
        synchronized (lock) {
            if (closed) {
                return live;
            }
            try {
                OffsetDateTime now = write();
                written = true;
                OffsetDateTime liveSince = now.minus(expiry);
                OffsetDateTime forgetBefore = now.minus(expiry.multipliedBy(FORGET_AFTER_EXPIRIES));
                List<String> names = new ArrayList<>();
                for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), expiry)) {
                    OffsetDateTime modified = item.getProperties() == null ? null
                            : item.getProperties().getLastModified();
                    if (item.getName().equals(blobName) || (modified != null && !modified.isBefore(liveSince))) {
                        names.add(item.getName());
                    } else if (modified != null && modified.isBefore(forgetBefore)) {
                        forget(item.getName());
                    }
                }
                if (!names.contains(blobName)) {
                    names.add(blobName);  // listed before the write became visible
                }
                Collections.sort(names);
                position = names.indexOf(blobName);
                live = names.size();
                if (failing) {
                    failing = false;
                    LOG.info("The instance registry in container {} answers again: {} live instance(s)",
                            container.getBlobContainerName(), live);
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.warn("The instance registry in container {} could not be updated ({}); the ADT limits stay "
                                    + "divided by the last count, {}, until it can", container.getBlobContainerName(),
                            describe(e), live);
                }
            }
            return live;
        }
    }

    /** Writes this instance's empty blob; the time it was written, in the service's clock. */
    private OffsetDateTime write() {
        BlockBlobClient blob = container.getBlobClient(blobName).getBlockBlobClient();
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(new byte[0]))
                .setMetadata(Map.of(HOST_METADATA, hostName));
        try {
            return blob.uploadWithResponse(upload, expiry, Context.NONE).getValue().getLastModified();
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
        }
        container.createIfNotExistsWithResponse(new BlobContainerCreateOptions(), expiry, Context.NONE);
        return blob.uploadWithResponse(upload, expiry, Context.NONE).getValue().getLastModified();
    }

    private void forget(String name) {
        try {
            delete(name, expiry);
        } catch (RuntimeException e) {
            LOG.debug("A stale instance blob, {}, could not be deleted: {}", name, describe(e));
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof BlobStorageException s ? s.getStatusCode() + " " + s.getErrorCode()
                : e.getClass().getSimpleName();
    }

    private void delete(String name, Duration timeout) {
        container.getBlobClient(name).deleteIfExistsWithResponse(null, new BlobRequestConditions(), timeout,
                Context.NONE);
    }

    /**
     * Stops the heartbeats (interrupting one in flight) and deletes this instance's blob, if it was ever written, so
     * that the others stop counting it at once. The delete may take up to one heartbeat interval.
     */
    @Override
    public void close() {
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        synchronized (lock) {
            if (!written) {
                return;
            }
        }
        try {
            delete(blobName, heartbeat);
        } catch (RuntimeException e) {
            LOG.debug("This instance's registry blob could not be deleted ({}); the others stop counting it within {}",
                    describe(e), expiry);
        }
    }

    @Override
    public String toString() {
        return "BlobInstanceRegistry[" + container.getBlobContainerName() + "/" + prefix + ", heartbeat " + heartbeat
                + ", expiry " + expiry + "]";
    }
}
