package io.dpstwin.samples.spring.local;

import com.azure.core.exception.HttpResponseException;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicRelationship;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.IncomingRelationship;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the final twin graph back through the official SDK and compares it with what the simulation did: a live
 * device has its Thermostat twin (under its room when it named one), a deleted device has neither twin nor any
 * relationship left, a rejected device never got a twin, and every room is still there.
 */
public final class TwinGraphCheck {

    private final DigitalTwinsClient client;

    public TwinGraphCheck(DigitalTwinsClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public List<DemoStep> check(Collection<FleetSimulation.Device> devices) {
        List<DemoStep> steps = new ArrayList<>();
        for (FleetSimulation.Device device : devices) {
            String twinId = device.twinId == null || "-".equals(device.twinId) ? device.id : device.twinId;
            String expected;
            if (!device.registered) {
                expected = "no twin";
            } else if (device.deleted) {
                expected = "twin and relationships gone";
            } else {
                expected = "Thermostat twin" + (device.room == null ? "" : " in " + device.room);
            }
            steps.add(new DemoStep("check graph", device.id, device.hub == null ? "-" : device.hub, twinId,
                    expected, actual(twinId, device)));
        }
        for (String room : ReferenceGraph.ROOMS) {
            steps.add(new DemoStep("check graph", room, "-", room, "Room twin",
                    twin(room).map(t -> "Room".equals(modelName(t)) ? "Room twin" : modelName(t) + " twin")
                            .orElse("no twin")));
        }
        return steps;
    }

    private String actual(String twinId, FleetSimulation.Device device) {
        Optional<BasicDigitalTwin> twin = twin(twinId);
        if (twin.isEmpty()) {
            if (device.room != null && placement(device.room, twinId).isPresent()) {
                return "no twin, but " + device.room + " still contains it";
            }
            return device.deleted ? "twin and relationships gone" : "no twin";
        }
        List<IncomingRelationship> incoming = new ArrayList<>();
        client.listIncomingRelationships(twinId).forEach(incoming::add);
        String description = modelName(twin.get()) + " twin";
        List<String> rooms = incoming.stream()
                .filter(r -> "contains".equals(r.getRelationshipName()))
                .map(IncomingRelationship::getSourceId)
                .toList();
        if (!rooms.isEmpty()) {
            description += " in " + String.join(", ", rooms);
        }
        if (device.room != null) {
            Optional<BasicRelationship> placement = placement(device.room, twinId);
            if (placement.isPresent() && !twinId.equals(placement.get().getTargetId())) {
                description += " (placement points at " + placement.get().getTargetId() + ")";
            }
        }
        return description;
    }

    /** The twin, read through the SDK; empty when ADT answers 404. */
    Optional<BasicDigitalTwin> twin(String twinId) {
        try {
            return Optional.of(client.getDigitalTwin(twinId, BasicDigitalTwin.class));
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The placement relationship dps-twin creates: {@code contains-<twin>} from the room. */
    private Optional<BasicRelationship> placement(String room, String twinId) {
        try {
            return Optional.of(client.getRelationship(room, "contains-" + twinId, BasicRelationship.class));
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String modelName(BasicDigitalTwin twin) {
        String model = twin.getMetadata().getModelId();
        if (ReferenceGraph.THERMOSTAT.equals(model)) {
            return "Thermostat";
        }
        return ReferenceGraph.ROOM.equals(model) ? "Room" : model;
    }
}
