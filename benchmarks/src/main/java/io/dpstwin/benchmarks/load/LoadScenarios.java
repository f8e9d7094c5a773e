package io.dpstwin.benchmarks.load;

import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.testkit.emulator.AdtEmulator;

/**
 * The plain-Java load scenarios on one HTTPS ADT emulator: provision and retire through dps-twin
 * ({@link #library(int, int)}), the same through a port of Microsoft's reference sample ({@link #baseline()}), and the
 * SDK-overhead comparison ({@link #sdkOverhead(int, int, int)}). Run them one after the other; close to stop the
 * emulator.
 */
public final class LoadScenarios implements AutoCloseable {

    /** Emulator threads: enough that requests wait in the emulated latency, never for a thread. */
    private static final int EMULATOR_THREADS = 96;
    /** Devices provisioned and retired, untimed and unthrottled, before each timed run. */
    private static final int WARM_UP_DEVICES = 100;

    private final AdtEmulator emulator;
    private final LoadWorld world;
    private final AdtProfile profile;
    private final int dpsConcurrency;
    private final int batchSize;

    /**
     * @param dpsConcurrency allocation requests in flight at once
     * @param batchSize      lifecycle events per Event Hubs batch
     */
    public LoadScenarios(Workload workload, AdtProfile profile, int dpsConcurrency, int batchSize) {
        this.emulator = AdtEmulator.builder().models(BenchModels.dtdl()).threads(EMULATOR_THREADS).start();
        this.world = new LoadWorld(emulator, workload, profile);
        this.profile = profile;
        this.dpsConcurrency = dpsConcurrency;
        this.batchSize = batchSize;
    }

    /**
     * Provision then retire every device through dps-twin, with {@code parallelism} lifecycle workers and client-side
     * limits at {@code clientPercent} % of the instance's.
     */
    public LoadRunResult library(int parallelism, int clientPercent) throws InterruptedException {
        return protocol().run(new LibraryRun(emulator, profile, clientPercent, batchSize, parallelism));
    }

    /** Provision then retire every device the way the reference sample does. */
    public LoadRunResult baseline() throws InterruptedException {
        return protocol().run(new ReferenceSampleBaseline(emulator, batchSize));
    }

    /**
     * Provision then retire every device of {@code workload} through {@code instances} independent dps-twin processes
     * sharing this one emulated instance, each with lifecycle parallelism {@code parallelism} and client-side limits
     * equal to the instance's, kept as {@code mode} says.
     */
    public ScaleOut scaleOut(Workload workload, int instances, ScaleOutMode mode, int parallelism)
            throws InterruptedException {
        ScaleOutRun.Result r = new ScaleOutRun(new LoadWorld(emulator, workload, profile), profile, dpsConcurrency,
                batchSize, parallelism).run(instances, mode);
        return new ScaleOut(r.instances(), r.mode(), r.provisionSeconds(), r.retireSeconds(), r.adtRequests(),
                r.throttled(), r.p99AllocationMs(), r.failures(), r.problems());
    }

    /**
     * What one scale-out run measured.
     *
     * @param throttled        requests the emulator answered 429 (from its journal)
     * @param p99AllocationMs  99th percentile of one webhook call's time, in ms
     */
    public record ScaleOut(int instances, ScaleOutMode mode, double provisionSeconds, double retireSeconds,
                           long adtRequests, long throttled, double p99AllocationMs, int failures,
                           java.util.List<String> problems) {

        public double totalSeconds() {
            return provisionSeconds + retireSeconds;
        }

        /** The share of the emulator's answers that were 429. */
        public double throttledShare() {
            return adtRequests == 0 ? 0 : (double) throttled / adtRequests;
        }
    }

    private ProvisionRetireRun protocol() {
        return new ProvisionRetireRun(world, dpsConcurrency, WARM_UP_DEVICES);
    }

    /** dps-twin against the bare SDK, without latency or limits. */
    public SdkComparison sdkOverhead(int warmupRounds, int rounds, int perRound) {
        return new SdkOverhead(world).run(warmupRounds, rounds, perRound);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
