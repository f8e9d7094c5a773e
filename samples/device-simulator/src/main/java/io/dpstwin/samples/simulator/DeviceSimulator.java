package io.dpstwin.samples.simulator;

import io.dpstwin.samples.simulator.SimulatedDevice.Assignment;
import io.dpstwin.samples.simulator.SimulatedDevice.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device simulator of the reference walkthrough, in Java: reads {@code PROVISIONING_HOST},
 * {@code PROVISIONING_IDSCOPE}, {@code PROVISIONING_REGISTRATION_ID}, {@code ADT_MODEL_ID} and
 * {@code PROVISIONING_SYMMETRIC_KEY} from the environment or a {@code .env} file, registers each device through DPS,
 * prints the assigned hub, device id and returned payload, then sends {@code Temperature} telemetry.
 *
 * <pre>
 * java -jar dps-twin-device-simulator.jar [--count N] [--messages N] [--interval 5s] [--transport mqtt|https]
 *                                         [--ca-certificate ca.pem] [--env-file .env]
 * </pre>
 *
 * Exit status: 0 when every device registered and sent its messages, 1 when one failed, 2 on bad settings.
 */
@Command(name = "dps-twin-device-simulator", mixinStandardHelpOptions = true,
        description = "Registers simulated devices through DPS and sends Temperature telemetry to their hubs.")
public final class DeviceSimulator implements Callable<Integer> {

    @Option(names = "--count", description = "How many devices to simulate (ids <PROVISIONING_REGISTRATION_ID>-1..N"
            + " when more than one; default ${DEFAULT-VALUE}).", defaultValue = "1")
    int count;

    @Option(names = "--messages", description = "Messages per device, then stop; 0 sends until stopped"
            + " (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long messages;

    @Option(names = "--interval", description = "Time between two messages of a device, e.g. 5s or 500ms"
            + " (default ${DEFAULT-VALUE}).", defaultValue = "5s")
    String interval;

    @Option(names = "--transport", description = "How to reach DPS: mqtt (port 8883) or https"
            + " (default ${DEFAULT-VALUE}).", defaultValue = "mqtt")
    String transport;

    @Option(names = "--ca-certificate", description = "A PEM file of the CA to trust instead of the JVM's trust store"
            + " (the emulators' CA).")
    Path caCertificate;

    @Option(names = "--env-file", description = "The .env file to read after the environment"
            + " (default ${DEFAULT-VALUE}).", defaultValue = ".env")
    Path envFile;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    DeviceSimulator(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** Runs the simulator with the process's environment; exits with its status. */
    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, args));
    }

    /** Runs the simulator and returns its exit status (0 all good, 1 a device failed, 2 bad settings). */
    public static int run(Map<String, String> environment, PrintStream out, PrintStream err, String... args) {
        CommandLine command = new CommandLine(new DeviceSimulator(environment, out, err));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        SimulatorSettings settings;
        Transport dpsTransport;
        Duration pause;
        SSLContext sslContext;
        try {
            settings = SimulatorSettings.read(environment, envFile);
            dpsTransport = transport(transport);
            pause = duration(interval);
            if (count < 1 || count > 1000) {
                throw new IllegalArgumentException("--count must be between 1 and 1000, not " + count);
            }
            if (messages < 0) {
                throw new IllegalArgumentException("--messages must be 0 (until stopped) or more, not " + messages);
            }
            sslContext = caCertificate == null ? null : trusting(caCertificate);
        } catch (IllegalArgumentException e) {
            err.println("dps-twin-device-simulator: " + e.getMessage());
            return 2;
        }

        out.printf("registering %d device(s) through %s (%s), ID scope %s%n", count, settings.provisioningHost(),
                dpsTransport, settings.idScope());
        AtomicLong sent = new AtomicLong();
        ExecutorService devices = Executors.newFixedThreadPool(count, runnable -> {
            Thread thread = new Thread(runnable, "device");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                SimulatedDevice device = new SimulatedDevice(settings, settings.registrationId(i, count), sslContext);
                outcomes.add(devices.submit(() -> simulate(device, dpsTransport, pause, sent)));
            }
            int failed = 0;
            for (Future<Boolean> outcome : outcomes) {
                try {
                    failed += Boolean.TRUE.equals(outcome.get()) ? 0 : 1;
                } catch (ExecutionException e) {
                    failed++;
                    err.println("unexpected failure: " + e.getCause());
                }
            }
            out.printf("done: %d registered and sending, %d failed, %d message(s) sent%n", count - failed, failed,
                    sent.get());
            return failed == 0 ? 0 : 1;
        } finally {
            devices.shutdownNow();
        }
    }

    private boolean simulate(SimulatedDevice device, Transport dpsTransport, Duration pause, AtomicLong sent)
            throws InterruptedException {
        try {
            Assignment assignment = device.register(dpsTransport);
            out.printf("%s: assigned to %s as device %s; payload %s%n", assignment.registrationId(),
                    assignment.hubHostName(), assignment.deviceId(),
                    assignment.payload() == null ? "(none)" : assignment.payload());
            device.sendTelemetry(assignment, messages, pause, (deviceId, body) -> {
                sent.incrementAndGet();
                out.printf("%s: sent %s%n", deviceId, body);
            });
            return true;
        } catch (SimulatorException e) {
            err.println(e.getMessage());
            return false;
        }
    }

    private static Transport transport(String value) {
        try {
            return Transport.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--transport must be mqtt or https, not '" + value + "'", e);
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m} or an ISO-8601 duration such as {@code PT5S}. */
    static Duration duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--interval '" + value + "' is not a duration such as 5s or 500ms", e);
        }
        throw new IllegalArgumentException("--interval '" + value + "' needs a unit, such as 5s or 500ms");
    }

    /** A TLS 1.2 context that trusts the certificates of {@code pem} and nothing else. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException("--ca-certificate " + pem + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca-certificate " + pem + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca-certificate " + pem + " is not a PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
