package io.dpstwin.samples.spring.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.testkit.dps.AllocationRequestBuilder;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.CloudEvents;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.iothub.SubscriptionValidationEvent;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated fleet of thermostats talking to this application over HTTP, the way DPS and Event Grid would:
 * <ol>
 *   <li>both Event Grid validation handshakes (Event Grid schema and CloudEvents);</li>
 *   <li>a call with a wrong function key (401);</li>
 *   <li>every device registers through the allocation webhook with a DPS-shaped request (every third one names a
 *       room to be placed in); every fifth registers again with {@code currentIotHubHostName} and must stay on its
 *       hub; one sends a model id that is a number and one names a room that does not exist (both 400, nothing
 *       written);</li>
 *   <li>every fourth device is deleted: one Event Grid delivery of {@code DeviceDeleted} events;</li>
 *   <li>decoys that must retire nothing, as CloudEvents: a module deletion and a device connection.</li>
 * </ol>
 * Each call becomes a {@link DemoStep}; {@link #devices()} tells {@link TwinGraphCheck} what the graph should hold.
 * The IoT hubs' identity registries are simulated too ({@link InMemoryDeviceRegistry}): a device DPS allocated is
 * registered in its hub with the answer's {@code initialTwin} tags, as DPS does, and a deleted device is removed from
 * its hub before IoT Hub reports the deletion.
 */
public final class FleetSimulation {

    /** The enrollment group of the simulated fleet. */
    public static final String ENROLLMENT_GROUP = "contoso-thermostats";
    /** The IoT hubs linked to the enrollment group. */
    public static final List<String> LINKED_HUBS =
            List.of("contoso-hub-1.azure-devices.net", "contoso-hub-2.azure-devices.net");
    /** A device whose payload names its model with a number. */
    public static final String BAD_PAYLOAD_DEVICE = "thermostat-bad-payload";
    /** A device that names a room that does not exist. */
    public static final String LOST_DEVICE = "thermostat-lost";

    /** The sample's one JSON mapper. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What the simulation did to one device, for the graph check. */
    public static final class Device {
        final String id;
        final String room;
        String hub;
        String twinId;
        boolean registered;
        boolean deleted;

        Device(String id, String room) {
            this.id = id;
            this.room = room;
        }
    }

    private final URI app;
    private final String key;
    private final int fleetSize;
    private final InMemoryDeviceRegistry hubs;
    private final HttpClient http;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<DemoStep> steps = new ArrayList<>();

    /**
     * @param app       the application's base URL, e.g. {@code http://localhost:8080}
     * @param key       a webhook key the application accepts
     * @param fleetSize how many thermostats register
     * @param hubs      the simulated IoT hubs' registries, one per linked hub
     */
    public FleetSimulation(URI app, String key, int fleetSize, InMemoryDeviceRegistry hubs) {
        this.app = Objects.requireNonNull(app, "app");
        this.key = Objects.requireNonNull(key, "key");
        this.fleetSize = fleetSize;
        this.hubs = Objects.requireNonNull(hubs, "hubs");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Runs the whole scenario and returns its steps in order. */
    public List<DemoStep> run() throws IOException, InterruptedException {
        handshakes();
        wrongKey();
        for (int i = 1; i <= fleetSize; i++) {
            String id = String.format("thermostat-%03d", i);
            String room = i % 3 == 0 ? ReferenceGraph.ROOMS.get((i / 3 - 1) % ReferenceGraph.ROOMS.size()) : null;
            Device device = new Device(id, room);
            devices.put(id, device);
            register(device);
        }
        for (Device device : devices.values()) {
            if (device.registered && number(device.id) % 5 == 0) {
                reRegister(device);
            }
        }
        rejected();
        deleteEveryFourth();
        decoys();
        return List.copyOf(steps);
    }

    /** The devices of the fleet (the two rejected ones included), by id. */
    public Map<String, Device> devices() {
        return devices;
    }

    private void handshakes() throws IOException, InterruptedException {
        SubscriptionValidationEvent validation = EventGridEvents.subscriptionValidation();
        HttpResponse<String> answer = post("/api/iothub/events", validation.toJson(), validation.headers());
        String echoed = answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("validationResponse").asText()
                : null;
        steps.add(new DemoStep("Event Grid validation", "-", "-", "-", "200, code echoed",
                answer.statusCode() + (validation.validationCode().equals(echoed) ? ", code echoed" : ", no code")));

        HttpRequest.Builder options = HttpRequest.newBuilder(uri("/api/iothub/events", key))
                .timeout(TIMEOUT).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        CloudEvents.validationRequestHeaders().forEach(options::header);
        HttpResponse<String> handshake = http.send(options.build(), HttpResponse.BodyHandlers.ofString());
        String allowed = handshake.headers().firstValue(CloudEvents.ALLOWED_ORIGIN_HEADER).orElse("none");
        steps.add(new DemoStep("CloudEvents handshake", "-", "-", "-", "200, origin " + CloudEvents.EVENT_GRID_ORIGIN,
                handshake.statusCode() + ", origin " + allowed));
    }

    private void wrongKey() throws IOException, InterruptedException {
        String body = request("thermostat-intruder", null).toJson();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/api/dps/allocate", "not-the-key"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        steps.add(new DemoStep("register (wrong key)", "thermostat-intruder", "-", "-", "401 " + "Unauthorized",
                answer.statusCode() + " " + errorCode(answer)));
    }

    private void register(Device device) throws IOException, InterruptedException {
        HttpResponse<String> answer = post("/api/dps/allocate", request(device.id, device.room).toJson(), Map.of());
        JsonNode body = JSON.readTree(answer.body());
        String hub = body.path("iotHubHostName").asText("-");
        String twinId = body.path("initialTwin").path("tags").path("dtId").asText("-");
        String placedTwin = body.path("payload").path("twinId").asText("-");
        device.registered = answer.statusCode() == 200;
        device.hub = hub;
        device.twinId = twinId;
        if (device.registered) {
            // DPS registers the device in the hub it was given, with the initialTwin's tags (dtId, dtmi)
            hubs.add(hub, device.id, tags(body), ReferenceGraph.THERMOSTAT);
        }
        String expected = "200, linked hub, twin " + device.id;
        String actual = answer.statusCode() + (LINKED_HUBS.contains(hub) ? ", linked hub" : ", hub " + hub)
                + ", twin " + (twinId.equals(placedTwin) ? twinId : twinId + " (payload says " + placedTwin + ")");
        steps.add(new DemoStep(device.room == null ? "register" : "register in " + device.room, device.id, hub,
                twinId, expected, actual));
    }

    private void reRegister(Device device) throws IOException, InterruptedException {
        String body = request(device.id, device.room).reRegistration(device.hub).toJson();
        HttpResponse<String> answer = post("/api/dps/allocate", body, Map.of());
        JsonNode reply = JSON.readTree(answer.body());
        String hub = reply.path("iotHubHostName").asText("-");
        if (answer.statusCode() == 200 && !hub.equals(device.hub)) {
            // DPS moves the device: it leaves the old hub and is registered in the new one
            hubs.remove(device.hub, device.id);
            hubs.add(hub, device.id, tags(reply), ReferenceGraph.THERMOSTAT);
        }
        steps.add(new DemoStep("re-register", device.id, hub, device.twinId, "200, same hub",
                answer.statusCode() + (hub.equals(device.hub) ? ", same hub" : ", moved to " + hub)));
    }

    private void rejected() throws IOException, InterruptedException {
        Device bad = new Device(BAD_PAYLOAD_DEVICE, null);
        devices.put(bad.id, bad);
        HttpResponse<String> answer = post("/api/dps/allocate",
                request(bad.id, null).malformed().withModelIdAsNumber().toJson(), Map.of());
        steps.add(new DemoStep("register (model id is a number)", bad.id, "-", "-", "400 InvalidFieldType",
                answer.statusCode() + " " + errorCode(answer)));

        Device lost = new Device(LOST_DEVICE, "room-999");
        devices.put(lost.id, lost);
        answer = post("/api/dps/allocate", request(lost.id, lost.room).toJson(), Map.of());
        steps.add(new DemoStep("register in room-999", lost.id, "-", "-", "400 ParentTwinNotFound",
                answer.statusCode() + " " + errorCode(answer)));
    }

    private void deleteEveryFourth() throws IOException, InterruptedException {
        List<IotHubEvent> deletions = new ArrayList<>();
        List<Device> deleted = new ArrayList<>();
        for (Device device : devices.values()) {
            if (device.registered && number(device.id) % 4 == 0) {
                deletions.add(IotHubEvents.deviceDeleted(IotHubEvents.hubNameOf(device.hub), device.id)
                        .withDtId(device.twinId));
                deleted.add(device);
            }
        }
        if (deletions.isEmpty()) {
            return;
        }
        // IoT Hub deletes the devices from its registry, then reports the deletions
        deleted.forEach(device -> hubs.remove(device.hub, device.id));
        HttpResponse<String> answer = post("/api/iothub/events", EventGridEvents.toJson(deletions),
                EventGridEvents.notificationHeaders());
        long retired = answer.statusCode() == 200
                ? JSON.readTree(answer.body()).path("outcomes").path("retired").asLong() : 0;
        steps.add(new DemoStep("delete (Event Grid, 1 delivery)", deletions.size() + " devices", "-", "-",
                "200, " + deletions.size() + " retired", answer.statusCode() + ", " + retired + " retired"));
        deleted.forEach(device -> device.deleted = answer.statusCode() == 200);
    }

    private void decoys() throws IOException, InterruptedException {
        Device first = devices.values().stream().filter(d -> d.registered && !d.deleted).findFirst().orElse(null);
        if (first == null) {
            return;
        }
        String hub = IotHubEvents.hubNameOf(first.hub);
        List<IotHubEvent> decoys = List.of(
                IotHubEvents.moduleDeleted(hub, first.id, "edgeAgent"),
                IotHubEvents.deviceConnected(hub, first.id));
        HttpResponse<String> answer = post("/api/iothub/events", CloudEvents.toBatchJson(decoys),
                Map.of("Content-Type", CloudEvents.BATCH_CONTENT_TYPE));
        long skipped = answer.statusCode() == 200
                ? JSON.readTree(answer.body()).path("outcomes").path("skipped").asLong() : 0;
        steps.add(new DemoStep("decoys (CloudEvents)", first.id, first.hub, first.twinId,
                "200, 2 skipped", answer.statusCode() + ", " + skipped + " skipped"));
    }

    /** The tags of an allocation answer's {@code initialTwin}, as DPS writes them into the device twin. */
    static Map<String, Object> tags(JsonNode allocation) {
        Map<String, Object> tags = new LinkedHashMap<>();
        allocation.path("initialTwin").path("tags").properties()
                .forEach(tag -> tags.put(tag.getKey(), JSON.convertValue(tag.getValue(), Object.class)));
        return tags;
    }

    /** A DPS-shaped registration of a thermostat of the fleet's enrollment group, optionally naming a room. */
    static AllocationRequestBuilder request(String registrationId, String room) {
        AllocationRequestBuilder request = DpsRequests.group(ENROLLMENT_GROUP)
                .registrationId(registrationId)
                .linkedHubs(LINKED_HUBS)
                .modelId(ReferenceGraph.THERMOSTAT);
        return room == null ? request : request.payloadField("parentTwinId", room);
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, key))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::setHeader);
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path, String code) {
        return app.resolve(path + "?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8));
    }

    private static String errorCode(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body()).path("error").path("code").asText("-");
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    private static int number(String deviceId) {
        return Integer.parseInt(deviceId.substring(deviceId.lastIndexOf('-') + 1));
    }
}
