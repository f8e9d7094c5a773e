package io.dpstwin.samples.spring.local;

import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import io.dpstwin.core.reconcile.ActionResult;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.spring.reconcile.ReconcileEndpoint;
import io.dpstwin.spring.reconcile.ReconcileRunner;
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
import java.util.List;
import java.util.Objects;

/**
 * The repair part of the demo: it makes drift the event flows cannot see, lets the reconciler find it with a dry
 * run through the actuator endpoint, repairs it, and checks that a second dry run finds nothing.
 * <ol>
 *   <li>an <b>orphaned twin</b>: {@value #UNFINISHED} registers through the webhook (its twin is created) but DPS's
 *       registration then fails, so no device ever appears in a hub;</li>
 *   <li>a <b>missing twin</b>: {@value #UNMIRRORED} was created in a hub with {@code RegistryClient} before the
 *       hubs' Event Grid subscription of the application existed ({@link #deviceBeforeSubscription()}), so its
 *       {@code DeviceCreated} event never reached the application and it has no twin;</li>
 *   <li>the demo clock steps past the reconciler's grace window (fresh drift is left alone, as it may be in flight);
 *       </li>
 *   <li>{@code POST /actuator/dpstwinreconcile} starts a dry run (202), and {@code GET} shows its progress, then
 *       its report, which must find exactly those two; nothing changes;</li>
 *   <li>{@code POST /actuator/dpstwinreconcile} with {@code {"apply": true}}: refused, because
 *       {@code dps-twin.reconcile.endpoint.allow-apply} is off;</li>
 *   <li>a repairing run through the application's {@link ReconcileRunner}, as the scheduled run does with
 *       {@code dps-twin.reconcile.apply=true}: the orphan is retired, the missing twin created;</li>
 *   <li>a second dry run: no drift left.</li>
 * </ol>
 */
public final class ReconcileDemo {

    /** A device whose DPS registration failed after the webhook had created its twin. */
    public static final String UNFINISHED = "thermostat-unfinished";
    /** A device created in a hub directly whose creation event was lost. */
    public static final String UNMIRRORED = "thermostat-unmirrored";
    /** The hub {@link #UNMIRRORED} is created in. */
    public static final String UNMIRRORED_HUB = FleetSimulation.LINKED_HUBS.get(1);

    private static final ObjectMapper JSON = FleetSimulation.JSON;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI app;
    private final String key;
    private final DeviceSide side;
    private final DemoClock clock;
    private final ReconcileRunner runner;
    private final TwinGraphCheck graph;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final List<DemoStep> steps = new ArrayList<>();
    private volatile String createdBeforeSubscription = "not created";

