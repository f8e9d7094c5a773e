package io.dpstwin.testkit.emulator;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.testkit.adt.AdtLimits;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.dpstwin.testkit.emulator.CommandLine.value;

/**
 * Runs the ADT emulator on its own:
 *
 * <pre>
 * java -jar dps-twin-emulator.jar --port 8443 [--models DIR] [--cert FILE] [--bind ADDRESS] [--adt-limits]
 *      [--query-lag MILLIS] [--relationship-page-size N] [--endpoint NAME[=URL]]...
 * </pre>
 *
 * It prints {@code ADT emulator listening on https://localhost:<port>} and the path of its certificate (PEM), then
 * serves until stopped (Ctrl-C or SIGTERM close it cleanly).
 */
public final class AdtEmulatorMain {

    private static final String USAGE = String.join("\n",
            "Usage: java -jar dps-twin-emulator.jar --port <port> [options]",
            "  --port <port>        port to listen on (0 picks a free port)",
            "  --models <dir>       upload every *.json file of <dir> at start (one interface or an array per file)",
            "  --cert <file>        write the certificate (PEM) to <file> instead of a temporary file",
            "  --bind <address>     address to listen on (default: loopback, 127.0.0.1)",
            "  --adt-limits         enforce ADT's rate limits (500 creates/deletes per s, 10 writes per s per twin)",
            "  --query-lag <millis> queries see writes only after this delay (ADT: up to 10000)",
            "  --relationship-page-size <n>",
            "                       items per page of relationship lists (default: ADT's 10)",
            "  --endpoint <name>[=<url>]",
            "                       declare an event route endpoint (repeatable): events routed to it are POSTed to",
            "                       <url> as CloudEvents, or printed as JSON lines to standard output without one",
            "  --help               print this help");

    private AdtEmulatorMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status >= 0) {
            System.exit(status);
        }
    }

    /**
     * Starts the emulator and blocks until the JVM shuts down.
     *
     * @return the exit status for a failure or {@code --help}; never returns after a successful start
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Integer port = null;
        Path models = null;
        Path cert = null;
        InetAddress bind = InetAddress.getLoopbackAddress();
        boolean adtLimits = false;
        Duration lag = null;
        Integer relationshipPageSize = null;
        Map<String, URI> endpoints = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port":
                        port = Integer.parseInt(value(args, ++i, "--port"));
                        if (port < 0 || port > 65_535) {
                            throw new IllegalArgumentException("--port must be 0..65535");
                        }
                        break;
                    case "--models":
                        models = Path.of(value(args, ++i, "--models"));
                        break;
                    case "--cert":
                        cert = Path.of(value(args, ++i, "--cert"));
                        break;
                    case "--bind":
                        bind = InetAddress.getByName(value(args, ++i, "--bind"));
                        break;
                    case "--adt-limits":
                        adtLimits = true;
                        break;
                    case "--query-lag":
                        lag = Checks.notNegative(Duration.ofMillis(Long.parseLong(value(args, ++i, "--query-lag"))),
                                "--query-lag");
                        break;
                    case "--relationship-page-size":
                        relationshipPageSize = Checks.atLeast(
                                Integer.parseInt(value(args, ++i, "--relationship-page-size")), 1,
                                "--relationship-page-size");
                        break;
                    case "--endpoint":
                        String endpoint = value(args, ++i, "--endpoint");
                        int eq = endpoint.indexOf('=');
                        String name = eq < 0 ? endpoint : endpoint.substring(0, eq);
                        if (name.isBlank()) {
                            throw new IllegalArgumentException("--endpoint needs a name, as in --endpoint downstream");
                        }
                        URI url = eq < 0 ? null : URI.create(endpoint.substring(eq + 1));
                        if (url != null && !"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                            throw new IllegalArgumentException("the URL of --endpoint " + name + " must be http or https");
                        }
                        endpoints.put(name, url);
                        break;
                    case "--help":
                    case "-h":
                        out.println(USAGE);
                        return 0;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port == null) {
                throw new IllegalArgumentException("--port is required (0 picks a free port)");
            }
        } catch (NumberFormatException e) {
            err.println("error: " + e.getMessage() + " is not a number");
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException | UnknownHostException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

        AdtEmulator.Builder builder = AdtEmulator.builder().port(port).bindAddress(bind);
        if (adtLimits) {
            builder.limits(AdtLimits.adtDefaults());
        }
        if (lag != null) {
            builder.queryIndexLag(lag);
        }
        if (relationshipPageSize != null) {
            builder.relationshipPageSize(relationshipPageSize);
        }
        endpoints.forEach((name, url) -> {
            if (url != null) {
                builder.webhookEndpoint(name, url);
            } else {
                builder.endpoint(name, event -> {
                    synchronized (out) {
                        out.println(event.toCloudEvent());
                        out.flush();
                    }
                });
            }
        });
        AdtEmulator emulator;
        try {
            if (models != null) {
                builder.modelDirectory(models);
            }
            emulator = builder.start();
        } catch (AdtException e) {
            err.println("error: the models in " + models + " were not uploaded: " + e.errorCode() + ": " + e.getMessage());
            return 1;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        Path certificate;
        try {
            if (cert != null) {
                Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
                certificate = cert.toAbsolutePath();
            } else {
                certificate = emulator.certificatePath();
            }
        } catch (IOException | UncheckedIOException e) {
            emulator.close();
            err.println("error: cannot write the certificate: " + e.getMessage());
            return 1;
        }
        return CommandLine.serveUntilShutdown(emulator, "adt-emulator-shutdown", out,
                "ADT emulator listening on " + emulator.endpoint(), "Certificate (PEM): " + certificate);
    }
}
