package io.dpstwin.testkit.flows;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.AllocationRequestBuilder;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.reliability.secrets.Canaries;

import java.util.List;
import java.util.Map;

/**
 * The reference flow's world for tests that run core's flows through the real ADT SDK on the HTTPS emulator: the
 * Contoso models ({@value #MODELS}), hubs, the production client pointed at the emulator, DPS requests and
 * Event Hubs-shaped lifecycle batches.
 */
public final class Contoso {

    /** The reference flow's device model: {@code Temperature} (double), relationship {@code feeds}. */
    public static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    /** A space: {@code name} (string), relationship {@code contains}. */
    public static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";
    /** The classpath resource holding both models. */
    public static final String MODELS = "models/contoso.json";
    public static final String HUB_1 = "contoso-hub-1.azure-devices.net";
    public static final String HUB_2 = "contoso-hub-2.azure-devices.net";
    /** The short hub names lifecycle events carry. */
    public static final String HUB_1_NAME = "contoso-hub-1";
    public static final String HUB_2_NAME = "contoso-hub-2";
    public static final String GROUP = "contoso-thermostats";

    private Contoso() {
    }

    /**
     * The client a production host builds ({@link DigitalTwinsClients}: SDK retries off, dps-twin's application id),
     * over the emulator's trusting transport, authenticating with the canary bearer token.
     */
    public static DigitalTwinsClient client(AdtEmulator emulator) {
        return DigitalTwinsClients.builder()
                .endpoint(emulator.endpoint())
                .credential(Canaries.credential())
                .httpClient(emulator.httpClient())
                .build();
    }

    /** A {@link DpsTwin} builder over {@link #client} with the thermostat as default model. */
    public static DpsTwin.Builder dpsTwin(AdtEmulator emulator) {
        return DpsTwin.builder().digitalTwinsClient(client(emulator)).defaultModelId(THERMOSTAT);
    }

    /**
     * A gateway straight onto the emulator's engine (no HTTP, not journaled), to arrange and inspect the twin graph
     * without touching what the flow under test sends.
     */
    public static InMemoryDigitalTwins direct(AdtEmulator emulator) {
        return new InMemoryDigitalTwins(emulator.engine());
    }

    /** A first registration of a thermostat of the Contoso group, linked to both hubs. */
    public static AllocationRequestBuilder thermostat(String registrationId) {
        return DpsRequests.group(GROUP).registrationId(registrationId).linkedHubs(HUB_1, HUB_2).modelId(THERMOSTAT);
    }

    /** The events as the Functions Event Hubs trigger binds them, parsed the way the adapters do. */
    public static List<ParsedEvent> eventHubsBatch(List<IotHubEvent> events) {
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(events).functionsBinding();
        return new EventHubsLifecycleParser().parseFunctionsBatch(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray());
    }

    public static List<ParsedEvent> eventHubsBatch(IotHubEvent... events) {
        return eventHubsBatch(List.of(events));
    }

    /** Creates a room twin. */
    public static void room(DigitalTwinsGateway adt, String id) {
        adt.createTwinIfAbsent(DigitalTwin.of(id, ROOM, Map.of("name", id)));
    }

    /** Creates a thermostat twin. */
    public static void thermostatTwin(DigitalTwinsGateway adt, String id) {
        adt.createTwinIfAbsent(DigitalTwin.of(id, THERMOSTAT, Map.of("Temperature", 20.0)));
    }

    /** {@code source -[name]-> target}, relationship id {@code <name>-<target>}. */
    public static void relate(DigitalTwinsGateway adt, String source, String name, String target) {
        adt.createRelationshipIfAbsent(Relationship.of(name + "-" + target, source, target, name));
    }
}
