package io.dpstwin.benchmarks;

import io.dpstwin.benchmarks.coldstart.ColdStart;
import io.dpstwin.benchmarks.coldstart.ColdStartReport;
import io.dpstwin.benchmarks.coldstart.ColdStartResult;
import io.dpstwin.benchmarks.jmh.AllocationBenchmark;
import io.dpstwin.benchmarks.load.AdtProfile;
import io.dpstwin.benchmarks.load.LimitBound;
import io.dpstwin.benchmarks.load.LoadScenarios;
import io.dpstwin.benchmarks.load.LoadRunResult;
import io.dpstwin.benchmarks.load.ScaleOutMode;
import io.dpstwin.benchmarks.load.SdkComparison;
import io.dpstwin.benchmarks.load.Spread;
import io.dpstwin.benchmarks.load.Workload;
import io.dpstwin.benchmarks.reconcile.Fleet;
import io.dpstwin.benchmarks.reconcile.FleetReconcile;
import io.dpstwin.benchmarks.reconcile.FleetReconcileResult;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs every benchmark behind {@code docs/performance.md} with short defaults and prints one Markdown report that
 * ends with the {@link ResultLine}: the JMH allocation benchmark (in-memory ADT, 1 and 2 threads), the
 * provision+retire load run through dps-twin and through a port of the reference sample against the HTTPS emulator
 * with scaled ADT limits and latency, the SDK-overhead comparison, the fleet reconcile scenario and the cold starts
 * (fresh JVMs, dps-twin through the Functions adapter vs the bare SDK). {@code --help} lists the options. The exit
 * status is 0, or 1 when any failure was counted (targets missed are not failures), or 2 for bad options.
 */
public final class Main {

    private final BenchOptions options;
    private final PrintStream out;
    private final List<String> loadSamples = new ArrayList<>();
    private final long started = System.nanoTime();
    private final List<String> throttleNotes = new ArrayList<>();
    private int failures;

