package io.dpstwin.benchmarks.load;

import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.testkit.emulator.AdtEmulator;

/**
 * The plain-Java load scenarios on one HTTPS ADT emulator: provision and retire through dps-twin
 * ({@link #library()}), the same through a port of Microsoft's reference sample ({@link #baseline()}), and the
 * SDK-overhead comparison ({@link #sdkOverhead(int, int, int)}). Run them one after the other; close to stop the
 * emulator.
 */
public final class LoadScenarios implements AutoCloseable {

    /** Emulator threads: enough that requests wait in the emulated latency, never for a thread. */
    private static final int EMULATOR_THREADS = 96;

    private final AdtEmulator emulator;
    private final LoadWorld world;
    private final AdtProfile profile;
    private final int dpsConcurrency;
    private final int batchSize;
    private final int parallelism;

    /**
     * @param dpsConcurrency allocation requests in flight at once
     * @param batchSize      lifecycle events per Event Hubs batch
     * @param parallelism    dps-twin's lifecycle parallelism
     */
    public LoadScenarios(Workload workload, AdtProfile profile, int dpsConcurrency, int batchSize, int parallelism) {
        this.emulator = AdtEmulator.builder().models(BenchModels.dtdl()).threads(EMULATOR_THREADS).start();
        this.world = new LoadWorld(emulator, workload, profile);
        this.profile = profile;
        this.dpsConcurrency = dpsConcurrency;
        this.batchSize = batchSize;
        this.parallelism = parallelism;
    }

    /** Provision then retire every device through dps-twin. */
    public LoadRunResult library() throws InterruptedException {
        return new LibraryRun(world, profile, dpsConcurrency, batchSize, parallelism)
                .run("dps-twin (parallelism " + parallelism + ")");
    }

    /** Provision then retire every device the way the reference sample does. */
    public LoadRunResult baseline() throws InterruptedException {
        return new ReferenceSampleBaseline(world, dpsConcurrency, batchSize).run("reference-sample baseline");
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
