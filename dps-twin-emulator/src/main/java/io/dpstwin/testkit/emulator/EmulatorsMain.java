package io.dpstwin.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;
import io.dpstwin.testkit.internal.Wire;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.IotHubSpec;
import io.dpstwin.testkit.iothub.emulator.SasTokens;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.dpstwin.testkit.emulator.CommandLine.value;

/**
 * Runs ADT, DPS and any number of IoT hubs together (or any subset of them) in one process, all with certificates
 * from one self-signed {@link EmulatorCa}, whose PEM it writes out:
 *
 * <pre>
 * java -jar dps-twin-emulators.jar [--adt] [--dps] [--hub HOST[=PORT]]... [--connection-file FILE] [options]
 * java -jar dps-twin-emulators.jar sas --connection-file FILE [--hub HOST] [--ttl SECONDS]
 * </pre>
 *
 * Without {@code --adt}, {@code --dps} or {@code --hub} it runs all three with one hub, {@code 127.0.0.1}. DPS and the
 * hubs share one MQTT-over-TLS listener (port 8883 by default, the port the Java device SDKs always dial). With
 * {@code --connection-file} it writes, once everything listens, a JSON file with the endpoints, the ID scope, the
 * enrollment groups' keys and the hubs' {@code iothubowner} keys, for scripts in any language; keys are written there
 * and nowhere else. The {@code sas} command prints a service SAS token for a hub of such a file (for {@code curl}).
 * SIGTERM or Ctrl-C stop it cleanly.
 */
public final class EmulatorsMain {

    /** The hub started when no component is named. */
    static final String DEFAULT_HUB = "127.0.0.1";
    /** The enrollment group created for DPS when none is named and no enrollment file is given. */
    static final String DEFAULT_GROUP = "default-group";

    private static final String USAGE = String.join("\n",
            "Usage: java -jar dps-twin-emulators.jar [--adt] [--dps] [--hub <host>[=<port>]]... [options]",
            "       java -jar dps-twin-emulators.jar sas --connection-file <file> [--hub <host>] [--ttl <seconds>]",
            "Components (none named: ADT, DPS and one hub " + DEFAULT_HUB + "):",
            "  --adt                      run the ADT emulator",
            "  --dps                      run the DPS emulator (linked to every hub)",
            "  --hub <host>[=<port>]      run an IoT hub devices reach as <host> (repeatable); it must resolve to the",
            "                             MQTT listener's address (e.g. 127.0.0.1); HTTPS on <port> (default: free)",
            "Options:",
            "  --connection-file <file>   write the endpoints and keys as JSON once everything listens",
            "  --ca-cert <file>           write the CA certificate (PEM) there (default: ca.pem beside the connection",
            "                             file, else a temporary file)",
            "  --mqtt-host <host>         the host devices dial for DPS over MQTT (default: localhost)",
            "  --mqtt-port <port>         the shared MQTT-over-TLS port (default: 8883, which the Java SDKs require;",
            "                             0 picks a free one)",
            "  --adt-port <port>          the ADT HTTPS port (default: free)",
            "  --models <dir>             upload every *.json file of <dir> to ADT at start",
            "  --dps-https-port <port>    the DPS HTTPS port (default: free)",
            "  --id-scope <scope>         the DPS ID scope (default: random 0ne...)",
            "  --enrollment-group <id>    a symmetric-key enrollment group with a random key (repeatable; default: "
                    + DEFAULT_GROUP + ")",
            "  --webhook <url>            custom allocation for those groups through this webhook (default: hashed)",
            "  --webhook-api-version <v>  the api-version DPS sends to the webhook (default: 2021-10-01)",
            "  --enrollments <file>       DPS enrollments from a JSON file (enrollmentGroups, individualEnrollments)",
            "  --help                     print this help");


