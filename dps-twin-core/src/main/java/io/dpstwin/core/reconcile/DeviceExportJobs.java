package io.dpstwin.core.reconcile;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.registry.StorageAuthenticationType;

import java.io.IOException;
import java.util.Objects;

/**
 * The two IoT Hub import/export job calls {@link ExportedDeviceInventory} needs, on one hub: start an export of the
 * identity registry into a blob container, and read a job's state. The production implementations are thin adapters
 * over {@code iot-service-client}'s {@link RegistryClient} ({@link #of(RegistryClient)},
 * {@link #withHubIdentity(RegistryClient)}); tests use a fake.
 *
 * <p>Failures are the SDK's: {@link IotHubException} subclasses (throttling, 5xx, 401, 409, ...) and
 * {@link IOException}; the inventory decides which are transient, as for the device query.
 */
public interface DeviceExportJobs {

    /**
     * Starts an export job writing every device of the hub, without keys, to {@code devices.txt} in the container.
     *
     * @param outputBlobContainerUri the container the hub writes to: a container SAS URI with write permission, or the
     *                               plain container URI when the hub writes with its managed identity
     * @return the job as the hub accepted it (its id, usually {@link Job.Status#ENQUEUED})
     */
    Job startExport(String outputBlobContainerUri) throws IOException, IotHubException;

    /** The state of a job started by {@link #startExport}. */
    Job job(String jobId) throws IOException, IotHubException;

    /**
     * An import/export job as the hub reports it.
     *
     * @param jobId         the job's id
     * @param status        its state
     * @param failureReason why it failed, as the hub says, or {@code null}
     */
    record Job(String jobId, Status status, String failureReason) {

        public Job {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(status, "status");
        }

        /** The states of an import/export job. */
        public enum Status {
            ENQUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, UNKNOWN;

            /** Whether the job will not change any more. */
            public boolean isFinal() {
                return this == COMPLETED || this == FAILED || this == CANCELLED;
            }
        }
    }

    /**
     * Jobs on {@code client}'s hub, writing to the container through the SAS token in its URI
     * ({@code RegistryClient.exportDevices(containerSasUri, excludeKeys = true)}).
     */
    static DeviceExportJobs of(RegistryClient client) {
        Objects.requireNonNull(client, "client");
        return new SdkExportJobs(client, StorageAuthenticationType.KEY);
    }

    /**
     * Jobs on {@code client}'s hub, writing to the container with the hub's system-assigned managed identity (which
     * needs the "Storage Blob Data Contributor" role on the container); the container URI then carries no SAS.
     */
    static DeviceExportJobs withHubIdentity(RegistryClient client) {
        Objects.requireNonNull(client, "client");
        return new SdkExportJobs(client, StorageAuthenticationType.IDENTITY);
    }
}
