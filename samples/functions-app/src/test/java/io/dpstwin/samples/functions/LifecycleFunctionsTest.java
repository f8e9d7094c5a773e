package io.dpstwin.samples.functions;

import io.dpstwin.functions.DpsTwinFunctions;
import io.dpstwin.functions.LifecycleBatchException;
import io.dpstwin.functions.testing.FakeHttpRequest;
import io.dpstwin.functions.testing.FakeHttpResponse;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import static io.dpstwin.samples.functions.EmulatedApp.HUB_A;
import static io.dpstwin.samples.functions.EmulatedApp.ROOM;
import static io.dpstwin.samples.functions.EmulatedApp.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample's lifecycle functions (Event Hubs and Event Grid), called as the Functions host calls them, against the
 * HTTPS ADT emulator. Devices are provisioned through the sample's allocation function first; a room twin holds
 * them ({@code room-1 -contains-> dev-n}) and each device feeds the room ({@code dev-n -feeds-> room-1}), so every
 * device twin has an incoming and an outgoing relationship.
 */
class LifecycleFunctionsTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = EmulatedApp.emulator();


    private final LifecycleEventHubFunction eventHubs = new LifecycleEventHubFunction();
    private final LifecycleEventGridFunction eventGrid = new LifecycleEventGridFunction();

    @BeforeEach
    void installTheAppAndProvisionTwoDevices() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT, Map.of("DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT)));
        EmulatedApp.createTwin(ADT, "room-1", ROOM);
        for (String device : new String[] {"dev-1", "dev-2"}) {
            FakeHttpResponse response = (FakeHttpResponse) new DpsAllocationFunction().run(
                    FakeHttpRequest.post(DpsRequests.group("thermostats").registrationId(device).linkedHubs(HUB_A)
                            .modelId(THERMOSTAT).toJson()),
                    new RecordingExecutionContext("DpsAdtAllocationFunc"));
            assertThat(response.getStatusCode()).isEqualTo(200);
            EmulatedApp.relate(ADT, "room-1", "contains", device);
            EmulatedApp.relate(ADT, device, "feeds", "room-1");
        }
        assertThat(ADT.emulator().engine().relationshipCount()).isEqualTo(4);
    }

    @AfterEach
    void backToAppSettings() {
        DpsTwinFunctions.reset();
    }

    private static void assertOnlyDev1IsRetired() {
        assertThat(ADT.emulator().engine().twinIds()).containsExactlyInAnyOrder("room-1", "dev-2");
        assertThat(ADT.emulator().engine().relationshipCount()).isEqualTo(2);
        assertThat(ADT.emulator().engine().getRelationship("room-1", "contains-dev-2").get("$targetId").asText())
                .isEqualTo("dev-2");
        assertThat(ADT.emulator().engine().getRelationship("dev-2", "feeds-room-1").get("$targetId").asText())
                .isEqualTo("room-1");
    }

    @Test
    void anEventHubsBatchRetiresTheDeletedDeviceAndNotTheDeviceWhoseModuleWasDeleted() {
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.moduleDeleted("hub-a", "dev-2", "edgeAgent"),
                IotHubEvents.twinUpdated("hub-a", "dev-2")).functionsBinding();
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");

        eventHubs.run(binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(), context);

        assertOnlyDev1IsRetired();
        assertThat(context.messages(Level.INFO)).singleElement().asString()
                .startsWith("Event Hubs lifecycle batch: 3 events: retired=1 skipped=2")
                .contains("module_event=1", "not_lifecycle_event=1");
    }

    @Test
    void aReplayedBatchIsHarmless() {
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.moduleDeleted("hub-a", "dev-2", "edgeAgent")).functionsBinding();
        eventHubs.run(binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(),
                new RecordingExecutionContext("DeviceLifecycleEventHubFunc"));
        RecordingExecutionContext replay = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");

        eventHubs.run(binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(), replay);

        assertOnlyDev1IsRetired();
        assertThat(replay.messages(Level.INFO)).singleElement().asString().contains("already_gone=1", "skipped=1");
    }

    @Test
    void numbersTheHostHandsOverAsDoublesAreRead() {
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"))
                .functionsBinding().withNumbersAsDoubles();

        eventHubs.run(binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(),
                new RecordingExecutionContext("DeviceLifecycleEventHubFunc"));

        assertOnlyDev1IsRetired();
    }

    @Test
    void aThrottledAdtCallIsRetriedByCoreAndTheBatchStillRetires() {
        ADT.emulator().faults().throttleNext(Duration.ofSeconds(1));
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"))
                .functionsBinding();

        eventHubs.run(binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(),
                new RecordingExecutionContext("DeviceLifecycleEventHubFunc"));

        assertOnlyDev1IsRetired();
        assertThat(ADT.journal().countStatus(429)).isEqualTo(1);
    }

    @Test
    void whenAnEventCannotBeParkedTheFunctionThrowsSoTheHostRedeliversTheBatch() {
        DpsTwinFunctions.install(EmulatedApp.factory(ADT,
                Map.of("DPSTWIN_ALLOCATION_DEFAULTMODEL", THERMOSTAT, "DPSTWIN_LIFECYCLE_MAXATTEMPTS", "1"),
                (builder, settings) -> builder.deadLetterSink(letter -> {
                    throw new IllegalStateException("dead-letter queue unavailable");
                })));
        ADT.emulator().faults().unavailable(1.0);
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"))
                .functionsBinding();
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");

        assertThatThrownBy(() -> eventHubs.run(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), context))
                .isInstanceOf(LifecycleBatchException.class)
                .hasMessageContaining("failed=1");
        ADT.emulator().faults().clear();

        assertThat(ADT.emulator().engine().twinIds()).contains("dev-1");
        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .contains("dead_letter_sink_failed", "dev-1");
    }

    @Test
    void anEventGridDeleteRetiresTheTwinAndItsRelationships() {
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventGridFunc");

        eventGrid.run(IotHubEvents.deviceDeleted("hub-a", "dev-1").eventGridEvent().toString(), context);
        eventGrid.run(IotHubEvents.moduleDeleted("hub-a", "dev-2", "edgeAgent").eventGridEvent().toString(), context);

        assertOnlyDev1IsRetired();
        assertThat(context.messages(Level.INFO)).containsExactly(
                "Event Grid lifecycle batch: 1 events: retired=1",
                "Event Grid lifecycle batch: 1 events: skipped=1 {module_event=1}");
    }

    @Test
    void anEventGridCreateEnsuresATwinOfTheDefaultModel() {
        eventGrid.run(IotHubEvents.deviceCreated("hub-a", "dev-9").eventGridEvent().toString(),
                new RecordingExecutionContext("DeviceLifecycleEventGridFunc"));

        assertThat(ADT.emulator().engine().getTwin("dev-9").at("/$metadata/$model").asText()).isEqualTo(THERMOSTAT);
    }
}