    private EmulatorsMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /** The parsed command line. */
    static final class Options {
        boolean adt;
        boolean dps;
        final Map<String, Integer> hubs = new LinkedHashMap<>();
        Path connectionFile;
        Path caCert;
        String mqttHost = "localhost";
        int mqttPort = DeviceMqttListener.DEFAULT_PORT;
        int adtPort;
        Path models;
        int dpsHttpsPort;
        String idScope;
        final List<String> groups = new ArrayList<>();
        String webhook;
        String webhookApiVersion = "2021-10-01";
        Path enrollments;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--adt" -> o.adt = true;
                    case "--dps" -> o.dps = true;
                    case "--hub" -> {
                        String hub = value(args, ++i, "--hub");
                        int eq = hub.indexOf('=');
                        String host = (eq < 0 ? hub : hub.substring(0, eq)).trim();
                        if (host.isEmpty()) {
                            throw new IllegalArgumentException("--hub needs a host name, as in --hub 127.0.0.1");
                        }
                        o.hubs.put(host, eq < 0 ? 0 : port(hub.substring(eq + 1), "--hub " + host));
                    }
                    case "--connection-file" -> o.connectionFile = Path.of(value(args, ++i, "--connection-file"));
                    case "--ca-cert" -> o.caCert = Path.of(value(args, ++i, "--ca-cert"));
                    case "--mqtt-host" -> o.mqttHost = value(args, ++i, "--mqtt-host");
                    case "--mqtt-port" -> o.mqttPort = port(value(args, ++i, "--mqtt-port"), "--mqtt-port");
                    case "--adt-port" -> o.adtPort = port(value(args, ++i, "--adt-port"), "--adt-port");
                    case "--models" -> o.models = Path.of(value(args, ++i, "--models"));
                    case "--dps-https-port" ->
                            o.dpsHttpsPort = port(value(args, ++i, "--dps-https-port"), "--dps-https-port");
                    case "--id-scope" -> o.idScope = value(args, ++i, "--id-scope");
                    case "--enrollment-group" -> o.groups.add(value(args, ++i, "--enrollment-group"));
                    case "--webhook" -> o.webhook = value(args, ++i, "--webhook");
                    case "--webhook-api-version" -> o.webhookApiVersion = value(args, ++i, "--webhook-api-version");
                    case "--enrollments" -> o.enrollments = Path.of(value(args, ++i, "--enrollments"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!o.adt && !o.dps && o.hubs.isEmpty()) {
                o.adt = true;
                o.dps = true;
                o.hubs.put(DEFAULT_HUB, 0);
            }
            if (o.dps && o.groups.isEmpty() && o.enrollments == null) {
                o.groups.add(DEFAULT_GROUP);
            }
            if (!o.dps && (!o.groups.isEmpty() || o.webhook != null || o.enrollments != null || o.idScope != null)) {
                throw new IllegalArgumentException("DPS options need --dps");
            }
            if (!o.adt && o.models != null) {
                throw new IllegalArgumentException("--models needs --adt");
            }
            return o;
        }
    }

    /**
     * Starts the emulators and blocks until the JVM shuts down.
     *
     * @return the exit status for a failure, {@code --help} or the {@code sas} command; never returns after a
     *         successful start
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && "sas".equals(args[0])) {
            return sas(List.of(args).subList(1, args.length), out, err);
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Running running;
        try {
            running = start(options, out);
        } catch (AdtException e) {
            err.println("error: the models in " + options.models + " were not uploaded: " + e.errorCode() + ": "
                    + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        return CommandLine.serveUntilShutdown(running, "emulators-shutdown", out, "Ready");
    }

    /** What one run started, closed in reverse order. */
    static final class Running implements AutoCloseable {
        AdtEmulator adt;
        DeviceMqttListener mqtt;
        IotHubEmulator hubs;
        DpsEmulator dps;
        Path temporaryPem;

        @Override
        public void close() {
            if (dps != null) {
                dps.close();
            }
            if (hubs != null) {
                hubs.close();
            }
            if (mqtt != null) {
                mqtt.close();
            }
            if (adt != null) {
                adt.close();
            }
            if (temporaryPem != null) {
                try {
                    Files.deleteIfExists(temporaryPem);
                } catch (IOException e) {
                    // a temporary file the OS cleans up anyway
                }
            }
        }
    }

