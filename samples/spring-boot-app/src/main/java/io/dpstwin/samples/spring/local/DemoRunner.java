package io.dpstwin.samples.spring.local;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the local demo once the application serves: installs the reference graph in the emulator, runs the
 * {@link FleetSimulation} against the application's own endpoints, checks the graph with {@link TwinGraphCheck},
 * makes drift and repairs it with the reconciler ({@link ReconcileDemo}), and prints the summary, the URLs, the
 * webhook key and ready-to-paste curl commands. Its {@link #getExitCode() exit code} is what
 * {@code --demo.exit=true} exits with.
 */
public class DemoRunner implements ApplicationRunner, ExitCodeGenerator {

    /** The key of the local profile: a demo value, printed on purpose; never use it anywhere else. */
    public static final String DEMO_KEY = "local-demo-key-not-a-secret";

    private static final Logger LOG = LoggerFactory.getLogger(DemoRunner.class);

    private final DemoProperties demo;
    private final AdtEmulator emulator;
    private final ReferenceGraph graph;
    private final DigitalTwinsClient client;
    private final CoreOptions dpsTwin;
    private final InMemoryDeviceRegistry hubs;
    private final DemoClock clock;
    private final ReconcileRunner reconcile;
    private final Environment environment;
    private final PrintStream out;
    private volatile DemoReport report;
    private volatile int exitCode;

    public DemoRunner(DemoProperties demo, AdtEmulator emulator, ReferenceGraph graph, DigitalTwinsClient client,
                      CoreOptions dpsTwin, InMemoryDeviceRegistry hubs, DemoClock clock,
                      ReconcileRunner reconcile, Environment environment, PrintStream out) {
        this.demo = Objects.requireNonNull(demo, "demo");
        this.emulator = Objects.requireNonNull(emulator, "emulator");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.client = Objects.requireNonNull(client, "client");
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
        this.hubs = Objects.requireNonNull(hubs, "hubs");
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
        if (demo.getFleetSize() > 0) {
            if (key == null) {
                throw new IllegalStateException("the local demo needs a webhook key in dps-twin.webhook.keys");
            }
            TwinGraphCheck check = new TwinGraphCheck(client);
            ReconcileDemo repair = new ReconcileDemo(app, key, hubs, clock, reconcile, check);
            try {
                FleetSimulation fleet = new FleetSimulation(app, key, demo.getFleetSize(), hubs);
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
            out.println("dps-twin local demo: " + demo.getFleetSize() + " simulated thermostats");
            out.println();
            out.print(report.render());
            out.println();
            out.println("The reconcile steps moved the demo clock (ADT emulator, simulated hubs, reconciler) "
                    + repair.fastForward().toSeconds() + " s forward, past the " + reconcile.reconciler().options()
                    .gracePeriod().toSeconds() + " s grace window, instead of waiting.");
        } else {
            report = new DemoReport(steps);
        }
        printEndpoints(app, key);
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
        if (!demo.isExit()) {
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