    /**
     * @param app    the application's base URL
     * @param key    a webhook key the application accepts
     * @param side   the emulated IoT hubs (their registry is the reconciler's device inventory)
     * @param clock  the demo clock shared by the emulator, the hubs and the reconciler
     * @param runner the application's reconcile runner
     * @param graph  reads twins back through the SDK
     */
    public ReconcileDemo(URI app, String key, DeviceSide side, DemoClock clock, ReconcileRunner runner,
                         TwinGraphCheck graph) {
        this.app = Objects.requireNonNull(app, "app");
        this.key = Objects.requireNonNull(key, "key");
        this.side = Objects.requireNonNull(side, "side");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    /** How far {@link #run()} moves the demo clock: past the grace window, with a margin. */
    public Duration fastForward() {
        return runner.reconciler().options().gracePeriod().plusSeconds(10);
    }

    /** Runs the whole scenario and returns its steps in order. */
    public List<DemoStep> run() throws IOException, InterruptedException {
        orphan();
        missing();
        clock.advance(fastForward());
        dryRun("reconcile dry run (POST, GET actuator)", true);
        refusedApply();
        apply();
        dryRun("reconcile dry run again (POST, GET)", false);
        return List.copyOf(steps);
    }

    private void orphan() throws IOException, InterruptedException {
        String body = FleetSimulation.request(UNFINISHED, null).toJson();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(app.resolve("/api/dps/allocate?code="
                        + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        String hub = answer.statusCode() == 200
                ? JSON.readTree(answer.body()).path("iotHubHostName").asText("-") : "-";
        // DPS's registration fails here: the device is never added to the hub.
        steps.add(new DemoStep("drift: registration failed", UNFINISHED, hub, UNFINISHED,
                "200, twin created, no device", answer.statusCode() + (graph.twin(UNFINISHED).isPresent()
                ? ", twin created" : ", no twin") + (inAnyHub(UNFINISHED) ? ", device in a hub" : ", no device")));
    }

    /**
     * Creates {@value #UNMIRRORED} in its hub with {@code RegistryClient}; call it before the hubs' Event Grid
     * subscription of the application is created, so that its {@code DeviceCreated} event is not pushed.
     */
    public void deviceBeforeSubscription() {
        try {
            side.hub(UNMIRRORED_HUB).registryClient().addDevice(new Device(UNMIRRORED));
            // the hubs hand each event to the subscriptions that exist when it is delivered: let this one go first
            createdBeforeSubscription = side.emulators().hubs().awaitIdle(Duration.ofSeconds(10))
                    ? "created (RegistryClient) before the subscription" : "created, its event still queued";
        } catch (IOException | IotHubException e) {
            createdBeforeSubscription = "not created (" + e + ")";
        }
    }

    private void missing() {
        steps.add(new DemoStep("drift: device older than the subscription", UNMIRRORED, UNMIRRORED_HUB, UNMIRRORED,
                "created (RegistryClient) before the subscription, no twin", createdBeforeSubscription
                + (inAnyHub(UNMIRRORED) ? "" : ", not in the hub")
                + (graph.twin(UNMIRRORED).isPresent() ? ", twin" : ", no twin")));
    }

    private void dryRun(String step, boolean expectDrift) throws IOException, InterruptedException {
        String before = JSON.readTree(send(endpoint().GET()).body()).path("lastReport").path("runId").asText("");
        HttpResponse<String> started = send(endpoint().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        // The run goes on in the background: GET shows its progress, then its report.
        HttpResponse<String> answer = send(endpoint().GET());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (started.statusCode() == 202 && System.nanoTime() < deadline
                && (JSON.readTree(answer.body()).path("running").asBoolean(true)
                || before.equals(JSON.readTree(answer.body()).path("lastReport").path("runId").asText("")))) {
            Thread.sleep(50);
            answer = send(endpoint().GET());
        }
        JsonNode report = JSON.readTree(answer.body()).path("lastReport");
        JsonNode counts = report.path("counts");
        int orphans = counts.path("orphans").asInt();
        int missing = counts.path("missing").asInt();
        int other = counts.path("unresolved").asInt() + counts.path("skippedRecent").asInt();
        String drift = orphans == 0 && missing == 0 && other == 0 ? "no drift"
                : orphans + " orphan, " + missing + " missing" + (other == 0 ? "" : ", " + other + " other");
        boolean unchanged = graph.twin(UNFINISHED).isPresent() == expectDrift
                && graph.twin(UNMIRRORED).isPresent() != expectDrift;
        steps.add(new DemoStep(step, counts.path("devices").asInt() + " devices", "-",
                counts.path("twins").asInt() + " twins",
                "202, 200 ok: " + (expectDrift ? "1 orphan, 1 missing" : "no drift") + ", no change",
                started.statusCode() + ", " + answer.statusCode() + " " + report.path("status").asText("?") + ": "
                        + drift + ", "
                        + (unchanged ? "no change" : "graph changed")));
        if (!expectDrift) {
            return;
        }
        steps.add(new DemoStep("  found orphaned twin", UNFINISHED, "-", UNFINISHED, "planned: retire",
                contains(report.path("orphans"), "twinId", UNFINISHED)
                        ? "planned: " + plannedAction(report, UNFINISHED) : "not found"));
        steps.add(new DemoStep("  found missing twin", UNMIRRORED, UNMIRRORED_HUB, UNMIRRORED,
                "planned: create (model from default)", contains(report.path("missing"), "deviceId", UNMIRRORED)
                ? "planned: " + plannedAction(report, UNMIRRORED) + " (model from "
                + modelSource(report, UNMIRRORED) + ")" : "not found"));
    }

    private void refusedApply() throws IOException, InterruptedException {
        HttpResponse<String> answer = send(endpoint().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apply\": true}")));
        String code = JSON.readTree(answer.body()).path("error").path("code").asText("-");
        steps.add(new DemoStep("reconcile apply (POST actuator)", "-", "-", "-",
                "403 ApplyNotAllowed, nothing changed", answer.statusCode() + " " + code
                + (graph.twin(UNFINISHED).isPresent() ? ", nothing changed" : ", graph changed")));
    }

    private void apply() {
        ReconcileRunner.Attempt run = runner.runNow(false);
        if (!run.started()) {
            steps.add(new DemoStep("reconcile apply (scheduled-run path)", "-", "-", "-", "ok, 2 applied, 0 failed",
                    "not started: " + ReconcileRunner.describe(run)));
            return;
        }
        ReconcileReport report = run.report().join();
        steps.add(new DemoStep("reconcile apply (scheduled-run path)", "-", "-", "-", "ok, 2 applied, 0 failed",
                report.status().wire() + ", " + report.counts().applied() + " applied, "
                        + report.counts().failed() + " failed"));
        steps.add(new DemoStep("  retire orphaned twin", UNFINISHED, "-", UNFINISHED, "retired, twin gone",
                outcome(report, UNFINISHED) + (graph.twin(UNFINISHED).isPresent() ? ", twin still there"
                        : ", twin gone")));
        steps.add(new DemoStep("  create missing twin", UNMIRRORED, UNMIRRORED_HUB, UNMIRRORED,
                "created, Thermostat twin", outcome(report, UNMIRRORED) + ", " + graph.twin(UNMIRRORED)
                .map(ReconcileDemo::modelName).orElse("no twin")));
    }

    private boolean inAnyHub(String deviceId) {
        InMemoryDeviceRegistry hubs = side.emulators().hubs().registry();
        return hubs.hubHostNames().stream().anyMatch(hub -> hubs.device(hub, deviceId).isPresent());
    }

    private HttpRequest.Builder endpoint() {
        return HttpRequest.newBuilder(app.resolve("/actuator/" + ReconcileEndpoint.ID));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean contains(JsonNode items, String field, String id) {
        for (JsonNode item : items) {
            if (id.equals(item.path(field).asText())) {
                return true;
            }
        }
        return false;
    }

    private static String plannedAction(JsonNode report, String twinId) {
        for (JsonNode action : report.path("planned")) {
            if (twinId.equals(action.path("twinId").asText())) {
                return action.path("action").asText("?");
            }
        }
        return "nothing";
    }

    private static String modelSource(JsonNode report, String deviceId) {
        for (JsonNode missing : report.path("missing")) {
            if (deviceId.equals(missing.path("deviceId").asText())) {
                return missing.path("modelSource").asText("?");
            }
        }
        return "?";
    }

    private static String outcome(ReconcileReport report, String twinId) {
        List<ActionResult> results = new ArrayList<>(report.applied());
        results.addAll(report.failures());
        return results.stream().filter(result -> twinId.equals(result.action().twinId()))
                .map(result -> result.outcome().wire()).findFirst().orElse("no action");
    }

    private static String modelName(BasicDigitalTwin twin) {
        return ReferenceGraph.THERMOSTAT.equals(twin.getMetadata().getModelId()) ? "Thermostat twin"
                : twin.getMetadata().getModelId() + " twin";
    }
}
