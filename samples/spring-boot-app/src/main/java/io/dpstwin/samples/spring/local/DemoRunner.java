package io.dpstwin.samples.spring.local;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.EventGridPush;
import io.dpstwin.testkit.iothub.emulator.EventGridPushOptions;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the local demo once the application serves: installs the reference graph in the emulator, connects the device
 * side to the application (DPS's enrollment group {@value FleetSimulation#ENROLLMENT_GROUP} with a custom allocation
 * webhook on the application's allocation endpoint; the hubs' Event Grid subscription of its event endpoint, with the
 * validation handshake), writes the connection file if asked, runs the {@link FleetSimulation} through the device
 * SDKs, checks the graph with {@link TwinGraphCheck},
 * makes drift and repairs it with the reconciler ({@link ReconcileDemo}), and prints the summary, the URLs, the
 * webhook key and ready-to-paste curl commands. Its {@link #getExitCode() exit code} is what
 * {@code --demo.exit=true} exits with.
 */
public class DemoRunner implements ApplicationRunner, ExitCodeGenerator {

    /** The key of the local profile: a demo value, printed on purpose; never use it anywhere else. */
    public static final String DEMO_KEY = "local-demo-key-not-a-secret";

    /** The custom allocation webhook API version DPS is configured with. */
    static final String WEBHOOK_API_VERSION = "2021-10-01";

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    /**
     * The device-side emulators, started by {@link LocalEmulatorConfiguration}.
     *
     * @param dps  the DPS emulator
     * @param hubs the two IoT hubs
     * @param ca   the CA of their TLS certificates
     */
    public record Emulators(DpsEmulator dps, IotHubEmulator hubs, EmulatorCa ca) {

        public Emulators {
            Objects.requireNonNull(dps, "dps");
            Objects.requireNonNull(hubs, "hubs");
            Objects.requireNonNull(ca, "ca");
        }
    }

    private final DemoProperties demo;
    private final AdtEmulator emulator;
    private final ReferenceGraph graph;
    private final DigitalTwinsClient client;
    private final CoreOptions dpsTwin;
    private final Emulators emulators;
    private final DemoClock clock;
    private final ReconcileRunner reconcile;
    private final Environment environment;
    private final PrintStream out;
    private volatile DemoReport report;
    private volatile DeviceSide side;
    private volatile Path caPem;
    private volatile int exitCode;

    public DemoRunner(DemoProperties demo, AdtEmulator emulator, ReferenceGraph graph, DigitalTwinsClient client,
                      CoreOptions dpsTwin, Emulators emulators, DemoClock clock,
                      ReconcileRunner reconcile, Environment environment, PrintStream out) {
        this.demo = Objects.requireNonNull(demo, "demo");
        this.emulator = Objects.requireNonNull(emulator, "emulator");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.client = Objects.requireNonNull(client, "client");
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
        this.emulators = Objects.requireNonNull(emulators, "emulators");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void run(ApplicationArguments args) {
        graph.install();
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null) {
            throw new IllegalStateException("the local demo needs the web server (spring.main.web-application-type)");
        }
        URI app = URI.create("http://localhost:" + port);
        List<String> keys = dpsTwin.values().get(DpsTwinSettings.WEBHOOK_KEYS);
        String key = keys.isEmpty() ? null : keys.get(0);
        List<DemoStep> steps = new ArrayList<>();
        if (demo.fleetSize() > 0 && key == null) {
            throw new IllegalStateException("the local demo needs a webhook key in dps-twin.webhook.keys");
        }
        caPem = writeCaPem();
        EventGridPush push = null;
        TwinGraphCheck check = new TwinGraphCheck(client);
        ReconcileDemo repair = null;
        if (key != null) {
            side = new DeviceSide(emulators, demo.mqttHost(), demo.dpsTransport(),
                    DeviceAuthentication.randomKey());
            enroll(app, key);
            // RegistryClient uses HttpsURLConnection, whose only TLS setting is the process-wide default
            emulators.hubs().trustForServiceClients();
            if (demo.fleetSize() > 0) {
                repair = new ReconcileDemo(app, key, side, clock, reconcile, check);
                repair.deviceBeforeSubscription();
            }
            URI events = URI.create(app + "/api/iothub/events?code=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
            String validation;
            try {
                push = emulators.hubs().pushEventGrid(EventGridPushOptions.webhook(events)
                        .retryDelays(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
                        .maxDeliveryAttempts(4));
                validation = "code echoed, subscribed";
            } catch (IllegalStateException e) {
                LOG.error("The hubs' Event Grid subscription failed: {}", e.getMessage());
                validation = "not subscribed: " + e.getMessage();
            }
            steps.add(new DemoStep("Event Grid validation", "-", "both hubs", "-", "code echoed, subscribed",
                    validation));
        }
        writeConnectionFile();
        if (repair != null) {
            try {
                FleetSimulation fleet = new FleetSimulation(app, key, demo.fleetSize(), side, push, check);
                steps.addAll(fleet.run());
                steps.addAll(check.check(fleet.devices().values()));
                steps.addAll(repair.run());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.error("The fleet simulation failed", e);
                steps.add(new DemoStep("simulation", "-", "-", "-", "completed",
                        "failed: " + e.getClass().getSimpleName()));
            }
            report = new DemoReport(steps);
            exitCode = report.exitCode();
            out.println();
            out.println("dps-twin local demo: " + demo.fleetSize() + " simulated thermostats (DPS over "
                    + demo.dpsTransport().name() + ", telemetry over MQTT)");
            out.println();
            out.print(report.render());
            out.println();
            out.println("The reconcile steps moved the demo clock (ADT emulator, simulated hubs, reconciler) "
                    + repair.fastForward().toSeconds() + " s forward, past the " + reconcile.reconciler().options()
                    .gracePeriod().toSeconds() + " s grace window, instead of waiting.");
        } else {
            report = new DemoReport(List.of());
        }
        printEndpoints(app, key);
    }

    /**
     * DPS's enrollment group of the fleet: symmetric key, custom allocation through the application's webhook (with
     * its function key), both hubs linked.
     */
    private void enroll(URI app, String key) {
        emulators.dps().enrollments().put(Enrollment.group(FleetSimulation.ENROLLMENT_GROUP, side.groupKey())
                .iotHubs(FleetSimulation.LINKED_HUBS)
                .customAllocation(app + "/api/dps/allocate?code=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                        WEBHOOK_API_VERSION)
                .build());
    }

    private Path writeCaPem() {
        try {
            Path dir = Files.createTempDirectory("dps-twin-demo-");
            Path pem = emulators.ca().writePem(dir.resolve("emulator-ca.pem"));
            pem.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulators' CA certificate", e);
        }
    }

    /**
     * {@code --demo.connection-file}: one JSON file with everything a device or script needs (the CA, ADT, DPS with
     * the enrollment group and its key, the hubs with their {@code iothubowner} key); written once everything listens.
     */
    private void writeConnectionFile() {
        String file = demo.connectionFile();
        if (file == null || file.isBlank()) {
            return;
        }
        ObjectNode root = FleetSimulation.JSON.createObjectNode();
        root.put("caCertificatePem", caPem.toAbsolutePath().toString());
        root.putObject("adt").put("endpoint", emulator.endpoint())
                .put("certificatePem", emulator.certificatePath().toAbsolutePath().toString());
        DpsEmulator dps = emulators.dps();
        ObjectNode dpsNode = root.putObject("dps");
        dpsNode.put("globalEndpoint", dps.globalEndpoint()).put("httpsEndpoint", dps.httpsEndpoint())
                .put("idScope", dps.idScope());
        ArrayNode groups = dpsNode.putArray("enrollmentGroups");
        dps.enrollments().groups().forEach(group -> groups.addObject()
                .put("enrollmentGroupId", group.id()).put("primaryKey", group.primaryKey()));
        ArrayNode hubs = root.putArray("iotHubs");
        for (EmulatedIotHub hub : emulators.hubs().hubs()) {
            hubs.addObject().put("hostName", hub.hostName()).put("name", hub.name())
                    .put("httpsEndpoint", hub.serviceEndpoint())
                    .put("sharedAccessKeyName", hub.sharedAccessKeyName())
                    .put("sharedAccessKey", hub.sharedAccessKey())
                    .put("mqttGateway", demo.mqttHost());
        }
        try {
            Path path = Path.of(file).toAbsolutePath();
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            FleetSimulation.JSON.writerWithDefaultPrettyPrinter().writeValue(path.toFile(), root);
            LOG.info("Connection file written: {}", path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the connection file " + file, e);
        }
    }

    private void printEndpoints(URI app, String key) {
        boolean demoKey = DEMO_KEY.equals(key);
        String shownKey = demoKey ? key : "<your key from dps-twin.webhook.keys>";
        String adt = emulator.endpoint();
        String cacert = emulator.certificatePath().toString();
        String nl = System.lineSeparator();
        out.println();
        out.println("Application:   " + app);
        out.println("ADT emulator:  " + adt + "   (self-signed certificate: " + cacert + ")");
        out.println("Webhook key:   " + shownKey + (demoKey ? "   (the local profile's demo key)" : ""));
        DpsEmulator dps = emulators.dps();
        out.println("DPS emulator:  ID scope " + dps.idScope() + ", MQTT " + dps.globalEndpoint() + ":8883, HTTPS "
                + dps.httpsEndpoint() + ", enrollment group " + FleetSimulation.ENROLLMENT_GROUP
                + (side == null ? " (not set up: no webhook key)" : ""));
        for (EmulatedIotHub hub : emulators.hubs().hubs()) {
            out.println("IoT hub:       " + hub.hostName() + "   (devices dial " + demo.mqttHost()
                    + ":8883; registry API " + hub.serviceEndpoint() + ")");
        }
        out.println("Device CA:     " + caPem + "   (DPS and the hubs)");
        if (demo.connectionFile() != null && !demo.connectionFile().isBlank()) {
            out.println("Connection:    " + Path.of(demo.connectionFile()).toAbsolutePath()
                    + "   (keys of the enrollment group and the hubs)");
        }
        out.println();
        out.println("Try it (copy and paste):" + nl
                + "  # register a thermostat and place it in room-102" + nl
                + "  curl -s -X POST '" + app + "/api/dps/allocate?code=" + shownKey + "' -H 'Content-Type: application/json' \\" + nl
                + "    -d '{\"deviceRuntimeContext\":{\"registrationId\":\"my-thermostat\",\"payload\":{\"modelId\":\""
                + ReferenceGraph.THERMOSTAT + "\",\"parentTwinId\":\"room-102\"}},\"linkedHubs\":[\""
                + FleetSimulation.LINKED_HUBS.get(0) + "\"]}'" + nl
                + "  # read its twin and the room's relationships from the emulator" + nl
                + "  curl -s --cacert " + cacert + " -H 'Authorization: Bearer demo' '" + adt
                + "/digitaltwins/my-thermostat?api-version=2023-10-31'" + nl
                + "  curl -s --cacert " + cacert + " -H 'Authorization: Bearer demo' '" + adt
                + "/digitaltwins/room-102/relationships?api-version=2023-10-31'" + nl
                + "  # delete the device, as IoT Hub reports it through Event Grid" + nl
                + "  curl -s -X POST '" + app + "/api/iothub/events?code=" + shownKey + "' -H 'Content-Type: application/json' \\" + nl
                + "    -d '[{\"id\":\"1\",\"subject\":\"devices/my-thermostat\",\"eventType\":\"Microsoft.Devices.DeviceDeleted\","
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"data\":{\"hubName\":\"contoso-hub-1\",\"deviceId\":\"my-thermostat\"},"
                + "\"dataVersion\":\"1\",\"metadataVersion\":\"1\"}]'" + nl
                + "  # every twin left" + nl
                + "  curl -s --cacert " + cacert + " -H 'Authorization: Bearer demo' -H 'Content-Type: application/json' -X POST '"
                + adt + "/query?api-version=2023-10-31' -d '{\"query\":\"SELECT T.$dtId FROM DIGITALTWINS T\"}'" + nl
                + "  # start a reconcile dry run (in the background; {\"apply\": true} repairs only with allow-apply)" + nl
                + "  curl -s -X POST '" + app + "/actuator/dpstwinreconcile' -H 'Content-Type: application/json' -d '{}'" + nl
                + "  # its progress, then its report" + nl
                + "  curl -s '" + app + "/actuator/dpstwinreconcile'" + nl
                + "  # health and metrics" + nl
                + "  curl -s '" + app + "/actuator/health'" + nl
                + "  curl -s '" + app + "/actuator/metrics/dpstwin.allocations'");
        if (!demo.exit()) {
            out.println();
            out.println("Serving until you stop it (Ctrl+C).");
        }
        out.flush();
    }

    /** The summary of the last run ({@code null} before the application ran it). */
    public DemoReport report() {
        return report;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
