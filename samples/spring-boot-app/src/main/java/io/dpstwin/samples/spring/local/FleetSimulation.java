package io.dpstwin.samples.spring.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.testkit.dps.AllocationRequestBuilder;
import io.dpstwin.testkit.dps.DpsRequests;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.testkit.iothub.CloudEvents;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.EventGridPush;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated fleet of thermostats on the official device SDKs, talking to DPS and the IoT hubs (the emulators), which
 * call this application as Azure would: DPS calls the custom allocation webhook, the hubs push their lifecycle events
 * to the Event Grid endpoint.
 * <ol>
 *   <li>the CloudEvents validation handshake (OPTIONS), and a webhook call with a wrong function key (401): both
 *       test the webhook itself, so they are direct HTTP calls;</li>
 *   <li>every device registers through DPS with {@code provisioning-device-client} (every third one names a room to
 *       be placed in), connects to its hub with {@code iot-device-client} and sends a temperature the hub records;
 *       every fifth registers again and must keep its hub; one sends a model id that is a number and one names a room
 *       that does not exist: the webhook answers 400, so DPS fails both registrations (400207);</li>
 *   <li>every fourth device is deleted with {@code RegistryClient}; the hubs push {@code DeviceDeleted} to the
 *       application, which retires the twins;</li>
 *   <li>decoys that must retire nothing: a module identity added and removed with {@code RegistryClient} (IoT Hub
 *       publishes no module events to Event Grid), and a CloudEvents batch of a module deletion and a device
 *       connection.</li>
 * </ol>
 * Each outcome becomes a {@link DemoStep}; {@link #devices()} tells {@link TwinGraphCheck} what the graph should hold.
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

    private static final Logger LOG = LoggerFactory.getLogger(FleetSimulation.class);
    /** The sample's one JSON mapper. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long the retirements of deleted devices may take to arrive through the Event Grid push. */
    private static final Duration RETIREMENT_TIMEOUT = Duration.ofSeconds(30);
    /** Devices registering at once: DPS over HTTPS makes each wait about 2 s for its first poll. */
    private static final int PARALLEL_DEVICES = 8;
    private static final Pattern WEBHOOK_STATUS = Pattern.compile("status code: (\\d+)");

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
    private final DeviceSide side;
    private final EventGridPush push;
    private final TwinGraphCheck graph;
    private final HttpClient http;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<DemoStep> steps = new ArrayList<>();

    /**
     * @param app       the application's base URL, e.g. {@code http://localhost:8080}
     * @param key       a webhook key the application accepts
     * @param fleetSize how many thermostats register
     * @param side      DPS (with the fleet's enrollment group) and the hubs
     * @param push      the hubs' Event Grid subscription of the application's endpoint, or null if it failed
     * @param graph     reads twins back through the SDK
     */
    public FleetSimulation(URI app, String key, int fleetSize, DeviceSide side, EventGridPush push,
                           TwinGraphCheck graph) {
        this.app = Objects.requireNonNull(app, "app");
        this.key = Objects.requireNonNull(key, "key");
        this.fleetSize = fleetSize;
        this.side = Objects.requireNonNull(side, "side");
        this.push = push;
        this.graph = Objects.requireNonNull(graph, "graph");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Runs the whole scenario and returns its steps in order. */
    public List<DemoStep> run() throws IOException, InterruptedException {
        handshake();
        wrongKey();
        List<Device> fleet = new ArrayList<>();
        for (int i = 1; i <= fleetSize; i++) {
            String id = String.format("thermostat-%03d", i);
            String room = i % 3 == 0 ? ReferenceGraph.ROOMS.get((i / 3 - 1) % ReferenceGraph.ROOMS.size()) : null;
            Device device = new Device(id, room);
            devices.put(id, device);
            fleet.add(device);
        }
        steps.addAll(inParallel(fleet, this::register));
        steps.addAll(inParallel(fleet.stream().filter(d -> d.registered && number(d.id) % 5 == 0).toList(),
                this::reRegister));
        rejected();
        deleteEveryFourth();
        moduleDecoy();
        decoys();
        return List.copyOf(steps);
    }

    /** The devices of the fleet (the two rejected ones included), by id. */
    public Map<String, Device> devices() {
        return devices;
    }

    @FunctionalInterface
    private interface DeviceTask {
        DemoStep run(Device device) throws Exception;
    }

    /** Runs {@code task} for every device, a few at a time; the steps come back in the devices' order. */
    private List<DemoStep> inParallel(List<Device> fleet, DeviceTask task) throws InterruptedException {
        if (fleet.isEmpty()) {
            return List.of();
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_DEVICES, fleet.size()), runnable -> {
            Thread thread = new Thread(runnable, "demo-device-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<DemoStep>> running = new ArrayList<>();
            for (Device device : fleet) {
                running.add(pool.submit(() -> task.run(device)));
            }
            long perDevice = SdkThermostat.REGISTRATION_TIMEOUT.plus(SdkThermostat.SEND_TIMEOUT).plusSeconds(20)
                    .toNanos();
            long deadline = System.nanoTime() + perDevice * ((fleet.size() + PARALLEL_DEVICES - 1) / PARALLEL_DEVICES);
            List<DemoStep> done = new ArrayList<>();
            for (int i = 0; i < fleet.size(); i++) {
                Device device = fleet.get(i);
                try {
                    done.add(running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    LOG.warn("Device {} failed", device.id, cause);
                    done.add(new DemoStep("register", device.id, "-", "-", "completed",
                            "failed: " + cause.getClass().getSimpleName()));
                } catch (TimeoutException e) {
                    running.get(i).cancel(true);
                    done.add(new DemoStep("register", device.id, "-", "-", "completed", "timed out"));
                }
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    private void handshake() throws IOException, InterruptedException {
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

    /** The device's payload: {@code {"modelId": …}}, with {@code parentTwinId} when it names a room. */
    private static String payload(Object modelId, String room) throws IOException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("modelId", modelId);
        if (room != null) {
            payload.put("parentTwinId", room);
        }
        return JSON.writeValueAsString(payload);
    }

    private DemoStep register(Device device) throws IOException, InterruptedException {
        SdkThermostat thermostat = new SdkThermostat(side, device.id);
        SdkThermostat.Registration registration = thermostat.register(payload(ReferenceGraph.THERMOSTAT, device.room));
        String step = device.room == null ? "register" : "register in " + device.room;
        String expected = "assigned, linked hub, twin " + device.id + ", telemetry recorded";
        if (!registration.assigned()) {
            return new DemoStep(step, device.id, "-", "-", expected, describeFailure(device.id, registration));
        }
        device.registered = true;
        device.hub = registration.hub();
        String placedTwin = registration.payload() == null ? "-"
                : JSON.readTree(registration.payload()).path("twinId").asText("-");
        String tagged = side.emulators().hubs().registry().device(device.hub, registration.deviceId())
                .map(d -> String.valueOf(d.tags().get("dtId"))).orElse("-");
        device.twinId = placedTwin;
        double temperature = 20 + (number(device.id) * 7 % 150) / 10.0;
        String sent = thermostat.sendTemperature(device.hub, registration.deviceId(), temperature);
        String telemetry = sent != null ? "telemetry " + sent : recorded(device.hub, registration.deviceId())
                ? "telemetry recorded" : "telemetry not recorded";
        String actual = registration.status() + (LINKED_HUBS.contains(device.hub) ? ", linked hub" : ", hub "
                + device.hub) + ", twin " + (placedTwin.equals(tagged) ? placedTwin
                : placedTwin + " (device twin tags say " + tagged + ")") + ", " + telemetry;
        return new DemoStep(step, device.id, device.hub, device.twinId, expected, actual);
    }

    /** Whether the hub recorded a {@code Temperature} message of the device. */
    private boolean recorded(String hub, String deviceId) throws IOException {
        EmulatedIotHub emulated = side.hub(hub);
        for (TelemetryMessage message : emulated.telemetry(deviceId)) {
            if (JSON.readTree(message.payloadAsString()).path("Temperature").isNumber()) {
                return true;
            }
        }
        return false;
    }

    private DemoStep reRegister(Device device) throws IOException, InterruptedException {
        SdkThermostat.Registration again = new SdkThermostat(side, device.id)
                .register(payload(ReferenceGraph.THERMOSTAT, device.room));
        String actual = !again.assigned() ? describeFailure(device.id, again)
                : again.status() + (device.hub.equals(again.hub()) ? ", same hub" : ", moved to " + again.hub());
        return new DemoStep("re-register", device.id, again.hub() == null ? "-" : again.hub(), device.twinId,
                "assigned, same hub", actual);
    }

    private void rejected() throws IOException, InterruptedException {
        Device bad = new Device(BAD_PAYLOAD_DEVICE, null);
        devices.put(bad.id, bad);
        SdkThermostat.Registration registration = new SdkThermostat(side, bad.id).register(payload(42, null));
        steps.add(new DemoStep("register (model id is a number)", bad.id, "-", "-",
                "failed, DPS 400207 (webhook answered 400)", describeFailure(bad.id, registration)));

        Device lost = new Device(LOST_DEVICE, "room-999");
        devices.put(lost.id, lost);
        registration = new SdkThermostat(side, lost.id).register(payload(ReferenceGraph.THERMOSTAT, lost.room));
        steps.add(new DemoStep("register in room-999", lost.id, "-", "-",
                "failed, DPS 400207 (webhook answered 400)", describeFailure(lost.id, registration)));
    }

    /**
     * What the device saw, with DPS's error code from the emulator's registration record (the device SDK only
     * reports a failure) and the webhook's status DPS names in its message.
     */
    private String describeFailure(String registrationId, SdkThermostat.Registration registration) {
        if (registration.assigned()) {
            return "assigned to " + registration.hub();
        }
        String outcome = registration.status().startsWith("timed out") ? registration.status() : "failed";
        return side.emulators().dps().registration(registrationId).filter(r -> !r.isAssigned())
                .map(r -> {
                    Matcher status = WEBHOOK_STATUS.matcher(String.valueOf(r.errorMessage()));
                    return outcome + ", DPS " + r.errorCode() + (status.find()
                            ? " (webhook answered " + status.group(1) + ")" : " (" + r.errorMessage() + ")");
                })
                .orElse(outcome + (registration.error() == null ? "" : ": " + registration.error()));
    }

    private void deleteEveryFourth() throws InterruptedException {
        List<Device> deleted = new ArrayList<>();
        Map<String, RegistryClient> clients = new LinkedHashMap<>();
        int removed = 0;
        for (Device device : devices.values()) {
            if (device.registered && number(device.id) % 4 == 0) {
                deleted.add(device);
                try {
                    clients.computeIfAbsent(device.hub, hub -> side.hub(hub).registryClient()).removeDevice(device.id);
                    removed++;
                } catch (IOException | IotHubException e) {
                    LOG.warn("RegistryClient.removeDevice({}) failed: {}", device.id, e.toString());
                }
            }
        }
        if (deleted.isEmpty()) {
            return;
        }
        // IoT Hub pushes DeviceDeleted through Event Grid; the application retires the twins as they arrive. Wait for
        // both: a twin is gone before the push has recorded the application's answer.
        List<String> ids = deleted.stream().map(d -> d.id).toList();
        long deadline = System.nanoTime() + RETIREMENT_TIMEOUT.toNanos();
        int retired;
        long pushed;
        while (true) {
            retired = 0;
            for (Device device : deleted) {
                if (graph.twin(device.twinId).isEmpty()) {
                    retired++;
                }
            }
            pushed = push == null ? 0 : push.deliveries().stream()
                    .filter(d -> d.outcome() == EventGridPush.Outcome.DELIVERED
                            && d.eventType().endsWith("DeviceDeleted") && ids.contains(d.deviceId()))
                    .count();
            if ((retired == deleted.size() && pushed == deleted.size()) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        int n = deleted.size();
        steps.add(new DemoStep("delete (RegistryClient, Event Grid push)", n + " devices", "-", "-",
                n + " removed, " + n + " pushed, " + n + " retired",
                removed + " removed, " + pushed + " pushed, " + retired + " retired"));
        for (Device device : deleted) {
            device.deleted = graph.twin(device.twinId).isEmpty();
        }
    }

    /** A module identity added and removed: IoT Hub publishes no module events to Event Grid; nothing is retired. */
    private void moduleDecoy() throws InterruptedException {
        Device first = devices.values().stream().filter(d -> d.registered && !d.deleted).findFirst().orElse(null);
        if (first == null) {
            return;
        }
        side.emulators().hubs().awaitIdle(Duration.ofSeconds(10));
        int pushedBefore = push == null ? 0 : push.deliveries().size();
        String outcome;
        try {
            RegistryClient registry = side.hub(first.hub).registryClient();
            registry.addModule(new Module(first.id, "edgeAgent"));
            registry.removeModule(first.id, "edgeAgent");
            side.emulators().hubs().awaitIdle(Duration.ofSeconds(10));
            long moduleEvents = side.emulators().hubs().lifecycleEvents().stream()
                    .filter(e -> e.deviceId().equals(first.id) && e.moduleId().isPresent()).count();
            int pushed = push == null ? 0 : push.deliveries().size() - pushedBefore;
            outcome = moduleEvents + " module events, " + pushed + " pushed, "
                    + (graph.twin(first.twinId).isPresent() ? "twin kept" : "twin gone");
        } catch (IOException | IotHubException e) {
            outcome = "failed: " + e;
        }
        steps.add(new DemoStep("decoy: module (RegistryClient)", first.id, first.hub, first.twinId,
                "2 module events, 0 pushed, twin kept", outcome));
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
