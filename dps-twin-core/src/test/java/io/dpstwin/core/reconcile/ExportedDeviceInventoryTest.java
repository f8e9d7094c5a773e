package io.dpstwin.core.reconcile;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubServerBusyException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.RegistryJob;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.reconcile.DeviceExportJobs.Job.Status;
import io.dpstwin.core.twins.DigitalTwin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The export inventory against a fake of the job API ({@link FakeExportJobs}) and blobs held in memory or piped in.
 * Not covered here: the SDK's job calls over HTTPS (the adapter is two lines; no hub is reachable from the build) and
 * the storage SDK's download (see the Azurite test in the Spring starter).
 */
class ExportedDeviceInventoryTest {

    private static final String HUB = "hub-a.azure-devices.net";
    private static final String OTHER_HUB = "hub-b.azure-devices.net";
    private static final String SAS = "https://account.blob.core.windows.net/export-a?sv=2024-01-01&sp=rwl&sig=c2VjcmV0";
    private static final String OTHER_SAS = "https://account.blob.core.windows.net/export-b?sv=2024-01-01&sig=b3RoZXI";

    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nanos = new AtomicLong();

    /** Waits are recorded and move the fake monotonic clock. */
    private ExportedDeviceInventory.Builder builder() {
        return ExportedDeviceInventory.builder()
                .sleeper(d -> {
                    sleeps.add(d);
                    nanos.addAndGet(d.toNanos());
                })
                .nanoTime(nanos::get);
    }

    private static ExportedDeviceInventory.BlobSource blob(String... lines) {
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return name -> new ByteArrayInputStream(bytes);
    }

    static String line(String id, String dtId, String dtmi, String lastUpdated) {
        return "{\"id\":\"" + id + "\",\"eTag\":\"MA==\",\"status\":\"enabled\",\"authentication\":{\"symmetricKey\":"
                + "{\"primaryKey\":null,\"secondaryKey\":null},\"type\":\"sas\"},\"twinETag\":\"AAAAAAAAAAE=\","
                + "\"tags\":{" + (dtId == null ? "" : "\"dtId\":\"" + dtId + "\"")
                + (dtId != null && dtmi != null ? "," : "") + (dtmi == null ? "" : "\"dtmi\":\"" + dtmi + "\"")
                + "},\"properties\":{\"desired\":{\"$metadata\":{\"$lastUpdated\":\"" + lastUpdated + "\"},"
                + "\"$version\":1},\"reported\":{\"$metadata\":{\"$lastUpdated\":\"0001-01-01T00:00:00Z\"},"
                + "\"$version\":1}},\"capabilities\":{\"iotEdge\":false}}";
    }

    /** A dry run of the thermostat twins in {@code adt} against {@code inventory}, without waiting between retries. */
    private static ReconcileReport dryRun(QueryingFakeGateway adt, DeviceInventory inventory) {
        return Reconciler.builder(adt, inventory)
                .options(ReconcileOptions.builder().deviceModels(ReconcilerTest.THERMOSTAT).build())
                .meterRegistry(new SimpleMeterRegistry())
                .sleeper(d -> { })
                .build()
                .dryRun();
    }