    private Main(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.usage());
            System.exit(2);
            return;
        }
        if (options.flag("help")) {
            System.out.print(BenchOptions.usage());
            return;
        }
        System.exit(new Main(options, System.out).run());
    }

    private int run() throws Exception {
        long start = System.nanoTime();
        sampleLoad("start");
        List<JmhRow> jmh = options.flag("skip-jmh") ? List.of() : runJmh();
        sampleLoad("after JMH");

        Workload workload = new Workload(options.integer("devices"), options.integer("devices-per-room"));
        AdtProfile profile = AdtProfile.scaled(options.integer("instance-rate"), options.integer("twin-rate"),
                options.latency());
        List<LoadRunResult> library = new ArrayList<>();
        LoadRunResult baseline = null;
        SdkComparison sdk = null;
        List<LoadScenarios.ScaleOut> scaleOut = new ArrayList<>();
        if (!(options.flag("skip-load") && options.flag("skip-sdk") && options.flag("skip-scaleout"))) {
            try (LoadScenarios scenarios = new LoadScenarios(workload, profile, options.integer("dps-concurrency"),
                    options.integer("batch-size"))) {
                if (!options.flag("skip-load")) {
                    for (int parallelism : options.parallelism()) {
                        progress("load: dps-twin, " + workload.devices() + " devices, lifecycle parallelism "
                                + parallelism);
                        LoadRunResult run = scenarios.library(parallelism, options.integer("client-limits-percent"));
                        library.add(run);
                        failures += run.failures();
                        sampleLoad("after dps-twin load run");
                    }
                    if (!options.flag("skip-baseline")) {
                        progress("load: reference-sample baseline, " + workload.devices() + " devices");
                        baseline = scenarios.baseline();
                        sampleLoad("after baseline load run");
                    }
                }
                if (!options.flag("skip-scaleout")) {
                    int repeats = options.integer("scaleout-repeats");
                    for (ScaleOutMode mode : options.scaleOutModes()) {
                        for (int n : options.scaleOut()) {
                            for (int r = 1; r <= repeats; r++) {
                                progress("scale-out: " + n + " instances, " + mode.label()
                                        + " limits" + (repeats == 1 ? "" : ", run " + r + " of " + repeats));
                                LoadScenarios.ScaleOut run = scenarios.scaleOut(scaleOutWorkload(), n, mode,
                                        options.integer("scaleout-parallelism"));
                                scaleOut.add(run);
                                failures += run.failures();
                            }
                        }
                    }
                    sampleLoad("after scale-out");
                }
                if (!options.flag("skip-sdk")) {
                    progress("SDK overhead");
                    sdk = scenarios.sdkOverhead(options.integer("sdk-warmup-rounds"), options.integer("sdk-rounds"),
                            options.integer("sdk-per-round"));
                    failures += sdk.failures();
                    sampleLoad("after SDK overhead");
                }
            }
        }
        FleetReconcileResult fleet = null;
        if (!options.flag("skip-reconcile")) {
            progress("reconcile: " + options.reconcileDevices() + " devices over " + options.integer("reconcile-hubs")
                    + " hubs");
            fleet = new FleetReconcile(new Fleet(options.reconcileDevices(), options.integer("reconcile-hubs"),
                    options.integer("reconcile-seed"), options.reconcilePageSize()),
                    options.integer("reconcile-units"), options.integer("reconcile-speedup")).run(this::progress);
            failures += fleet.planMatches() ? 0 : 1;
            sampleLoad("after fleet reconcile");
        }
        ColdStartResult coldStart = null;
        if (!options.flag("skip-cold-start")) {
            coldStart = new ColdStart(options.integer("cold-start-pairs"), options.coldStartJvmArgs(),
                    options.flag("cold-start-cds"), this::progress).run();
            failures += coldStart.failures();
            sampleLoad("after cold starts");
        }
        progress("report");
        double minutes = (System.nanoTime() - start) / 60e9;
        ResultLine line = report(jmh, workload, profile, library, baseline, sdk, scaleOut, minutes);
        printFleet(fleet);
        Double coldStartRatio = coldStart == null ? null : ColdStartReport.print(coldStart, out);
        ResultLine result = (fleet == null ? line
                : line.withReconcile(fleet.limitRatio(), fleet.devices(), fleet.peakLiveMib(), failures))
                .withColdStart(coldStartRatio, failures);
        out.println(result);
        return result.failures() == 0 ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------------ JMH

    private List<JmhRow> runJmh() throws RunnerException {
        List<JmhRow> rows = new ArrayList<>();
        List<String> profilers = options.jmhProfilers();
        boolean verbose = options.flag("jmh-verbose") || profilers.stream().anyMatch(p -> !p.equals("gc"));
        String only = options.get("jmh-benchmarks");
        for (int threads : options.jmhThreads()) {
            progress("JMH: allocation benchmarks, " + threads + " thread" + (threads == 1 ? "" : "s"));
            ChainedOptionsBuilder builder = new OptionsBuilder()
                    .include(Pattern.quote(AllocationBenchmark.class.getName()) + "\\.(" + only.replace(',', '|') + ")$")
                    .threads(threads)
                    .forks(options.integer("jmh-forks"))
                    .warmupIterations(options.integer("jmh-warmup"))
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(options.integer("jmh-iterations"))
                    .measurementTime(TimeValue.seconds(1))
                    .mode(Mode.SampleTime)
                    .timeUnit(TimeUnit.MICROSECONDS)
                    .param("rateLimited", options.jmhRateLimited())
                    .shouldDoGC(true)
                    .shouldFailOnError(true)
                    .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
            for (String profiler : profilers) {
                int colon = profiler.indexOf(':');
                if (colon < 0) {
                    builder.addProfiler(profiler);
                } else {
                    builder.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
                }
            }
            Collection<RunResult> results;
            try {
                results = new Runner(builder.build()).run();
            } catch (RunnerException e) {
                failures++;
                out.println("JMH failed: " + e.getMessage());
                continue;
            }
            for (RunResult result : results) {
                String name = result.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.') + 1);
                var statistics = result.getPrimaryResult().getStatistics();
                double bytes = Double.NaN;
                for (String key : result.getSecondaryResults().keySet()) {
                    if (key.endsWith("gc.alloc.rate.norm")) {
                        bytes = result.getSecondaryResults().get(key).getScore();
                    }
                }
                rows.add(new JmhRow(name, result.getParams().getThreads(),
                        Boolean.parseBoolean(result.getParams().getParam("rateLimited")),
                        statistics.getPercentile(50), statistics.getPercentile(90), statistics.getPercentile(99),
                        statistics.getN(), bytes));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------------ report

    private ResultLine report(List<JmhRow> jmh, Workload workload, AdtProfile profile, List<LoadRunResult> library,
                              LoadRunResult baseline, SdkComparison sdk, List<LoadScenarios.ScaleOut> scaleOut,
                              double minutes) {
        out.println();
        out.println("## dps-twin benchmarks");
        out.println();
        out.println(machine());
        out.println("- options: " + options.nonDefaults());
        out.println("- load average (1 min) during the run: " + String.join(", ", loadSamples));
        out.println(String.format(Locale.ROOT, "- wall time: %.1f min", minutes));

        Double overhead = null;
        if (!jmh.isEmpty()) {
            out.println();
            out.println("### Allocation overhead inside core (JMH, in-memory ADT, µs per allocation)");
            out.println();
            out.println("| benchmark | threads | rate limiters | p50 | p90 | p99 | samples | bytes/op |");
            out.println("|---|---:|---|---:|---:|---:|---:|---:|");
            for (JmhRow row : jmh) {
                out.println(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %.1f | %d | %s |",
                        row.benchmark(), row.threads(), row.rateLimited() ? "on" : "off", row.p50Us(), row.p90Us(),
                        row.p99Us(), row.samples(),
                        Double.isNaN(row.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%.0f", row.bytesPerOp())));
                if (row.benchmark().equals("reRegistration") && row.rateLimited()) {
                    overhead = overhead == null ? row.p50Us() : Math.max(overhead, row.p50Us());
                }
            }
        }

        Double ratio = null;
        Double speedup = null;
        if (!library.isEmpty()) {
            LoadRunResult headline = library.get(0);
            double sustained = LimitBound.sustainedSeconds(workload, profile);
            double minimum = LimitBound.minimumSeconds(workload, profile);
            ratio = LimitBound.ratio(sustained, headline.totalSeconds());
            out.println();
            out.println("### Provision " + workload.devices() + " devices, then retire them (2 relationships each)");
            out.println();
            out.println("Emulated ADT: " + profile.describe() + ". " + workload.devicesPerRoom()
                    + " devices per room; " + workload.createDeletes() + " creates+deletes in all; limit-bound rate "
                    + String.format(Locale.ROOT, "%.0f", LimitBound.limitBoundRate(workload, profile))
                    + " per second; DPS sends " + options.integer("dps-concurrency") + " requests at once; Event "
                    + "Hubs batches of " + options.integer("batch-size") + ".");
            out.println();
            out.println("| run | provision s | retire s | total s | creates+deletes/s | share of limit-bound rate "
                    + "| DPS retries | ADT requests | 429s (provision + retire) | failures |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            out.println(String.format(Locale.ROOT, "| at the limit-bound rate | %.2f | %.2f | %.2f | %.1f | 1.00 "
                            + "| | | | |", LimitBound.sustainedProvisionSeconds(workload, profile),
                    LimitBound.sustainedRetireSeconds(workload, profile), sustained,
                    LimitBound.limitBoundRate(workload, profile)));
            out.println(String.format(Locale.ROOT, "| minimum the fixed windows allow | %.2f | %.2f | %.2f | %.1f "
                            + "| %.2f | | | | |", LimitBound.minimumProvisionSeconds(workload, profile),
                    LimitBound.minimumRetireSeconds(workload, profile), minimum, workload.createDeletes() / minimum,
                    LimitBound.ratio(sustained, minimum)));
            library.forEach(run -> printRun(run, workload, sustained));
            if (baseline != null) {
                printRun(baseline, workload, sustained);
                speedup = baseline.totalSeconds() / headline.totalSeconds();
                out.println();
                out.println(String.format(Locale.ROOT, "%s is %.2f× as fast as the baseline in all "
                                + "(provision %.2f×, retire %.2f×).", headline.name(), speedup,
                        baseline.provisionSeconds() / headline.provisionSeconds(),
                        baseline.retireSeconds() / headline.retireSeconds()));
            }
            if (!throttleNotes.isEmpty()) {
                out.println();
                out.println("429s by operation: " + String.join("; ", throttleNotes) + ".");
            }
            library.forEach(this::printProblems);
            if (baseline != null) {
                printProblems(baseline);
            }
        }

        if (sdk != null) {
            out.println();
            out.println("### dps-twin vs the bare SDK (emulator without latency or limits; median wall time and mean "
                    + "process CPU time per allocation)");
            out.println();
            out.println("| allocation | dps-twin ms | bare SDK ms | ratio | dps-twin CPU µs | bare SDK CPU µs "
                    + "| CPU ratio |");
            out.println("|---|---:|---:|---:|---:|---:|---:|");
            out.println(String.format(Locale.ROOT, "| first registration (GET 404, PUT If-None-Match) | %.3f | %.3f "
                            + "| %.3f | %.0f | %.0f | %.3f |", sdk.libraryNewMs(), sdk.sdkNewMs(), sdk.newDeviceRatio(),
                    sdk.libraryNewCpuUs(), sdk.sdkNewCpuUs(), sdk.libraryNewCpuUs() / sdk.sdkNewCpuUs()));
            out.println(String.format(Locale.ROOT, "| re-registration (GET 200) | %.3f | %.3f | %.3f | %.0f | %.0f "
                            + "| %.3f |", sdk.libraryFoundMs(), sdk.sdkFoundMs(), sdk.reRegistrationRatio(),
                    sdk.libraryFoundCpuUs(), sdk.sdkFoundCpuUs(), sdk.libraryFoundCpuUs() / sdk.sdkFoundCpuUs()));
            out.println();
            SdkComparison.CallingThread thread = sdk.callingThread();
            out.println("The calling thread alone (mean CPU time and heap allocation per allocation):");
            out.println();
            out.println("| allocation | dps-twin CPU µs | bare SDK CPU µs | CPU ratio | dps-twin KiB | bare SDK KiB |");
            out.println("|---|---:|---:|---:|---:|---:|");
            out.println(String.format(Locale.ROOT, "| first registration | %.1f | %.1f | %.3f | %.1f | %.1f |",
                    thread.libraryNewCpuUs(), thread.sdkNewCpuUs(), thread.libraryNewCpuUs() / thread.sdkNewCpuUs(),
                    thread.libraryNewKb(), thread.sdkNewKb()));
            out.println(String.format(Locale.ROOT, "| re-registration | %.1f | %.1f | %.3f | %.1f | %.1f |",
                    thread.libraryFoundCpuUs(), thread.sdkFoundCpuUs(),
                    thread.libraryFoundCpuUs() / thread.sdkFoundCpuUs(), thread.libraryFoundKb(), thread.sdkFoundKb()));
            out.println();
            out.println(sdk.samples() + " allocations per path and kind; " + sdk.failures() + " failures"
                    + (sdk.firstProblem() == null ? "." : ", first: " + sdk.firstProblem()));
        }
        Double[] scaleOutWorst = scaleOut.isEmpty() ? new Double[] {null, null}
                : printScaleOut(scaleOut, scaleOutWorkload(), profile);
        out.println();
        return new ResultLine(overhead, ratio, speedup, sdk == null ? null : sdk.newDeviceRatio(), null, null, null,
                null, scaleOutWorst[0], scaleOutWorst[1], failures);
    }

    private Workload scaleOutWorkload() {
        return new Workload(options.integer("scaleout-devices"), options.integer("devices-per-room"));
    }

    /**
     * Prints a table per N (the modes side by side); returns the worst ratio and worst 429 share of the runs of the
     * {@link #resultMode result mode}.
     */
    private Double[] printScaleOut(List<LoadScenarios.ScaleOut> runs, Workload workload, AdtProfile profile) {
        double sustained = LimitBound.sustainedSeconds(workload, profile);
        ScaleOutMode resultMode = resultMode(runs);
        out.println();
        out.println("### Scale-out: N dps-twin processes against one ADT instance");
        out.println();
        out.println("Emulated ADT: " + profile.describe() + "; each process is configured with the whole instance's "
                + "limits, has its own SDK client, limiters and lifecycle pool (parallelism "
                + options.integer("scaleout-parallelism") + "); device i belongs to process i mod N for its "
                + "allocation and its deletion event, as partitions spread them. " + workload.devices()
                + " devices; limit-bound rate "
                + String.format(Locale.ROOT, "%.0f", LimitBound.limitBoundRate(workload, profile))
                + " creates+deletes per second. In the shared mode each process also knows from an instance registry "
                + "that N share the limits. RESULT's scale-out fields are the worst of the " + resultMode.label()
                + " runs.");
        Double worstRatio = null;
        Double worst429 = null;
        List<Integer> ns = runs.stream().map(LoadScenarios.ScaleOut::instances).distinct().toList();
        for (int n : ns) {
            out.println();
            out.println("N = " + n + ":");
            out.println();
            out.println("| limiter | provision s | retire s | creates+deletes/s | share of limit-bound rate "
                    + "| ADT requests | 429s | 429 share | p99 allocation ms | failures |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Map<ScaleOutMode, List<Double>> shares = new LinkedHashMap<>();
            Map<ScaleOutMode, List<Double>> throttledShares = new LinkedHashMap<>();
            for (LoadScenarios.ScaleOut run : runs) {
                if (run.instances() != n) {
                    continue;
                }
                double share = LimitBound.ratio(sustained, run.totalSeconds());
                List<Double> ofMode = shares.computeIfAbsent(run.mode(), mode -> new ArrayList<>());
                ofMode.add(share);
                throttledShares.computeIfAbsent(run.mode(), mode -> new ArrayList<>()).add(run.throttledShare());
                String label = run.mode().label()
                        + (options.integer("scaleout-repeats") == 1 ? "" : " #" + ofMode.size());
                out.println(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1f | %.2f | %d | %d | %.3f | %.0f "
                                + "| %d |", label, run.provisionSeconds(),
                        run.retireSeconds(), workload.createDeletes() / run.totalSeconds(), share, run.adtRequests(),
                        run.throttled(), run.throttledShare(), run.p99AllocationMs(), run.failures()));
                if (run.mode() == resultMode) {
                    worstRatio = worstRatio == null ? share : Math.min(worstRatio, share);
                    worst429 = worst429 == null ? run.throttledShare() : Math.max(worst429, run.throttledShare());
                }
                if (!run.problems().isEmpty()) {
                    out.println();
                    out.println("Problems (" + run.mode().label() + "): "
                            + String.join("; ", run.problems()));
                }
            }
            if (options.integer("scaleout-repeats") > 1) {
                out.println();
                shares.forEach((mode, ofMode) -> {
                    Spread ratio = Spread.of(ofMode);
                    Spread throttled = Spread.of(throttledShares.get(mode));
                    out.println(String.format(Locale.ROOT, "Spread over %d runs (%s): share of the limit-bound rate "
                                    + "min %.2f, median %.2f, max %.2f; 429 share min %.3f, median %.3f, max %.3f.",
                            ofMode.size(), mode.label(), ratio.min(), ratio.median(),
                            ratio.max(), throttled.min(), throttled.median(), throttled.max()));
                });
            }
        }
        return new Double[] {worstRatio, worst429};
    }

    /**
     * The mode whose runs RESULT reports: shared (the configuration dps-twin recommends for scale-out) when it ran,
     * else adaptive, else static.
     */
    static ScaleOutMode resultMode(List<LoadScenarios.ScaleOut> runs) {
        for (ScaleOutMode mode : List.of(ScaleOutMode.SHARED, ScaleOutMode.ADAPTIVE)) {
            if (runs.stream().anyMatch(run -> run.mode() == mode)) {
                return mode;
            }
        }
        return ScaleOutMode.STATIC;
    }

    private void printFleet(FleetReconcileResult fleet) {
        if (fleet == null) {
            return;
        }
        out.println("### Reconcile a fleet: " + fleet.devices() + " devices over " + fleet.hubs() + " hubs against "
                + fleet.twins() + " twins (plan only)");
        out.println();
        out.println(String.format(Locale.ROOT, "Simulated time: every quota compressed %.0f× (IoT Hub: %d device "
                        + "queries/min per hub; ADT: 500 requests/s, 4,000 query units/s); times below are "
                        + "simulated seconds.", fleet.speedup(),
                20 * options.integer("reconcile-units")));
        out.println();
        out.println("| quota-bound minimum s | registry s | ADT s | measured s | reconcile_limit_ratio "
                + "| peak live heap MiB | peak heap in use MiB | hub pages (429s) | ADT queries (IN checks, ids) "
                + "| progress events | plan = planted drift |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        out.println(String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.3f | %.0f | %.0f | %d (%d) "
                        + "| %d (%d, %d) | %d | %s |", fleet.minimumSeconds(), fleet.registryMinimum(),
                fleet.adtMinimum(), fleet.measuredSeconds(), fleet.limitRatio(), fleet.peakLiveMib(),
                fleet.peakUsedMib(), fleet.hubRequests(), fleet.hubThrottled(), fleet.adtRequests(),
                fleet.inQueries(), fleet.inItems(), fleet.progressEvents(),
                fleet.planMatches() ? "yes" : "no: " + String.join("; ", fleet.mismatches())));
        out.println();
    }

    private void printRun(LoadRunResult run, Workload workload, double sustained) {
        out.println(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f | %.2f | %d | %d | %s | %d |",
                run.name(), run.provisionSeconds(), run.retireSeconds(), run.totalSeconds(),
                workload.createDeletes() / run.totalSeconds(), LimitBound.ratio(sustained, run.totalSeconds()),
                run.dpsRetries(), run.adtRequests(), run.throttled(), run.failures()));
        if (!run.throttledByOperation().isEmpty()) {
            throttleNotes.add(run.name() + ": " + run.throttledByOperation());
        }
    }

    private void printProblems(LoadRunResult run) {
        if (!run.problems().isEmpty()) {
            out.println();
            out.println("Problems of " + run.name() + " (first " + run.problems().size() + "):");
            run.problems().forEach(p -> out.println("- " + p));
        }
    }

    private void progress(String what) {
        System.err.println(String.format(Locale.ROOT, "[dps-twin-benchmarks %5.1f s] %s ...",
                (System.nanoTime() - started) / 1e9, what));
    }

    private void sampleLoad(String when) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        loadSamples.add(String.format(Locale.ROOT, "%.1f (%s)", load, when));
    }

    private static String machine() {
        String memory = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D+", ""));
                    memory = String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (Exception e) {
            memory = "unknown";
        }
        return "- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + memory + " RAM, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
