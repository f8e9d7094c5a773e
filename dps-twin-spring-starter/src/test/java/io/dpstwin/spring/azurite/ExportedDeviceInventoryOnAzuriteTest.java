package io.dpstwin.spring.azurite;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceExportJobs;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.reconcile.ExportedDeviceInventory;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.azurite.Azurite;
import io.dpstwin.testkit.azurite.AzuriteTest;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.registry.RegisteredDevice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The export inventory reading its blob from Azurite through a container SAS URI, the job API faked (no IoT hub runs
 * export jobs here: neither Azure nor the emulator). The fake job writes {@code devices.txt} through the same SAS, as
 * the hub would, from the devices of the hub emulator's registry; the query-based inventory lists the same registry
 * through the official SDK's device query, and both give the same records and the same dry-run plan.
 */
@AzuriteTest
class ExportedDeviceInventoryOnAzuriteTest {

    private static final String HUB = "contoso-export.azure-devices.net";
    private static final String THERMOSTAT = "dtmi:com:example:export:Thermostat;1";
    private static final String MODEL = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + THERMOSTAT + "\","
            + "\"@type\":\"Interface\",\"contents\":[{\"@type\":\"Property\",\"name\":\"t\",\"schema\":\"double\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    static IotHubEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = IotHubEmulator.builder().hub(HUB).start();
        emulator.trustForServiceClients();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** A new container and a SAS URI on it with the permissions an export job needs. */
    static String containerSasUri(Azurite azurite) {
        BlobContainerClient admin = new BlobContainerClientBuilder().connectionString(azurite.connectionString())
                .containerName("export-" + UUID.randomUUID()).buildClient();
        admin.create();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true).setWritePermission(true)
                        .setCreatePermission(true).setListPermission(true)));
        return admin.getBlobContainerUrl() + "?" + sas;
    }

    /** One line of an export blob, in the format IoT Hub writes ({@code id}, {@code tags}, desired metadata). */
    static String exportLine(RegisteredDevice device) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", device.deviceId());
        line.put("eTag", device.etag());
        line.put("status", device.enabled() ? "enabled" : "disabled");
        line.putObject("authentication").put("type", "sas").putObject("symmetricKey")
                .putNull("primaryKey").putNull("secondaryKey");
        line.put("twinETag", device.twinEtag());
        line.set("tags", JSON.valueToTree(device.tags()));
        if (device.modelId() != null) {
            line.put("modelId", device.modelId());
        }
        line.putObject("properties").putObject("desired").put("$version", 1).putObject("$metadata")
                .put("$lastUpdated", device.lastChanged().toString());
        return line.toString();
    }

    /** Export jobs that complete on the second poll, writing the emulator registry's devices through the SAS. */
    static final class FakeJobs implements DeviceExportJobs {
        final AtomicInteger polls = new AtomicInteger();
        final boolean writeBlob;
        String container;

        FakeJobs(boolean writeBlob) {
            this.writeBlob = writeBlob;
        }

        @Override
        public Job startExport(String outputBlobContainerUri) {
            container = outputBlobContainerUri;
            return new Job("export-job-1", Job.Status.ENQUEUED, null);
        }

        @Override
        public Job job(String jobId) {
            if (polls.incrementAndGet() < 2) {
                return new Job(jobId, Job.Status.RUNNING, null);
            }
            if (writeBlob) {
                StringBuilder blob = new StringBuilder();
                emulator.registry().devices(HUB).forEach(device -> blob.append(exportLine(device)).append('\n'));
                new BlobContainerClientBuilder().endpoint(container).buildClient().getBlobClient("devices.txt")
                        .upload(BinaryData.fromString(blob.toString()), true);
            }
            return new Job(jobId, Job.Status.COMPLETED, null);
        }
    }

    private static ExportedDeviceInventory exportInventory(FakeJobs jobs, String sasUri) {
        return ExportedDeviceInventory.builder()
                .pollInterval(Duration.ofMillis(10))
                .maxPollInterval(Duration.ofMillis(20))
                .hub(HUB, jobs, sasUri)
                .build();
    }

    private static List<DeviceRecord> drain(DeviceCursor cursor) {
        List<DeviceRecord> devices = new ArrayList<>();
        for (Optional<DeviceRecord> next = cursor.next(); next.isPresent(); next = cursor.next()) {
            devices.add(next.get());
        }
        return devices;
    }

    private static ReconcileReport dryRun(InMemoryDigitalTwins adt, DeviceInventory inventory) {
        return Reconciler.builder(adt, inventory)
                .options(ReconcileOptions.builder().deviceModels(THERMOSTAT).queriesPerMinute(100_000)
                        .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(1))).build())
                .meterRegistry(new SimpleMeterRegistry())
                .build()
                .dryRun();
    }

    @Test
    void theExportOfTheSameDevicesGivesTheQuerysRecordsAndTheSamePlan(Azurite azurite) {
        emulator.registry().clear();
        Instant longAgo = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.uploadModels(MODEL);
        for (int i = 0; i < 40; i++) {
            String id = String.format("dev-%02d", i);
            Map<String, Object> tags = i < 38 ? Map.of("dtId", "twin-" + id, "dtmi", THERMOSTAT) : Map.of();
            emulator.registry().add(HUB, id, tags, i == 5 ? THERMOSTAT : null, longAgo);
            if (i < 34) {
                adt.createOrReplaceTwin(DigitalTwin.of("twin-" + id, THERMOSTAT));
            }
        }
        for (int i = 0; i < 3; i++) {
            adt.createOrReplaceTwin(DigitalTwin.of("gone-" + i, THERMOSTAT));
        }
        String sasUri = containerSasUri(azurite);
        FakeJobs jobs = new FakeJobs(true);
        ExportedDeviceInventory exported = exportInventory(jobs, sasUri);
        IotHubDeviceInventory queried = IotHubDeviceInventory.of(Map.of(HUB, emulator.hub(HUB).queryClient()), 7);

        List<DeviceRecord> fromExport = drain(exported.listDevices(HUB));
        List<DeviceRecord> fromQuery = drain(queried.listDevices(HUB));

        assertThat(fromExport).hasSize(40).containsExactlyInAnyOrderElementsOf(fromQuery);
        assertThat(jobs.container).as("the job got the SAS URI as given").isEqualTo(sasUri);

        ReconcileReport byExport = dryRun(adt, exported);
        ReconcileReport byQuery = dryRun(adt, queried);

        assertThat(byExport.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(byExport.counts().devices()).isEqualTo(40);
        assertThat(byExport.counts().orphans()).isEqualTo(3);
        assertThat(byExport.counts().missing()).isEqualTo(4);
        assertThat(byExport.counts().unresolved()).isEqualTo(2);
        assertThat(byExport.planned()).hasSize(7).containsExactlyInAnyOrderElementsOf(byQuery.planned());
        assertThat(byExport.counts()).isEqualTo(byQuery.counts());
    }

    @Test
    void aCompletedJobWithoutItsBlobFailsTheListingNamingTheJobButNotTheSas(Azurite azurite) {
        String sasUri = containerSasUri(azurite);
        ExportedDeviceInventory exported = exportInventory(new FakeJobs(false), sasUri);
        String signature = sasUri.substring(sasUri.indexOf("sig=") + 4);
        assertThat(signature).isNotBlank();

        assertThatThrownBy(() -> exported.listDevices(HUB).next())
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("devices.txt").contains("export-job-1").contains(HUB)
                            .doesNotContain(signature).doesNotContain("sig=");
                });
        assertThat(exported.toString()).doesNotContain(signature);
    }
}
