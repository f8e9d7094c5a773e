package io.dpstwin.core.reconcile;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.support.Checks;
import io.dpstwin.core.internal.support.IotHubClients;
import io.dpstwin.core.support.Json;
import io.dpstwin.core.support.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A {@link DeviceInventory} on IoT Hub's import/export jobs, for hubs whose device query is too slow: a listing by
 * query costs one request per page of up to 1,000 devices against 20 queries per minute per S1 unit, so a hub of a
 * million devices takes 50 minutes of a unit's quota (and the quota is shared with every other query). An export job
 * runs on the hub's side against its own quota instead, and writes the whole registry into a blob.
 *
 * <p>Per hub, {@link #listDevices} returns a cursor whose first {@link DeviceCursor#next()}:
 * <ol>
 *   <li>starts an export job ({@link DeviceExportJobs#startExport}, keys excluded) into the hub's container;</li>
 *   <li>polls it ({@link DeviceExportJobs#job}) every {@link Builder#pollInterval} at first, doubling up to
 *       {@link Builder#maxPollInterval}, until it completed, failed or was cancelled, or {@link Builder#jobTimeout}
 *       passed since it started;</li>
 *   <li>opens the blob it wrote ({@value #DEFAULT_BLOB_NAME}: one JSON object per line, see
 *       <a href="https://learn.microsoft.com/azure/iot-hub/iot-hub-bulk-identity-mgmt">Import and export IoT Hub
 *       device identities in bulk</a>) and reads it line by line with Jackson: one line, one device, never the
 *       whole blob in memory.</li>
 * </ol>
 *
 * <p>A line gives the same {@link DeviceRecord} as the device query's row: {@code id} (the query's
 * {@code deviceId}), {@code tags.dtId}, {@code tags.dtmi}, {@code modelId} when the export carries it, and the latest
 * of {@code statusUpdateTime} and {@code properties.desired.$metadata.$lastUpdated} as the last change. Lines with a
 * {@code moduleId} are modules and are skipped, as are blank lines.
 *
 * <p>Failures:
 * <ul>
 *   <li>throttling, 5xx and I/O failures of the job calls and of opening the blob are transient: the reconciler
 *       retries them, and the cursor resumes where it was (a job already started is polled, not started again);</li>
 *   <li>a job that failed or was cancelled, or did not finish within the job timeout, fails the listing (and so the
 *       run, which then plans nothing) with a {@link DeviceInventoryException} naming the hub and the job id. The
 *       SDK offers no way to cancel a job, so a job that timed out keeps running at the hub, and as a hub runs one
 *       import/export job at a time, the next run may be refused until it ends;</li>
 *   <li>a line that is not a JSON object with an {@code id} fails the listing, naming the hub, the job and the line
 *       number (never the line: a line is device data). Skipping it would leave a device out of the listing and
 *       make its twin look orphaned;</li>
 *   <li>a failure while the blob is being read, after devices were handed out, fails the listing: the cursor
 *       cannot resume in the middle of a blob. The storage SDK already retries each chunk it downloads.</li>
 * </ul>
 *
 * <p>The container SAS URIs given to the builder are never logged, kept in exception messages or shown by
 * {@link #toString()}. Each hub needs its own container (a job always writes {@value #DEFAULT_BLOB_NAME}); the blob
 * stays there after the run and is overwritten by the next export. Needs {@code com.azure:azure-storage-blob} on the
 * class path (an optional dependency of dps-twin-core).
 *
 * <pre>{@code
 * DeviceInventory inventory = ExportedDeviceInventory.builder()
 *         .hub("hub-a.azure-devices.net", DeviceExportJobs.of(registryClientA), containerSasUriA)
 *         .hub("hub-b.azure-devices.net", DeviceExportJobs.of(registryClientB), containerSasUriB)
 *         .jobTimeout(Duration.ofMinutes(30))
 *         .build();
 * }</pre>
 */
public final class ExportedDeviceInventory implements DeviceInventory {

    /** The blob an export job writes into its container. */
    public static final String DEFAULT_BLOB_NAME = "devices.txt";
    /** The first wait before asking for the job's state. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** The longest wait between two requests for the job's state. */
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(30);
    /** How long a job may take from its start to its end. */
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(ExportedDeviceInventory.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    /** The query string of a URI (a SAS token) in text the hub sends back, e.g. a failure reason. */
    private static final Pattern QUERY_STRING = Pattern.compile("\\?[^\\s\"'<>]*");

    /** Opens the exported blob; {@link BlobStorageException}s and I/O failures are classified by the cursor. */
    @FunctionalInterface
    interface BlobSource {
        InputStream open(String blobName) throws IOException;
    }

    private record Hub(String hostName, DeviceExportJobs jobs, String outputContainerUri, BlobSource blob) {
    }

    private final Map<String, Hub> hubs;
    private final Set<String> hostNames;
    private final String blobName;
    private final Duration pollInterval;
    private final Duration maxPollInterval;
    private final Duration jobTimeout;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    private ExportedDeviceInventory(Builder b) {
        if (b.hubs.isEmpty()) {
            throw new IllegalArgumentException("at least one IoT hub is required for the device inventory");
        }
        this.hubs = Collections.unmodifiableMap(new LinkedHashMap<>(b.hubs));
        Set<String> names = new LinkedHashSet<>();
        hubs.values().forEach(hub -> names.add(hub.hostName()));
        this.hostNames = Collections.unmodifiableSet(names);
        this.blobName = b.blobName;
        this.pollInterval = b.pollInterval;
        this.maxPollInterval = b.maxPollInterval;
        this.jobTimeout = b.jobTimeout;
        this.sleeper = b.sleeper;
        this.nanoTime = b.nanoTime;
    }

    /** An empty builder: add every hub with {@link Builder#hub}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Set<String> hubHostNames() {
        return hostNames;
    }

    /** The blob read from each hub's container. */
    public String blobName() {
        return blobName;
    }

    /** The first wait before asking for a job's state. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** The longest wait between two requests for a job's state. */
    public Duration maxPollInterval() {
        return maxPollInterval;
    }

    /** How long a job may take from its start to its end. */
    public Duration jobTimeout() {
        return jobTimeout;
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        Hub hub = IotHubDeviceInventory.hubOf(hubs, hubHostName, hostNames);
        return new ExportCursor(hub);
    }

    @Override
    public String toString() {
        return "ExportedDeviceInventory[hubs=" + hostNames + ", blob=" + blobName + ", jobTimeout=" + jobTimeout + "]";
    }

    /**
     * One hub's listing: start the job, wait for it, then read the blob. Each step keeps its result, so that a call
     * repeated after a transient failure resumes at the step that failed.
     */
    private final class ExportCursor implements DeviceCursor {

        private final Hub hub;
        private String jobId;
        private long startedNanos;
        private Duration nextWait;
        private BufferedReader lines;
        private long lineNumber;
        private boolean done;
        private int requests;

        ExportCursor(Hub hub) {
            this.hub = hub;
        }

        @Override
        public Optional<DeviceRecord> next() {
            if (done) {
                return Optional.empty();
            }
            if (lines == null) {
                if (jobId == null) {
                    start();
                }
                awaitCompletion();
                lines = open();
            }
            return readNext();
        }

        private void start() {
            requests++;
            DeviceExportJobs.Job job;
            try {
                job = hub.jobs().startExport(hub.outputContainerUri());
            } catch (IotHubException | IOException | RuntimeException e) {
                throw failure("could not start a device export job", null, e);
            }
            if (job.jobId().isEmpty()) {
                throw new DeviceInventoryException(hub.hostName(), 0, false, null,
                        "IoT hub '" + hub.hostName() + "' started a device export job without a job id", null);
            }
            jobId = job.jobId();
            startedNanos = nanoTime.getAsLong();
            nextWait = pollInterval;
            LOG.info("Device export job {} started on {}", jobId, hub.hostName());
        }

        private void awaitCompletion() {
            while (true) {
                Duration left = jobTimeout.minusNanos(nanoTime.getAsLong() - startedNanos);
                if (left.isNegative() || left.isZero()) {
                    throw new DeviceInventoryException(hub.hostName(), 0, false, null, "the device export job "
                            + jobId + " of IoT hub '" + hub.hostName() + "' did not finish within " + jobTimeout
                            + "; it keeps running at the hub, which runs one import/export job at a time", null);
                }
                Duration wait = nextWait.compareTo(left) < 0 ? nextWait : left;
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceInventoryException(hub.hostName(), 0, false, null, "waiting for the device "
                            + "export job " + jobId + " of IoT hub '" + hub.hostName() + "' was interrupted", e);
                }
                Duration doubled = nextWait.multipliedBy(2);
                nextWait = doubled.compareTo(maxPollInterval) > 0 ? maxPollInterval : doubled;
                DeviceExportJobs.Job job;
                try {
                    job = hub.jobs().job(jobId);
                } catch (IotHubException | IOException | RuntimeException e) {
                    throw failure("could not report the state of device export job " + jobId, jobId, e);
                }
                switch (job.status()) {
                    case COMPLETED -> {
                        LOG.info("Device export job {} of {} completed", jobId, hub.hostName());
                        return;
                    }
                    case FAILED, CANCELLED -> throw new DeviceInventoryException(hub.hostName(), 0, false, null,
                            "the device export job " + jobId + " of IoT hub '" + hub.hostName() + "' "
                                    + job.status().name().toLowerCase(Locale.ROOT)
                                    + reason(job.failureReason()), null);
                    default -> LOG.debug("Device export job {} of {} is {}", jobId, hub.hostName(), job.status());
                }
            }
        }

        private BufferedReader open() {
            requests++;
            try {
                InputStream in = hub.blob().open(blobName);
                return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (BlobStorageException e) {
                int status = e.getStatusCode();
                boolean transientFailure = status == 429 || status >= 500;
                throw new DeviceInventoryException(hub.hostName(), status, transientFailure, null, "the blob "
                        + blobName + " of device export job " + jobId + " of IoT hub '" + hub.hostName()
                        + "' could not be read: " + status + " " + e.getErrorCode(), e);
            } catch (IOException | RuntimeException e) {
                throw new DeviceInventoryException(hub.hostName(), 0, true, null, "the blob " + blobName
                        + " of device export job " + jobId + " of IoT hub '" + hub.hostName()
                        + "' could not be read: " + e.getClass().getSimpleName(), e);
            }
        }

        private Optional<DeviceRecord> readNext() {
            while (true) {
                String line;
                try {
                    line = lines.readLine();
                } catch (IOException | RuntimeException e) {
                    close();
                    throw new DeviceInventoryException(hub.hostName(), 0, false, null, "reading the blob " + blobName
                            + " of device export job " + jobId + " of IoT hub '" + hub.hostName()
                            + "' failed after line " + lineNumber + ": " + e.getClass().getSimpleName(), e);
                }
                if (line == null) {
                    close();
                    LOG.info("Device export of {} read: {} lines of job {}", hub.hostName(), lineNumber, jobId);
                    return Optional.empty();
                }
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<DeviceRecord> device = parse(line);
                if (device.isPresent()) {
                    return device;
                }
            }
        }

        private Optional<DeviceRecord> parse(String line) {
            JsonNode device;
            try {
                device = JSON.readTree(line);
            } catch (IOException e) {
                device = null;
            }
            if (device == null || !device.isObject() || IotHubDeviceInventory.text(device.get("id")) == null) {
                close();
                throw new DeviceInventoryException(hub.hostName(), 0, false, null, "line " + lineNumber + " of the blob "
                        + blobName + " of device export job " + jobId + " of IoT hub '" + hub.hostName()
                        + "' is not a JSON object with an id", null);
            }
            if (IotHubDeviceInventory.text(device.get("moduleId")) != null) {
                return Optional.empty();
            }
            return Optional.of(record(hub.hostName(), device));
        }

        private void close() {
            done = true;
            try {
                lines.close();
            } catch (IOException e) {
                LOG.debug("Closing the export blob of {} failed: {}", hub.hostName(), e.toString());
            }
        }

        @Override
        public int requestsSent() {
            return requests;
        }

        @Override
        public boolean hasMorePages() {
            return lines == null;
        }

        private DeviceInventoryException failure(String what, String job, Exception e) {
            int status = IotHubDeviceInventory.statusOf(e);
            boolean transientFailure = !(e instanceof IotHubException) || status == 429 || status >= 500;
            String code = e instanceof IotHubException iot && iot.getErrorCode() > 0
                    ? " (errorCode " + iot.getErrorCode() + ")" : "";
            LOG.debug("Device export of {} failed{}: {}{}", hub.hostName(), job == null ? "" : " (job " + job + ")",
                    e.getClass().getSimpleName(), code);
            return new DeviceInventoryException(hub.hostName(), status, transientFailure, null,
                    "IoT hub '" + hub.hostName() + "' " + what + ": " + e.getClass().getSimpleName() + code, e);
        }
    }

    /** One line of an export blob as the record the device query would give. */
    static DeviceRecord record(String hubHostName, JsonNode device) {
        JsonNode tags = device.path("tags");
        Instant lastChanged = IotHubDeviceInventory.latest(
                IotHubDeviceInventory.time(device.get("statusUpdateTime")),
                IotHubDeviceInventory.time(device.get("statusUpdatedTime")),
                IotHubDeviceInventory.time(device.path("properties").path("desired").path("$metadata")
                        .get("$lastUpdated")));
        return new DeviceRecord(hubHostName, IotHubDeviceInventory.text(device.get("id")),
                IotHubDeviceInventory.text(tags.get("dtId")), IotHubDeviceInventory.text(tags.get("dtmi")),
                IotHubDeviceInventory.text(device.get("modelId")), lastChanged);
    }

    /** The hub's failure reason, without any URI query string (a SAS token) it may quote. */
    static String reason(String failureReason) {
        if (failureReason == null || failureReason.isBlank()) {
            return "";
        }
        return ": " + QUERY_STRING.matcher(failureReason.strip()).replaceAll("?...");
    }

    /** Builds an {@link ExportedDeviceInventory}; immutable once built. */
    public static final class Builder {

        private final Map<String, Hub> hubs = new LinkedHashMap<>();
        private final Set<String> containers = new LinkedHashSet<>();
        private String blobName = DEFAULT_BLOB_NAME;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxPollInterval = DEFAULT_MAX_POLL_INTERVAL;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private Sleeper sleeper = Sleeper.system();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /**
         * A hub whose export goes to the container of a SAS URI (read, write and list permissions for as long as a
         * run takes), which is also where the inventory reads it.
         *
         * @param hubHostName     e.g. {@code myhub.azure-devices.net}
         * @param jobs            the hub's job calls, e.g. {@link DeviceExportJobs#of(com.microsoft.azure.sdk.iot.service.registry.RegistryClient)}
         * @param containerSasUri {@code https://account.blob.core.windows.net/container?sv=...&sig=...}; never logged
         */
        public Builder hub(String hubHostName, DeviceExportJobs jobs, String containerSasUri) {
            String uri = requireContainerUri(hubHostName, containerSasUri);
            BlobContainerClient container = new BlobContainerClientBuilder().endpoint(uri).buildClient();
            return hub(hubHostName, jobs, uri, container);
        }

        /**
         * A hub whose export goes to {@code outputContainerUri} and is read through {@code container}, e.g. a hub
         * writing with its managed identity ({@link DeviceExportJobs#withHubIdentity}) to a container the
         * application reads with its own Entra ID credential.
         *
         * @param outputContainerUri the container as the hub is told it (a SAS URI, or the plain URI with the hub's
         *                           identity); never logged
         * @param container          the same container, as the application reads it
         */
        public Builder hub(String hubHostName, DeviceExportJobs jobs, String outputContainerUri,
                           BlobContainerClient container) {
            Objects.requireNonNull(container, "container");
            BlobSource blob = name -> container.getBlobClient(name).openInputStream();
            return hub(hubHostName, jobs, outputContainerUri, blob);
        }

        /** A hub whose blob is opened by {@code blob} (tests). */
        Builder hub(String hubHostName, DeviceExportJobs jobs, String outputContainerUri, BlobSource blob) {
            String hostName = IotHubClients.requireHostName(hubHostName);
            Objects.requireNonNull(jobs, "jobs of " + hostName);
            Objects.requireNonNull(blob, "blob of " + hostName);
            String uri = requireContainerUri(hostName, outputContainerUri);
            if (!containers.add(withoutQuery(uri))) {
                throw new IllegalArgumentException("IoT hub '" + hostName + "' exports to the container of another "
                        + "hub: every hub needs its own, as each export writes " + blobName);
            }
            if (hubs.put(HubNames.normalize(hostName), new Hub(hostName, jobs, uri, blob)) != null) {
                throw new IllegalArgumentException("IoT hub '" + hostName + "' is configured twice");
            }
            return this;
        }

        private static String requireContainerUri(String hubHostName, String uri) {
            Objects.requireNonNull(uri, "container URI of " + hubHostName);
            URI parsed;
            try {
                parsed = URI.create(uri.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the container URI of IoT hub '" + hubHostName
                        + "' is not a URI", null);
            }
            String scheme = parsed.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                    || parsed.getHost() == null) {
                throw new IllegalArgumentException("the container URI of IoT hub '" + hubHostName
                        + "' must be an absolute https URI");
            }
            return uri.strip();
        }

        private static String withoutQuery(String uri) {
            int query = uri.indexOf('?');
            String container = query < 0 ? uri : uri.substring(0, query);
            return container.endsWith("/") ? container.substring(0, container.length() - 1) : container;
        }

        /** The blob an export job writes ({@value #DEFAULT_BLOB_NAME}, which is what IoT Hub writes). */
        public Builder blobName(String blobName) {
            if (blobName == null || blobName.isBlank()) {
                throw new IllegalArgumentException("the blob name must not be blank");
            }
            this.blobName = blobName.strip();
            return this;
        }

        /** The first wait before asking for a job's state (default 2 s); doubles after each answer. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Checks.positive(pollInterval, "pollInterval");
            return this;
        }

        /** The longest wait between two requests for a job's state (default 30 s). */
        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = Checks.positive(maxPollInterval, "maxPollInterval");
            return this;
        }

        /** How long a job may take from its start to its end (default 30 min). */
        public Builder jobTimeout(Duration jobTimeout) {
            this.jobTimeout = Checks.positive(jobTimeout, "jobTimeout");
            return this;
        }

        /** How the inventory waits between polls (tests record the waits). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The monotonic clock the job timeout is measured on (tests). */
        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * @throws IllegalArgumentException when no hub was added, or the longest poll interval is shorter than the
         *                                  first
         */
        public ExportedDeviceInventory build() {
            if (maxPollInterval.compareTo(pollInterval) < 0) {
                throw new IllegalArgumentException("maxPollInterval " + maxPollInterval
                        + " is shorter than pollInterval " + pollInterval);
            }
            return new ExportedDeviceInventory(this);
        }
    }
}
