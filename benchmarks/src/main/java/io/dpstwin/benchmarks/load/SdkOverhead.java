package io.dpstwin.benchmarks.load;

import io.dpstwin.core.support.Json;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Function;

/**
 * End-to-end allocation through dps-twin against the same requests made with the bare SDK, on the emulator without
 * latency or limits, one request at a time, so that only the library's own work differs. Both use the same
 * {@link DigitalTwinsClient} (built once by {@link DigitalTwinsClients}, SDK retries off); dps-twin runs with its
 * default gateway stack (rate limiters that never make a call wait, retry layer, metrics).
 *
 * <p>The bare path does what the library's find-or-create does on the wire: parse the request, {@code GET} the twin,
 * and when it is absent {@code PUT} it with {@code If-None-Match: *}; then it writes the same answer (hub, tags
 * {@code dtId} and {@code dtmi}). Each round runs {@code perRound} first registrations (GET 404 + PUT) and then
 * re-registrations of the same devices (GET 200); the two paths alternate request by request (who goes first
 * alternates too), so both see the same machine, and the medians of the per-request times are compared. The CPU
 * time of the whole process (client and emulator) during each request is summed per path as well: unlike wall
 * time, it does not grow when other processes compete for the CPUs.
 */
final class SdkOverhead {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final LoadWorld world;

    SdkOverhead(LoadWorld world) {
        this.world = world;
    }

    SdkComparison run(int warmupRounds, int rounds, int perRound) {
        AdtEmulator emulator = world.emulator();
        world.calm();
        emulator.clearTwins();
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint(emulator.endpoint())
                .credential(BenchCredential.INSTANCE)
                .httpClient(emulator.httpClient())
                .build();
        BenchModels.RequestTemplate template = BenchModels.requestTemplate();
        int failures = 0;
        String firstProblem = null;
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .rateLimits(BenchModels.limitsThatNeverWait())
                .meterRegistry(new SimpleMeterRegistry())
                .build()) {
            Function<String, String> library = body -> {
                WebhookResponse answer = dpsTwin.allocation().handle(body);
                return answer.status() == 200 ? answer.body() : "dps-twin answered " + answer.status() + " "
                        + answer.body();
            };
            Function<String, String> bare = body -> BareSdkAllocation.allocate(JSON, client, body);

            long[][] samples = new long[4][rounds * perRound];
            long[] cpu = new long[4];
            long[] threadCpu = new long[4];
            long[] allocated = new long[4];
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                    ManagementFactory.getThreadMXBean();
            long self = Thread.currentThread().getId();
            for (int round = -warmupRounds; round < rounds; round++) {
                for (int kind = 0; kind < 2; kind++) {
                    for (int i = 0; i < perRound; i++) {
                        boolean libraryFirst = ((i + round) & 1) == 0;
                        for (int side = 0; side < 2; side++) {
                            boolean isLibrary = (side == 0) == libraryFirst;
                            String deviceId = (isLibrary ? "lib-" : "sdk-") + (round + warmupRounds) + "-" + i;
                            String body = template.forRegistration(deviceId);
                            long allocatedStart = threads.getThreadAllocatedBytes(self);
                            long threadCpuStart = threads.getCurrentThreadCpuTime();
                            long cpuStart = os.getProcessCpuTime();
                            long start = System.nanoTime();
                            String answer = (isLibrary ? library : bare).apply(body);
                            long nanos = System.nanoTime() - start;
                            long cpuNanos = os.getProcessCpuTime() - cpuStart;
                            long threadCpuNanos = threads.getCurrentThreadCpuTime() - threadCpuStart;
                            long allocatedBytes = threads.getThreadAllocatedBytes(self) - allocatedStart;
                            String problem = DpsSimulator.checkAssignment(deviceId, answer);
                            if (problem != null) {
                                failures++;
                                firstProblem = firstProblem == null ? deviceId + ": " + problem : firstProblem;
                            }
                            if (round >= 0) {
                                int column = (isLibrary ? 0 : 1) + 2 * kind;
                                samples[column][round * perRound + i] = nanos;
                                cpu[column] += cpuNanos;
                                threadCpu[column] += threadCpuNanos;
                                allocated[column] += allocatedBytes;
                            }
                        }
                    }
                }
                emulator.clearTwins();
            }
            double nanosToMeanMicros = 1e3 * rounds * perRound;
            double bytesToMeanKb = 1024.0 * rounds * perRound;
            return new SdkComparison(medianMs(samples[0]), medianMs(samples[1]), medianMs(samples[2]),
                    medianMs(samples[3]), cpu[0] / nanosToMeanMicros, cpu[1] / nanosToMeanMicros,
                    cpu[2] / nanosToMeanMicros, cpu[3] / nanosToMeanMicros,
                    new SdkComparison.CallingThread(threadCpu[0] / nanosToMeanMicros, threadCpu[1] / nanosToMeanMicros,
                            threadCpu[2] / nanosToMeanMicros, threadCpu[3] / nanosToMeanMicros,
                            allocated[0] / bytesToMeanKb, allocated[1] / bytesToMeanKb,
                            allocated[2] / bytesToMeanKb, allocated[3] / bytesToMeanKb),
                    rounds * perRound, failures, firstProblem);
        }
    }

    static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }
}
