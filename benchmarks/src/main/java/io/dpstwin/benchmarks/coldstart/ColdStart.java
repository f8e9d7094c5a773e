package io.dpstwin.benchmarks.coldstart;

import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.benchmarks.load.Spread;
import io.dpstwin.testkit.emulator.AdtEmulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cold starts, measured as whole processes: a fresh JVM ({@link ColdStartProbe}) makes one first allocation through
 * the Functions adapter ({@code dps-twin}) or the same first call through the bare SDK ({@code sdk}) against the
 * HTTPS ADT emulator, which runs in this process. The two alternate pair by pair (who goes first alternates too),
 * after one untimed pair that brings the jar into the page cache. A start is timed from launching the process until
 * it prints its answer, i.e. JVM start-up, class loading, building the client or {@code DpsTwin}, and the first
 * request pair (GET 404, PUT {@code If-None-Match: *}); the JVM's exit is not counted.
 *
 * <p>Every child runs with the same class path (this jar), the same JVM options and the emulator's certificate in
 * its trust store. Optionally ({@code cds}) each side first trains a dynamic AppCDS archive of its own
 * ({@code -XX:ArchiveClassesAtExit}, one untimed run) and the timed runs use it ({@code -XX:SharedArchiveFile}).
 * Two more untimed runs log class loading ({@code -Xlog:class+load}) for the breakdown by library.
 */
public final class ColdStart {

    /** Class-name prefixes by library, in the order the breakdown lists them; the first match counts. */
    private static final String[][] GROUPS = {
            {"dps-twin", "io.dpstwin."},
            {"Jackson", "com.fasterxml.jackson."},
            {"Micrometer", "io.micrometer."},
            {"resilience4j", "io.github.resilience4j.", "io.vavr."},
            {"credential (azure-identity, MSAL)", "com.azure.identity.", "com.microsoft.aad.", "com.nimbusds.",
                    "net.minidev."},
            {"Azure Functions library", "com.microsoft.azure.functions."},
            {"Azure SDK (azure-core, digitaltwins)", "com.azure."},
            {"reactor, netty", "reactor.", "io.netty."},
            {"logging (SLF4J, logback)", "org.slf4j.", "ch.qos.logback."},
            {"JDK", "java.", "javax.", "jdk.", "sun.", "com.sun."},
    };

    private final int pairs;
    private final List<String> jvmArgs;
    private final boolean cds;
    private final Consumer<String> progress;

    /**
     * @param pairs    timed pairs (each side starts this many times)
     * @param jvmArgs  extra options of every child JVM, e.g. {@code -Xshare:off}
     * @param cds      whether each side trains and uses a dynamic AppCDS archive
     * @param progress where to report what runs
     */
    public ColdStart(int pairs, List<String> jvmArgs, boolean cds, Consumer<String> progress) {
        this.pairs = pairs;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.cds = cds;
        this.progress = progress;
    }