    /** Starts what {@code o} names, prints the endpoints and writes the CA and the connection file. */
    static Running start(Options o, PrintStream out) {
        EmulatorCa ca = EmulatorCa.generate();
        Running running = new Running();
        try {
            if (o.adt) {
                AdtEmulator.Builder adt = AdtEmulator.builder().certificateAuthority(ca).port(o.adtPort);
                if (o.models != null) {
                    adt.modelDirectory(o.models);
                }
                running.adt = adt.start();
                out.println("ADT emulator listening on " + running.adt.endpoint());
            }
            if (o.dps || !o.hubs.isEmpty()) {
                running.mqtt = DeviceMqttListener.builder().host(o.mqttHost).port(o.mqttPort)
                        .certificateAuthority(ca).serverNames(o.hubs.keySet().toArray(String[]::new))
                        .portOptionName("--mqtt-port").start();
                out.println("MQTT (DPS and IoT hubs) listening on " + running.mqtt.host() + ":"
                        + running.mqtt.port());
            }
            if (!o.hubs.isEmpty()) {
                IotHubEmulator.Builder hubs = IotHubEmulator.builder().certificateAuthority(ca).mqtt(running.mqtt);
                o.hubs.forEach((host, port) -> hubs.hub(IotHubSpec.of(host).port(port)));
                running.hubs = hubs.start();
                for (EmulatedIotHub hub : running.hubs.hubs()) {
                    out.println("IoT hub " + hub.hostName() + " service API on " + hub.serviceEndpoint());
                }
            }
            if (o.dps) {
                DpsEmulator.Builder dps = DpsEmulator.builder().certificateAuthority(ca).mqttListener(running.mqtt)
                        .httpsPort(o.dpsHttpsPort);
                if (o.idScope != null) {
                    dps.idScope(o.idScope);
                }
                if (running.hubs != null) {
                    dps.linkedHub(running.hubs.hubs().toArray(EmulatedIotHub[]::new));
                }
                if (o.enrollments != null) {
                    dps.enrollmentsFile(o.enrollments);
                }
                for (String group : o.groups) {
                    Enrollment.Builder enrollment = Enrollment.group(group, randomKey());
                    if (o.webhook != null) {
                        enrollment.customAllocation(o.webhook, o.webhookApiVersion);
                    }
                    dps.enrollment(enrollment.build());
                }
                running.dps = dps.start();
                out.println("DPS emulator: ID scope " + running.dps.idScope() + ", MQTT global endpoint "
                        + running.dps.globalEndpoint() + ", HTTPS " + running.dps.httpsEndpoint());
            }
            Path pem = writeCa(o, ca, running);
            out.println("CA certificate (PEM): " + pem);
            if (o.connectionFile != null) {
                writeAtomically(o.connectionFile,
                        Wire.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(connection(pem, running)));
                out.println("Connection file: " + o.connectionFile.toAbsolutePath());
            }
            out.flush();
            return running;
        } catch (IOException e) {
            running.close();
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private static Path writeCa(Options o, EmulatorCa ca, Running running) throws IOException {
        if (o.caCert != null) {
            return ca.writePem(o.caCert).toAbsolutePath();
        }
        if (o.connectionFile != null) {
            Path parent = o.connectionFile.toAbsolutePath().getParent();
            return ca.writePem(parent.resolve("ca.pem")).toAbsolutePath();
        }
        running.temporaryPem = ca.writePem(Files.createTempFile("dps-twin-emulator-ca-", ".pem"));
        return running.temporaryPem.toAbsolutePath();
    }

    /** The connection file's content: the contract of docs/testing.md, with a few more fields. */
    static ObjectNode connection(Path pem, Running running) {
        ObjectNode root = Wire.MAPPER.createObjectNode();
        root.put("caCertificatePem", pem.toString());
        if (running.adt != null) {
            root.putObject("adt").put("endpoint", running.adt.endpoint());
        }
        if (running.mqtt != null) {
            root.putObject("mqtt").put("host", running.mqtt.host()).put("port", running.mqtt.port());
        }
        if (running.dps != null) {
            ObjectNode dps = root.putObject("dps");
            dps.put("globalEndpoint", running.dps.globalEndpoint());
            dps.put("httpsEndpoint", running.dps.httpsEndpoint());
            dps.put("httpsHost", running.dps.httpsHost());
            dps.put("idScope", running.dps.idScope());
            ArrayNode groups = dps.putArray("enrollmentGroups");
            running.dps.enrollments().groups().forEach(group -> groups.addObject()
                    .put("enrollmentGroupId", group.id())
                    .put("primaryKey", group.primaryKey())
                    .put("allocationPolicy", group.allocationPolicy().wireName()));
        }
        if (running.hubs != null) {
            ArrayNode hubs = root.putArray("iotHubs");
            for (EmulatedIotHub hub : running.hubs.hubs()) {
                hubs.addObject()
                        .put("hostName", hub.hostName())
                        .put("name", hub.name())
                        .put("httpsEndpoint", hub.serviceEndpoint())
                        .put("serviceHost", hub.serviceHost())
                        .put("sharedAccessKeyName", hub.sharedAccessKeyName())
                        .put("sharedAccessKey", hub.sharedAccessKey());
            }
        }
        return root;
    }

    /** Writes {@code text} to a sibling temporary file, then moves it in place: readers never see half a file. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".connection-", ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code sas --connection-file FILE [--hub HOST] [--ttl SECONDS]}: prints a hub's service SAS token. */
    static int sas(List<String> args, PrintStream out, PrintStream err) {
        Path file = null;
        String hubName = null;
        long ttl = 3600;
        try {
            for (int i = 0; i < args.size(); i++) {
                String[] array = args.toArray(String[]::new);
                switch (args.get(i)) {
                    case "--connection-file" -> file = Path.of(value(array, ++i, "--connection-file"));
                    case "--hub" -> hubName = value(array, ++i, "--hub");
                    case "--ttl" -> {
                        ttl = Long.parseLong(value(array, ++i, "--ttl"));
                        if (ttl < 1) {
                            throw new IllegalArgumentException("--ttl must be positive");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("sas needs --connection-file");
            }
            JsonNode hubs = Wire.MAPPER.readTree(file.toFile()).path("iotHubs");
            JsonNode hub = null;
            for (JsonNode candidate : hubs) {
                if (hubName == null || hubName.equalsIgnoreCase(candidate.path("hostName").asText())
                        || hubName.equalsIgnoreCase(candidate.path("name").asText())) {
                    hub = candidate;
                    break;
                }
            }
            if (hub == null) {
                throw new IllegalArgumentException(hubName == null ? file + " lists no IoT hub"
                        : "no IoT hub " + hubName + " in " + file);
            }
            out.println(SasTokens.create(hub.path("hostName").asText(), hub.path("sharedAccessKeyName").asText(),
                    hub.path("sharedAccessKey").asText(), Instant.now().plus(Duration.ofSeconds(ttl))));
            return 0;
        } catch (NumberFormatException e) {
            err.println("error: --ttl needs a number of seconds");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int port(String text, String option) {
        int port;
        try {
            port = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port number, not " + text, e);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be 0..65535");
        }
        return port;
    }
}
