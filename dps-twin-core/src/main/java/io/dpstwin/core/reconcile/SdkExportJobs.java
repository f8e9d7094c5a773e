package io.dpstwin.core.reconcile;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryJob;
import com.microsoft.azure.sdk.iot.service.registry.StorageAuthenticationType;

import java.io.IOException;

/** The SDK adapter: one call each, the job mapped to {@link DeviceExportJobs.Job}. */
final class SdkExportJobs implements DeviceExportJobs {

    private final RegistryClient client;
    private final StorageAuthenticationType authentication;

    SdkExportJobs(RegistryClient client, StorageAuthenticationType authentication) {
        this.client = client;
        this.authentication = authentication;
    }

    @Override
    public DeviceExportJobs.Job startExport(String outputBlobContainerUri) throws IOException, IotHubException {
        RegistryJob request = RegistryJob.createForExportJob(outputBlobContainerUri, true, authentication);
        return map(client.exportDevices(request));
    }

    @Override
    public DeviceExportJobs.Job job(String jobId) throws IOException, IotHubException {
        return map(client.getJob(jobId));
    }

    static DeviceExportJobs.Job map(RegistryJob job) {
        Job.Status status = switch (job.getStatus() == null ? RegistryJob.JobStatus.UNKNOWN : job.getStatus()) {
            case ENQUEUED -> Job.Status.ENQUEUED;
            case RUNNING -> Job.Status.RUNNING;
            case COMPLETED -> Job.Status.COMPLETED;
            case FAILED -> Job.Status.FAILED;
            case CANCELLED -> Job.Status.CANCELLED;
            default -> Job.Status.UNKNOWN;
        };
        return new Job(job.getJobId() == null ? "" : job.getJobId(), status, job.getFailureReason());
    }

    @Override
    public String toString() {
        return "DeviceExportJobs[" + authentication + "]";
    }
}
