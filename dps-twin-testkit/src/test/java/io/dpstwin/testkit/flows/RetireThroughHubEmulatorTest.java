package io.dpstwin.testkit.flows;

import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.eventgrid.LifecycleWebhook;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.emulator.EventGridPush;
import io.dpstwin.testkit.iothub.emulator.EventGridPushOptions;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.HUB_1_NAME;
import static io.dpstwin.testkit.flows.Contoso.HUB_2;
import static io.dpstwin.testkit.flows.Contoso.HUB_2_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on the emulators: a device deleted with the official {@code RegistryClient} in the emulated IoT hub
 * retires its digital twin and the twin's relationships through core's retire flow (real ADT SDK on the HTTPS ADT
 * emulator), once from the Event Hubs-shaped lifecycle event the hub emits in-process and once from the Event Grid
 * event the hub pushes to a webhook that runs core's Event Grid parser (validation handshake included).
 */
class RetireThroughHubEmulatorTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    static IotHubEmulator hubs;

    private AdtEmulator adtEmulator;
    private InMemoryDigitalTwins adt;
    private DpsTwin dpsTwin;
    private RegistryClient registry;

    @BeforeAll
    static void startHubs() {
        hubs = IotHubEmulator.builder().hub(HUB_1).hub(HUB_2).start();
        hubs.trustForServiceClients();
    }

    @AfterAll
    static void stopHubs() {
        hubs.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        adtEmulator = ADT.emulator();
        adt = Contoso.direct(adtEmulator);
        dpsTwin = Contoso.dpsTwin(adtEmulator)
                .lifecycleOptions(LifecycleOptions.builder().servedHubs(List.of(HUB_1_NAME, HUB_2_NAME)).build())
                .build();
        registry = hubs.hub(HUB_1).registryClient();
        for (String room : List.of("room-a", "room-b", "room-x")) {
            Contoso.room(adt, room);
        }
        for (String thermostat : List.of("thermo-1", "thermo-2")) {
            Contoso.thermostatTwin(adt, thermostat);
            Contoso.relate(adt, thermostat, "feeds", "room-a");
            Contoso.relate(adt, thermostat, "feeds", "room-b");
            Contoso.relate(adt, "room-x", "contains", thermostat);
            registry.addDevice(new Device(thermostat));
        }
        // the creations' lifecycle events are dispatched asynchronously: let them go before a test subscribes
        assertThat(hubs.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void tearDown() {
        dpsTwin.close();
        hubs.registry().clear();
    }

    @Test
    @SuppressWarnings("try") // the route only has to be open while the device is deleted
    void aRegistryDeleteRetiresTheTwinAndItsRelationshipsThroughTheEventHubsShapedEvent() throws Exception {
        EventHubsLifecycleParser parser = new EventHubsLifecycleParser();
        List<ParsedEvent> routed = new CopyOnWriteArrayList<>();
        try (AutoCloseable route = hubs.onLifecycleEvent(event -> routed.add(parser.parse(
                event.applicationProperties(), event.iotHubSystemProperties(), event.body())))) {
            registry.removeDevice("thermo-1");
            assertThat(hubs.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }

        BatchResult result = dpsTwin.lifecycle().process(routed);

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
            assertThat(o.twinId()).isEqualTo("thermo-1");
        });
        assertThat(adt.getTwin("thermo-1")).isEmpty();
        assertThat(GraphSnapshot.of(adtEmulator.engine())).containsExactlyInAnyOrder(
                "thermo-2 -feeds-> room-a (feeds-room-a)",
                "thermo-2 -feeds-> room-b (feeds-room-b)",
                "room-x -contains-> thermo-2 (contains-thermo-2)");
        assertThat(adt.getTwin("thermo-2")).isPresent();
    }

    @Test
    void aRegistryDeleteRetiresTheTwinThroughTheEventGridPushToAWebhookRunningCoresParser() throws Exception {
        LifecycleWebhook webhook = LifecycleWebhook.start(dpsTwin.lifecycle());
        try (EventGridPush push = hubs.pushEventGrid(EventGridPushOptions.webhook(webhook.uri())
                .retryDelays(Duration.ofMillis(100)))) {
            registry.removeDevice("thermo-2");
            assertThat(hubs.awaitIdle(Duration.ofSeconds(30))).isTrue();

            assertThat(push.deliveries()).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(EventGridPush.Outcome.DELIVERED);
                assertThat(d.eventType()).isEqualTo("Microsoft.Devices.DeviceDeleted");
            });
        } finally {
            webhook.close();
        }

        assertThat(webhook.results()).flatExtracting(BatchResult::outcomes).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.RETIRED);
        assertThat(adt.getTwin("thermo-2")).isEmpty();
        assertThat(GraphSnapshot.of(adtEmulator.engine())).containsExactlyInAnyOrder(
                "thermo-1 -feeds-> room-a (feeds-room-a)",
                "thermo-1 -feeds-> room-b (feeds-room-b)",
                "room-x -contains-> thermo-1 (contains-thermo-1)");
        assertThat(hubs.lifecycleEvents()).extracting(IotHubEvent::deviceId).contains("thermo-2");
    }
}