    @Test
    void aCompletedJobsBlobGivesTheDevicesTheQueryWouldGive() {
        FakeExportJobs jobs = new FakeExportJobs(Status.ENQUEUED, Status.RUNNING, Status.RUNNING, Status.COMPLETED);
        String module = "{\"id\":\"gw-1\",\"moduleId\":\"edgeHub\",\"tags\":{}}";
        ExportedDeviceInventory inventory = builder()
                .hub(HUB, jobs, SAS, blob(line("dev-1", "twin-1", "dtmi:com:example:T;1", "2026-12-01T10:00:00Z"),
                        "", module, "{\"id\":\"dev-2\",\"modelId\":\"dtmi:com:example:P;2\",\"tags\":{},"
                                + "\"statusUpdateTime\":\"2026-12-02T08:00:00Z\"}"))
                .build();

        DeviceCursor cursor = inventory.listDevices(HUB);
        assertThat(cursor.hasMorePages()).isTrue();
        List<DeviceRecord> devices = FakeInventory.drain(cursor);

        assertThat(devices).containsExactly(
                new DeviceRecord(HUB, "dev-1", "twin-1", "dtmi:com:example:T;1", null,
                        Instant.parse("2026-12-01T10:00:00Z")),
                new DeviceRecord(HUB, "dev-2", null, null, "dtmi:com:example:P;2",
                        Instant.parse("2026-12-02T08:00:00Z")));
        assertThat(jobs.started()).isOne();
        assertThat(jobs.containers).containsExactly(SAS);
        assertThat(jobs.polledJobs).containsOnly("job-1").hasSize(4);
        assertThat(sleeps).as("2 s doubling").containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16));
        assertThat(cursor.requestsSent()).as("the start and the blob").isEqualTo(2);
        assertThat(cursor.hasMorePages()).isFalse();
        assertThat(cursor.next()).isEmpty();
    }

    @Test
    void anExportLineAndTheQueryRowOfTheSameDeviceGiveTheSameRecord() throws Exception {
        String twin = "{\"deviceId\":\"dev-9\",\"status\":\"enabled\",\"modelId\":\"dtmi:com:example:T;1\","
                + "\"statusUpdateTime\":\"2026-11-30T10:00:00Z\",\"tags\":{\"dtId\":\"t-9\",\"dtmi\":\"dtmi:x:Y;1\"},"
                + "\"properties\":{\"desired\":{\"$metadata\":{\"$lastUpdated\":\"2026-12-01T10:00:00Z\"}}}}";
        String exported = twin.replace("\"deviceId\"", "\"id\"");

        DeviceRecord fromQuery = IotHubDeviceInventory.parse(HUB, twin).orElseThrow();
        DeviceRecord fromExport = ExportedDeviceInventory.record(HUB, io.dpstwin.core.support.Json.MAPPER.readTree(exported));

        assertThat(fromExport).isEqualTo(fromQuery);
        assertThat(fromExport.lastChanged()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void aFailedJobFailsTheListingNamingTheHubAndTheJobWithoutTheSas() {
        FakeExportJobs jobs = new FakeExportJobs(Status.RUNNING, Status.FAILED)
                .failingWith("Could not write to https://account.blob.core.windows.net/export-a?sv=2024&sig=c2VjcmV0 "
                        + "(403)");
        ExportedDeviceInventory inventory = builder().hub(HUB, jobs, SAS, blob(line("dev-1", null, null, "x"))).build();

        assertThatThrownBy(() -> inventory.listDevices(HUB).next())
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.hubHostName()).isEqualTo(HUB);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("job-1").contains(HUB).contains("failed")
                            .contains("Could not write to https://account.blob.core.windows.net/export-a?...")
                            .doesNotContain("sig=").doesNotContain("c2VjcmV0");
                });
    }

    @Test
    void aFailedJobFailsTheRunWhichPlansNothing() {
        FakeExportJobs jobs = new FakeExportJobs(Status.FAILED).failingWith("quota");
        ExportedDeviceInventory inventory = builder()
                .hub(HUB, jobs, SAS, blob(line("dev-1", null, "dtmi:com:example:Thermostat;1", "2026-01-01T00:00:00Z")))
                .build();
        QueryingFakeGateway adt = new QueryingFakeGateway(new ManualClock(Instant.parse("2026-11-26T10:00:00Z")), 10);
        adt.createOrReplaceTwin(DigitalTwin.of("gone", ReconcilerTest.THERMOSTAT));

        ReconcileReport report = dryRun(adt, inventory);

        assertThat(report.status()).isEqualTo(ReconcileStatus.FAILED);
        assertThat(report.planned()).isEmpty();
        assertThat(report.orphans()).isEmpty();
        assertThat(report.error()).contains("job-1").contains(HUB);
        assertThat(jobs.started()).as("a failed job is not started again").isOne();
    }

    @Test
    void aJobThatOutlivesTheTimeoutFailsTheListingAfterBoundedBackoff() {
        FakeExportJobs jobs = new FakeExportJobs(Status.RUNNING);
        ExportedDeviceInventory inventory = builder()
                .pollInterval(Duration.ofSeconds(5)).maxPollInterval(Duration.ofSeconds(20))
                .jobTimeout(Duration.ofMinutes(1))
                .hub(HUB, jobs, SAS, blob())
                .build();

        assertThatThrownBy(() -> inventory.listDevices(HUB).next())
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("job-1").contains(HUB).contains("did not finish within PT1M");
                });
        assertThat(sleeps).as("5, 10, 20, 20, then the 5 s left").containsExactly(Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(5));
        assertThat(sleeps.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aTransientPollFailureLeavesTheCursorOnTheSameJob() {
        FakeExportJobs jobs = new FakeExportJobs(Status.RUNNING, Status.COMPLETED)
                .failNextPoll(new IotHubTooManyRequestsException("throttled"));
        ExportedDeviceInventory inventory = builder().hub(HUB, jobs, SAS, blob(line("dev-1", null, null, "x")))
                .build();
        DeviceCursor cursor = inventory.listDevices(HUB);

        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
            assertThat(e.isTransient()).isTrue();
            assertThat(e.isThrottled()).isTrue();
        });
        assertThat(FakeInventory.drain(cursor)).extracting(DeviceRecord::deviceId).containsExactly("dev-1");
        assertThat(jobs.started()).isOne();
        assertThat(jobs.polledJobs).containsExactly("job-1", "job-1", "job-1");
    }

    @Test
    void theReconcilerRetriesATransientStartAndAPermanentOneFailsAtOnce() {
        FakeExportJobs busy = new FakeExportJobs(Status.COMPLETED)
                .failNextStart(new IotHubServerBusyException("busy"));
        ExportedDeviceInventory inventory = builder().hub(HUB, busy, SAS,
                blob(line("dev-1", null, "dtmi:com:example:Thermostat;1", "2026-01-01T00:00:00Z"))).build();
        QueryingFakeGateway adt = new QueryingFakeGateway(new ManualClock(Instant.parse("2026-11-26T10:00:00Z")), 10);

        ReconcileReport report = dryRun(adt, inventory);

        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.missing()).extracting(MissingTwin::twinId).containsExactly("dev-1");
        assertThat(busy.containers).hasSize(2);

        FakeExportJobs refused = new FakeExportJobs(Status.COMPLETED)
                .failNextStart(new IotHubUnauthorizedException("no"));
        ExportedDeviceInventory unauthorized = builder().hub(HUB, refused, SAS, blob()).build();
        assertThatThrownBy(() -> unauthorized.listDevices(HUB).next())
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("could not start a device export job")
                            .contains("IotHubUnauthorizedException");
                });
    }

    @Test
    void aMalformedLineFailsTheListingWithItsNumberButNotItsContent() {
        FakeExportJobs jobs = new FakeExportJobs(Status.COMPLETED);
        ExportedDeviceInventory inventory = builder().hub(HUB, jobs, SAS, blob(line("dev-1", null, null, "x"),
                line("dev-2", null, null, "x"), "{\"id\":\"dev-3\",\"primaryKey\":\"c2VjcmV0\"", "{\"tags\":{}}"))
                .build();
        DeviceCursor cursor = inventory.listDevices(HUB);

        assertThat(cursor.next()).get().extracting(DeviceRecord::deviceId).isEqualTo("dev-1");
        assertThat(cursor.next()).get().extracting(DeviceRecord::deviceId).isEqualTo("dev-2");
        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
            assertThat(e.isTransient()).as("never end a listing early").isFalse();
            assertThat(e.getMessage()).contains("line 3").contains("job-1").contains(HUB)
                    .doesNotContain("c2VjcmV0").doesNotContain("dev-3");
        });
        assertThat(cursor.next()).as("the cursor is closed").isEmpty();

        DeviceCursor withoutId = builder().hub(HUB, new FakeExportJobs(Status.COMPLETED), SAS,
                blob(line("dev-1", null, null, "x"), "{\"tags\":{}}")).build().listDevices(HUB);
        withoutId.next();
        assertThatThrownBy(withoutId::next).hasMessageContaining("line 2").hasMessageContaining("not a JSON object "
                + "with an id");
    }

    @Test
    void aHundredThousandLineExportIsStreamedAsItArrives() throws Exception {
        int total = 100_000;
        AtomicInteger written = new AtomicInteger();
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream o = out) {
                for (int i = 0; i < total; i++) {
                    o.write((line(String.format("dev-%06d", i), "t-" + i, "dtmi:com:example:T;1",
                            "2026-12-01T10:00:00Z") + "\n").getBytes(StandardCharsets.UTF_8));
                    written.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AtomicInteger opened = new AtomicInteger();
        ExportedDeviceInventory.BlobSource piped = name -> {
            opened.incrementAndGet();
            return in;
        };
        DeviceCursor cursor = builder().hub(HUB, new FakeExportJobs(Status.COMPLETED), SAS, piped).build()
                .listDevices(HUB);

        DeviceRecord first = cursor.next().orElseThrow();
        int writtenAtFirst = written.get();
        long count = 1;
        String last = first.deviceId();
        for (Optional<DeviceRecord> next = cursor.next(); next.isPresent(); next = cursor.next()) {
            count++;
            last = next.get().deviceId();
        }
        writer.get(30, TimeUnit.SECONDS);

        assertThat(first.deviceId()).isEqualTo("dev-000000");
        assertThat(writtenAtFirst).as("the first device came while most of the blob was still unwritten (a 64 KiB "
                + "pipe holds about 130 lines)").isLessThan(1_000);
        assertThat(count).isEqualTo(total);
        assertThat(last).isEqualTo("dev-099999");
        assertThat(opened).hasValue(1);
    }

    @Test
    void aFailureInTheMiddleOfTheBlobEndsTheListing() {
        byte[] head = (line("dev-1", null, null, "x") + "\n").getBytes(StandardCharsets.UTF_8);
        ExportedDeviceInventory.BlobSource breaking = name -> new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at < head.length) {
                    return head[at++];
                }
                throw new IOException("connection reset");
            }
        };
        DeviceCursor cursor = builder().hub(HUB, new FakeExportJobs(Status.COMPLETED), SAS, breaking).build()
                .listDevices(HUB);

        assertThat(cursor.next()).isPresent();
        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
            assertThat(e.isTransient()).as("the cursor cannot resume in the middle of the blob").isFalse();
            assertThat(e.getMessage()).contains("after line 1").contains("job-1");
        });
    }

    @Test
    void theBuilderChecksItsHubsAndNeverShowsTheSas() {
        ExportedDeviceInventory inventory = builder().hub(HUB, new FakeExportJobs(Status.COMPLETED), SAS, blob())
                .hub(OTHER_HUB, new FakeExportJobs(Status.COMPLETED), OTHER_SAS, blob()).build();
        assertThat(inventory.hubHostNames()).containsExactly(HUB, OTHER_HUB);
        assertThat(inventory.toString()).doesNotContain("sig").doesNotContain("account.blob");
        assertThat(inventory.pollInterval()).isEqualTo(ExportedDeviceInventory.DEFAULT_POLL_INTERVAL);
        assertThat(inventory.blobName()).isEqualTo("devices.txt");

        assertThatThrownBy(() -> builder().hub(HUB, new FakeExportJobs(), SAS, blob())
                .hub(OTHER_HUB, new FakeExportJobs(), SAS.replace("sig=", "sig=x"), blob()))
                .hasMessageContaining("container of another hub").hasMessageNotContaining("sig");
        assertThatThrownBy(() -> builder().hub(HUB, new FakeExportJobs(), "not a uri?sig=c2VjcmV0", blob()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> builder().hub(HUB, new FakeExportJobs(), "ftp://x/c?sig=c2VjcmV0", blob()))
                .hasMessageContaining("absolute https URI").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> builder().build()).hasMessageContaining("at least one IoT hub");
        assertThatThrownBy(() -> builder().pollInterval(Duration.ofMinutes(1)).maxPollInterval(Duration.ofSeconds(1))
                .hub(HUB, new FakeExportJobs(), SAS, blob()).build()).hasMessageContaining("maxPollInterval");
        assertThatThrownBy(() -> inventory.listDevices("hub-c.azure-devices.net"))
                .isInstanceOf(DeviceInventoryException.class);
    }

    @Test
    void theSdkAdapterMapsTheJobsStates() {
        RegistryJob job = new RegistryJob();
        job.setJobId("j-1");
        job.setStatus(RegistryJob.JobStatus.FAILED);
        job.setFailureReason("quota");
        assertThat(SdkExportJobs.map(job)).isEqualTo(new DeviceExportJobs.Job("j-1", Status.FAILED, "quota"));
        job.setStatus(null);
        assertThat(SdkExportJobs.map(job).status()).isEqualTo(Status.UNKNOWN);
        assertThat(Status.COMPLETED.isFinal()).isTrue();
        assertThat(Status.RUNNING.isFinal()).isFalse();
    }
}
