package io.dpstwin.docs.reconcile;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.core.reconcile.ActionResult;
import io.dpstwin.core.internal.reconcile.AdtQueries;
import io.dpstwin.core.reconcile.DeviceExportJobs;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.ExportedDeviceInventory;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.MissingTwin;
import io.dpstwin.core.reconcile.OrphanTwin;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcilePlan;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.docs.retirement.Contoso;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.dpstwin.docs.retirement.Contoso.DEVICE;
import static io.dpstwin.docs.retirement.Contoso.ROOM;
import static io.dpstwin.docs.retirement.Contoso.SENSOR;
import static io.dpstwin.docs.retirement.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The examples of reconciliation.md: the reconciler over the testkit's in-memory ADT and device registry (standing in
 * for {@code IotHubDeviceInventory} and {@code IotHubDeviceRegistry}, which need a real hub), the inverse of a twin id
 * strategy for the registry guard, building the IoT Hub inventory, scheduling, and the ADT queries it sends.
 */
class ReconcilerExamplesTest {

    private static final Logger log = LoggerFactory.getLogger(ReconcilerExamplesTest.class);

    static final String HUB_1 = "contoso-hub-1.azure-devices.net";
    static final String HUB_2 = "contoso-hub-2.azure-devices.net";
    static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(2));

    /** Writes land an hour in the past, so that nothing seeded is inside the grace window of the system clock. */
    private final InMemoryDigitalTwins adt = new InMemoryDigitalTwins(AdtEngine.builder()
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1))).build());
    private final InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.of(HUB_1, HUB_2);
    private final MeterRegistry meterRegistry = new SimpleMeterRegistry();

    /**
     * Devices thermostat-1 (tagged), sensor-2 (untagged), panel-3 (whose twin is a room) and new-4 (no twin, no
     * model); twins of both thermostats and the sensor, orphan thermostat-17, and room-1, which no device mirrors.
     */
    private void aSmallFleetWithDrift() {
        adt.uploadModels(Contoso.MODELS);
        hubs.add(HUB_1, "thermostat-1", Map.of("dtId", "thermostat-1", "dtmi", THERMOSTAT), null, LONG_AGO);
        hubs.add(HUB_2, "sensor-2", Map.of(), SENSOR, LONG_AGO);
        hubs.add(HUB_1, "panel-3", Map.of(), null, LONG_AGO);
        hubs.add(HUB_2, "new-4", Map.of(), null, LONG_AGO);
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-1", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("sensor-2", SENSOR));
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-17", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("panel-3", ROOM));
        adt.createOrReplaceTwin(DigitalTwin.of("room-1", ROOM));
    }

    @Test
    void aDryRunReportsTheDriftAndChangesNothingThenApplyingRepairsIt() throws Exception {
        aSmallFleetWithDrift();
        DigitalTwinsGateway lifecycleAdt = DigitalTwinsGateways.stack().meterRegistry(meterRegistry).decorate(adt);
        DeviceInventory inventory = hubs;
        DeviceRegistry registry = hubs;
        List<String> twinsBefore = adt.engine().twinIds();

        // tag::overview[]
        Reconciler reconciler = Reconciler.builder(
                        lifecycleAdt,   // a retrying, rate-limited gateway stack
                        inventory)      // e.g. IotHubDeviceInventory.fromCredential(hubs, credential), §5
                .options(ReconcileOptions.builder()
                        .deviceModels("dtmi:com:contoso:Thermostat;1", "dtmi:com:contoso:Sensor;1")
                        .defaultModel("dtmi:com:contoso:Device;1")
                        .registryGuard(registry)  // e.g. IotHubDeviceRegistry.fromCredential(hubs, credential)
                        .build())
                .meterRegistry(meterRegistry)
                .build();

        ReconcileReport report = reconciler.run(true);    // dry run: plans, changes nothing
        log.info(report.toJson());
        // end::overview[]

        assertThat(report.dryRun()).isTrue();
        assertThat(report.status()).isEqualTo(ReconcileStatus.OK);
        assertThat(report.counts().devices()).isEqualTo(4);
        assertThat(report.counts().twins()).isEqualTo(3);
        assertThat(report.counts().twinsOfOtherModels()).isEqualTo(1);
        assertThat(report.orphans()).extracting(OrphanTwin::twinId).containsExactly("thermostat-17");
        assertThat(report.missing()).extracting(MissingTwin::twinId, MissingTwin::modelId, MissingTwin::modelSource)
                .containsExactly(tuple("new-4", DEVICE, "default"));
        assertThat(report.applied()).isEmpty();
        assertThat(adt.engine().twinIds()).isEqualTo(twinsBefore);
        assertThat(new ObjectMapper().readTree(report.toJson()).get("dryRun").asBoolean()).isTrue();
        assertThat(meterRegistry.get("dpstwin.reconcile.runs").tag("mode", "dry_run").tag("status", "ok")
                .counter().count()).isEqualTo(1.0);
        assertThat(meterRegistry.get("dpstwin.reconcile.drift").tag("kind", "orphan").gauge().value())
                .isEqualTo(1.0);

        ReconcileReport applied = reconciler.run(false);

        assertThat(applied.applied()).extracting(a -> a.action().twinId(), ActionResult::outcome)
                .containsExactlyInAnyOrder(tuple("thermostat-17", ActionResult.Outcome.RETIRED),
                        tuple("new-4", ActionResult.Outcome.CREATED));
        assertThat(adt.engine().twinIds()).containsExactlyInAnyOrder("thermostat-1", "sensor-2", "panel-3",
                "room-1", "new-4");
        assertThat(adt.getTwin("new-4")).map(DigitalTwin::modelId).contains(DEVICE);
        assertThat(hubs.registryReads(HUB_1) + hubs.registryReads(HUB_2)).isEqualTo(2);
        assertThat(reconciler.run(true).counts()).satisfies(counts -> {
            assertThat(counts.orphans()).isZero();
            assertThat(counts.missing()).isZero();
        });
    }

    @Test
    void theInverseOfAStrategyOfYourOwnLetsTheGuardKeepTheTwinOfADeviceRegisteredDuringTheRun() {
        adt.uploadModels(Contoso.MODELS);
        TwinIdStrategy twinIdStrategy = deviceId ->
                "twin-" + UUID.nameUUIDFromBytes(deviceId.getBytes(StandardCharsets.UTF_8));
        Map<String, String> known = Map.of(twinIdStrategy.twinIdFor("dev-1"), "dev-1",
                twinIdStrategy.twinIdFor("dev-9"), "dev-9");
        Function<String, String> deviceIdByTwin = twinId -> known.getOrDefault(twinId, twinId);
        String twinOfDev9 = twinIdStrategy.twinIdFor("dev-9");
        hubs.add(HUB_1, "dev-1", Map.of(), null, LONG_AGO);
        adt.createOrReplaceTwin(DigitalTwin.of(twinIdStrategy.twinIdFor("dev-1"), THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of(twinOfDev9, THERMOSTAT));
        DeviceRegistry registry = hubs;

        // tag::device-id-of-twin[]
        ReconcileOptions options = ReconcileOptions.builder()
                .deviceModels("dtmi:com:contoso:Thermostat;1")
                .twinIdStrategy(twinIdStrategy)             // e.g. a hash of the device id: no way back
                .deviceIdOfTwin(deviceIdByTwin)             // so say which device a twin mirrors
                .registryGuard(registry)
                .build();
        // end::device-id-of-twin[]

        Reconciler reconciler = Reconciler.builder(adt, hubs).options(options).build();
        ReconcilePlan plan = reconciler.plan();
        hubs.add(HUB_2, "dev-9");                       // DPS registers it again while the run is going on
        ReconcileReport report = reconciler.apply(plan);

        assertThat(plan.orphans()).extracting(OrphanTwin::twinId).containsExactly(twinOfDev9);
        assertThat(report.applied()).extracting(ActionResult::outcome)
                .containsExactly(ActionResult.Outcome.DEVICE_STILL_REGISTERED);
        assertThat(adt.getTwin(twinOfDev9)).isPresent();

        Reconciler withoutTheInverse = Reconciler.builder(adt, hubs)
                .options(options.toBuilder().deviceIdOfTwin(id -> id).build()).build();
        hubs.remove(HUB_2, "dev-9");
        ReconcilePlan again = withoutTheInverse.plan();
        hubs.add(HUB_2, "dev-9");
        assertThat(withoutTheInverse.apply(again).applied()).extracting(ActionResult::outcome)
                .containsExactly(ActionResult.Outcome.RETIRED);     // it asked about the twin id
        assertThat(adt.getTwin(twinOfDev9)).isEmpty();
    }

    @Test
    void theBuiltInPrefixedStrategyNeedsNoInverse() {
        adt.uploadModels(Contoso.MODELS);
        hubs.add(HUB_1, "dev-1", Map.of(), null, LONG_AGO);       // one orphan of two twins: under the safety share
        adt.createOrReplaceTwin(DigitalTwin.of("device-dev-1", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("device-dev-9", THERMOSTAT));
        ReconcileOptions options = ReconcileOptions.builder()
                .deviceModels("dtmi:com:contoso:Thermostat;1")
                .twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .registryGuard(hubs)
                .build();
        Reconciler reconciler = Reconciler.builder(adt, hubs).options(options).build();
        ReconcilePlan plan = reconciler.plan();
        hubs.add(HUB_2, "dev-9");

        assertThat(reconciler.apply(plan).applied()).extracting(ActionResult::outcome)
                .containsExactly(ActionResult.Outcome.DEVICE_STILL_REGISTERED);
    }

    @Test
    void theIotHubInventoryIsBuiltOncePerHubAndOpensACursorWithoutARequest() {
        TokenCredential credential = request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));
        List<String> hubs = List.of("hub-1.azure-devices.net", "hub-2.azure-devices.net");
        String key = Base64.getEncoder().encodeToString("not-a-real-key-but-base64-anyway".getBytes());
        String cs1 = "HostName=hub-1.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + key;
        String cs2 = "HostName=hub-2.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + key;
        QueryClient queryClient = new QueryClient("hub-1.azure-devices.net", credential);

        // tag::inventory[]
        // Entra ID, with the "IoT Hub Data Reader" role
        IotHubDeviceInventory byRole = IotHubDeviceInventory.fromCredential(hubs, credential);
        // shared access policies with registryRead
        IotHubDeviceInventory byPolicy = IotHubDeviceInventory.fromConnectionStrings(List.of(cs1, cs2));
        // ready-made clients, and the page size
        IotHubDeviceInventory byClients = IotHubDeviceInventory.of(Map.of("hub-1.azure-devices.net", queryClient), 500);
        // end::inventory[]

        assertThat(byRole.hubHostNames()).containsExactlyElementsOf(hubs);
        assertThat(byPolicy.hubHostNames()).containsExactlyElementsOf(hubs);
        assertThat(byPolicy.toString()).doesNotContain(key);
        assertThat(byRole.pageSize()).isEqualTo(1000);
        assertThat(byClients.pageSize()).isEqualTo(500);
        assertThat(IotHubDeviceInventory.DEVICES_QUERY).isEqualTo("select * from devices");
        var cursor = byClients.listDevices("hub-1.azure-devices.net");
        assertThat(cursor.requestsSent()).isZero();
        assertThat(cursor.hasMorePages()).isTrue();
    }

    @Test
    void theExportInventoryIsBuiltPerHubWithItsContainerAndNeverShowsTheSas() {
        TokenCredential credential = request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));
        RegistryClient registry1 = new RegistryClient("hub-1.azure-devices.net", credential);
        RegistryClient registry2 = new RegistryClient("hub-2.azure-devices.net", credential);
        String containerSasUri = "https://contoso.blob.core.windows.net/export-hub-1?sv=2024-08-04&sr=c&sp=rwl"
                + "&se=2026-12-31T00:00:00Z&sig=bm90LWEtcmVhbC1zaWduYXR1cmU%3D";
        BlobContainerClient container2 = new BlobContainerClientBuilder()
                .endpoint("https://contoso.blob.core.windows.net/export-hub-2").credential(credential).buildClient();
        DigitalTwinsGateway lifecycleAdt = DigitalTwinsGateways.stack().meterRegistry(meterRegistry).decorate(adt);

        // tag::export-inventory[]
        ExportedDeviceInventory inventory = ExportedDeviceInventory.builder()
                // the hub writes devices.txt through a container SAS (read, write, list), read back through it
                .hub("hub-1.azure-devices.net", DeviceExportJobs.of(registry1), containerSasUri)
                // the hub writes with its managed identity; the application reads with its own credential
                .hub("hub-2.azure-devices.net", DeviceExportJobs.withHubIdentity(registry2),
                        "https://contoso.blob.core.windows.net/export-hub-2", container2)
                .jobTimeout(Duration.ofMinutes(30))   // from the job's start to its end
                .build();
        Reconciler reconciler = Reconciler.builder(lifecycleAdt, inventory)
                .options(ReconcileOptions.builder().deviceModels(THERMOSTAT).build())
                .build();
        // end::export-inventory[]

        assertThat(inventory.hubHostNames()).containsExactly("hub-1.azure-devices.net", "hub-2.azure-devices.net");
        assertThat(inventory.toString()).doesNotContain("sig=").doesNotContain("bm90LWEtcmVhbC1zaWduYXR1cmU");
        assertThat(inventory.blobName()).isEqualTo("devices.txt");
        assertThat(inventory.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(reconciler.progress()).as("no run yet").isEmpty();
        var cursor = inventory.listDevices("hub-1.azure-devices.net");
        assertThat(cursor.requestsSent()).as("opening a cursor starts no job").isZero();
        assertThat(cursor.hasMorePages()).isTrue();
    }

    @Test
    void theTimerRunsTheReconcilerFiveMinutesAfterStartAndThenAnHourAfterEachRun() {
        aSmallFleetWithDrift();
        Reconciler reconciler = Reconciler.builder(adt, hubs)
                .options(ReconcileOptions.builder().deviceModels(THERMOSTAT, SENSOR).defaultModel(DEVICE).build())
                .build();

        // tag::schedule[]
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        timer.scheduleWithFixedDelay(() -> log.info(reconciler.run(false).toJson()), 5, 60, TimeUnit.MINUTES);
        // end::schedule[]

        try {
            BlockingQueue<Runnable> queue = ((ScheduledThreadPoolExecutor) timer).getQueue();
            RunnableScheduledFuture<?> tick = (RunnableScheduledFuture<?>) queue.peek();
            assertThat(tick.isPeriodic()).isTrue();
            assertThat(tick.getDelay(TimeUnit.SECONDS)).isBetween(4 * 60L, 5 * 60L);
            assertThat(queue.remove(tick)).isTrue();

            tick.run();                                    // the first tick, now rather than in five minutes

            assertThat(adt.getTwin("thermostat-17")).isEmpty();
            assertThat(adt.getTwin("new-4")).isPresent();
            assertThat(tick.getDelay(TimeUnit.MINUTES)).isBetween(59L, 60L);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void everyValueInAQueryIsAnEscapedLiteral() {
        adt.uploadModels(Contoso.MODELS);
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-42", THERMOSTAT));
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-43", THERMOSTAT));
        String hostile = "x'] OR IS_DEFINED($dtId) OR $dtId IN ['y";

        assertThat(AdtQueries.twinsOfModel("dtmi:com:contoso:Thermostat;1"))
                .isEqualTo("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:com:contoso:Thermostat;1')");
        assertThat(AdtQueries.twinsWithIds(List.of("thermostat-42", "o'brien")))
                .isEqualTo("SELECT * FROM DIGITALTWINS WHERE $dtId IN ['thermostat-42', 'o\\'brien']");
        assertThat(AdtQueries.literal("it's\\gone")).isEqualTo("'it\\'s\\\\gone'");
        assertThat(rows(AdtQueries.twinsWithIds(List.of(hostile)))).isZero();
        assertThat(rows("SELECT * FROM DIGITALTWINS WHERE $dtId IN ['" + hostile + "']")).isEqualTo(2);
        assertThat(AdtQueries.twinsWithIdsBatches(java.util.stream.IntStream.range(0, 120)
                .mapToObj(i -> "dev-" + i).toList())).hasSize(3);
    }

    private int rows(String query) {
        QueryPage page = adt.query(query, null);
        return page.items().size();
    }
}
