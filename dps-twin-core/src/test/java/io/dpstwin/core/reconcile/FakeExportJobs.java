package io.dpstwin.core.reconcile;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A fake of IoT Hub's import/export job calls on one hub: each poll answers the next scripted state (the last one
 * repeats), and the next start or poll can be made to throw. Records the container URIs it was given.
 */
final class FakeExportJobs implements DeviceExportJobs {

    /** Runs when the job completes, e.g. to write the blob. */
    private final Runnable onCompleted;
    private final Deque<Job.Status> states = new ArrayDeque<>();
    private final Deque<Exception> startFailures = new ArrayDeque<>();
    private final Deque<Exception> pollFailures = new ArrayDeque<>();
    final List<String> containers = Collections.synchronizedList(new ArrayList<>());
    final List<String> polledJobs = Collections.synchronizedList(new ArrayList<>());
    private String failureReason;
    private int started;

    FakeExportJobs(Runnable onCompleted, Job.Status... states) {
        this.onCompleted = onCompleted;
        this.states.addAll(List.of(states));
    }

    FakeExportJobs(Job.Status... states) {
        this(() -> { }, states);
    }

    FakeExportJobs failingWith(String reason) {
        this.failureReason = reason;
        return this;
    }

    FakeExportJobs failNextStart(Exception failure) {
        startFailures.add(failure);
        return this;
    }

    FakeExportJobs failNextPoll(Exception failure) {
        pollFailures.add(failure);
        return this;
    }

    synchronized int started() {
        return started;
    }

    @Override
    public synchronized Job startExport(String outputBlobContainerUri) throws IOException, IotHubException {
        containers.add(outputBlobContainerUri);
        throwNext(startFailures);
        started++;
        return new Job("job-" + started, Job.Status.ENQUEUED, null);
    }

    @Override
    public synchronized Job job(String jobId) throws IOException, IotHubException {
        polledJobs.add(jobId);
        throwNext(pollFailures);
        Job.Status status = states.size() > 1 ? states.poll() : states.peek();
        if (status == Job.Status.COMPLETED) {
            onCompleted.run();
        }
        return new Job(jobId, status, status == Job.Status.FAILED ? failureReason : null);
    }

    private static void throwNext(Deque<Exception> failures) throws IOException, IotHubException {
        Exception next = failures.poll();
        if (next instanceof IOException io) {
            throw io;
        }
        if (next instanceof IotHubException iot) {
            throw iot;
        }
        if (next instanceof RuntimeException runtime) {
            throw runtime;
        }
    }
}