    /** Runs the pairs and the class-loading breakdown. */
    public ColdStartResult run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("dps-twin-cold-start");
        try (AdtEmulator emulator = AdtEmulator.builder().models(BenchModels.dtdl()).start()) {
            Path trustStore = trustStore(emulator, work);
            Launcher launcher = new Launcher(emulator.endpoint(), trustStore, jarPath());
            Map<String, List<String>> sideArgs = new LinkedHashMap<>();
            for (String side : List.of("dps-twin", "sdk")) {
                List<String> args = new ArrayList<>(jvmArgs);
                if (cds) {
                    Path archive = work.resolve(side + ".jsa");
                    progress.accept("cold start: training the AppCDS archive of " + side);
                    List<String> training = new ArrayList<>(jvmArgs);
                    training.add("-XX:ArchiveClassesAtExit=" + archive);
                    launcher.start(side, "cds-training-" + side, training);
                    args.add("-XX:SharedArchiveFile=" + archive);
                }
                sideArgs.put(side, args);
            }
            List<Double> library = new ArrayList<>();
            List<Double> sdk = new ArrayList<>();
            List<Double> libraryBuild = new ArrayList<>();
            List<Double> libraryCall = new ArrayList<>();
            List<Double> sdkBuild = new ArrayList<>();
            List<Double> sdkCall = new ArrayList<>();
            List<Double> pairRatios = new ArrayList<>();
            List<Double> libraryCpu = new ArrayList<>();
            List<Double> sdkCpu = new ArrayList<>();
            int failures = 0;
            String firstProblem = null;
            for (int pair = -1; pair < pairs; pair++) {
                progress.accept("cold start: pair " + (pair + 1) + " of " + pairs + (pair < 0 ? " (untimed)" : ""));
                boolean libraryFirst = (pair & 1) == 0;
                Start lib = null;
                Start bare = null;
                for (int turn = 0; turn < 2; turn++) {
                    boolean isLibrary = (turn == 0) == libraryFirst;
                    String side = isLibrary ? "dps-twin" : "sdk";
                    Start start = launcher.start(side, "cold-" + side + "-" + (pair + 1), sideArgs.get(side));
                    if (isLibrary) {
                        lib = start;
                    } else {
                        bare = start;
                    }
                }
                for (Start start : List.of(lib, bare)) {
                    if (start.problem() != null) {
                        failures++;
                        firstProblem = firstProblem == null ? start.side() + ": " + start.problem() : firstProblem;
                    }
                }
                if (pair >= 0) {
                    library.add(lib.wallMs());
                    sdk.add(bare.wallMs());
                    libraryBuild.add(lib.buildMs());
                    libraryCall.add(lib.callMs());
                    sdkBuild.add(bare.buildMs());
                    sdkCall.add(bare.callMs());
                    pairRatios.add(lib.wallMs() / bare.wallMs());
                    libraryCpu.add(lib.cpuMs());
                    sdkCpu.add(bare.cpuMs());
                }
            }
            progress.accept("cold start: class loading breakdown");
            Map<String, Integer> libraryClasses = launcher.classLoads("dps-twin", sideArgs.get("dps-twin"), work);
            Map<String, Integer> sdkClasses = launcher.classLoads("sdk", sideArgs.get("sdk"), work);
            return new ColdStartResult(median(library), median(sdk), median(libraryBuild), median(libraryCall),
                    median(sdkBuild), median(sdkCall), median(libraryCpu), median(sdkCpu), median(pairRatios),
                    min(pairRatios), max(pairRatios), pairs,
                    cds, jvmArgs, libraryClasses, sdkClasses, failures, firstProblem);
        } finally {
            deleteTree(work);
        }
    }

    /** One child's figures: wall time until it answered, and its own marks. */
    private record Start(String side, double wallMs, double buildMs, double callMs, double cpuMs, String problem) {
    }

    /** Starts probes: the emulator's endpoint, the trust store holding its certificate, the class path's jar. */
    private record Launcher(String endpoint, Path trustStore, Path jar) {

        private ProcessBuilder command(String side, String registrationId, List<String> args) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(args);
            command.add("-Djavax.net.ssl.trustStore=" + trustStore);
            command.add("-Djavax.net.ssl.trustStorePassword=cold-start");
            command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
            command.add("-cp");
            command.add(jar.toString());
            command.add(ColdStartProbe.class.getName());
            command.add(side);
            command.add(BenchModels.allocationRequest(registrationId));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("ADT_SERVICE_URL", endpoint);
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            return builder;
        }

        Start start(String side, String registrationId, List<String> args) throws IOException, InterruptedException {
            ProcessBuilder builder = command(side, registrationId, args);
            long begin = System.nanoTime();
            Process process = builder.start();
            String line = null;
            long answered = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String next = out.readLine(); next != null; next = out.readLine()) {
                    if (next.startsWith("COLDSTART ")) {
                        answered = System.nanoTime();
                        line = next;
                        break;
                    }
                }
                process.waitFor();
            }
            if (line == null) {
                return new Start(side, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        "no answer (exit status " + process.exitValue() + ")");
            }
            Map<String, String> fields = fields(line);
            String problem = null;
            if (!"true".equals(fields.get("ok"))) {
                problem = "answered " + fields.get("answer");
            } else if (!fields.getOrDefault("answer", "").contains("\"dtId\":\"" + registrationId + "\"")) {
                problem = "answer without twin " + registrationId + ": " + fields.get("answer");
            }
            return new Start(side, (answered - begin) / 1e6, Double.parseDouble(fields.get("build_ms")),
                    Double.parseDouble(fields.get("call_ms")), Double.parseDouble(fields.get("cpu_ms")), problem);
        }

        Map<String, Integer> classLoads(String side, List<String> args, Path work)
                throws IOException, InterruptedException {
            Path log = work.resolve(side + "-classes.log");
            List<String> logged = new ArrayList<>(args);
            logged.add("-Xlog:class+load=info:file=" + log);
            start(side, "classes-" + side, logged);
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("all", 0);
            counts.put("from a CDS archive", 0);
            for (String[] group : GROUPS) {
                counts.put(group[0], 0);
            }
            counts.put("other", 0);
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                int tag = line.indexOf("[class,load] ");
                if (tag < 0) {
                    continue;
                }
                String rest = line.substring(tag + "[class,load] ".length());
                int space = rest.indexOf(' ');
                String name = space < 0 ? rest : rest.substring(0, space);
                counts.merge("all", 1, Integer::sum);
                if (rest.contains("shared objects file")) {
                    counts.merge("from a CDS archive", 1, Integer::sum);
                }
                counts.merge(groupOf(name), 1, Integer::sum);
            }
            return counts;
        }
    }

    static String groupOf(String className) {
        for (String[] group : GROUPS) {
            for (int i = 1; i < group.length; i++) {
                if (className.startsWith(group[i])) {
                    return group[0];
                }
            }
        }
        return "other";
    }

    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        String rest = line.substring("COLDSTART ".length());
        int answer = rest.indexOf("answer=");
        if (answer >= 0) {
            fields.put("answer", rest.substring(answer + "answer=".length()));
            rest = rest.substring(0, answer);
        }
        for (String part : rest.trim().split(" ")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                fields.put(part.substring(0, equals), part.substring(equals + 1));
            }
        }
        return fields;
    }

    private static Path trustStore(AdtEmulator emulator, Path work) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("adt-emulator", emulator.certificate());
            Path file = work.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, "cold-start".toCharArray());
            }
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a trust store with the emulator's certificate", e);
        }
    }

    private static Path jarPath() {
        try {
            Path path = Path.of(ColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("the cold-start runs need the benchmarks jar (java -jar "
                        + "benchmarks/target/dps-twin-benchmarks.jar), not " + path);
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks jar", e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The median of {@code values} (NaN when empty or when any is NaN: a start that failed). */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v.isNaN())) {
            return Double.NaN;
        }
        return Spread.median(values);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Locale-independent figure for the report. */
    static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
