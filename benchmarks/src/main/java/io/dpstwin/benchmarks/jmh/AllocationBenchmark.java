package io.dpstwin.benchmarks.jmh;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one DPS allocation costs inside dps-twin when ADT answers at once: the request body is parsed and validated,
 * the policies pick hub, model and twin id, find-or-create runs through the gateway stack (rate limiters, retry,
 * metrics) against the testkit's in-memory ADT with the benchmark models uploaded, and the JSON answer is written.
 *
 * <ul>
 *   <li>{@link #reRegistration}: the steady state, an existing device registers again (GET finds the twin). 1,024
 *       twins are created before measuring and requests cycle over them.</li>
 *   <li>{@link #newDevice}: a device registers for the first time (GET 404, PUT {@code If-None-Match: *}). Every
 *       call uses a new registration id; the twins are dropped before each iteration so memory stays bounded.</li>
 *   <li>{@link #fakeReRegistration} and {@link #fakeNewDevice}: the same ADT calls on the in-memory ADT without
 *       dps-twin, i.e. the fake's own share of the two numbers above.</li>
 * </ul>
 *
 * The {@code rateLimited} parameter keeps the default stack of {@link DpsTwin} (client-side rate limiters on, with
 * limits raised so they never make a call wait) or drops the limiters. The main class runs this with 1 and 2
 * threads; the annotations are the defaults of a plain JMH run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class AllocationBenchmark {

    /** Existing twins the re-registration benchmark cycles over (a power of two). */
    static final int EXISTING_DEVICES = 1024;

    /** An in-memory ADT with the models, and a {@link DpsTwin} over it. */
    public abstract static class Library {

        InMemoryDigitalTwins adt;
        DpsAllocationHandler allocation;
        SimpleMeterRegistry meters;
        private DpsTwin dpsTwin;

        void start(boolean rateLimited) {
            adt = InMemoryDigitalTwins.create();
            adt.uploadModels(BenchModels.dtdl());
            meters = new SimpleMeterRegistry();
            DpsTwin.Builder builder = DpsTwin.builder().gateway(adt).meterRegistry(meters);
            if (rateLimited) {
                builder.rateLimits(BenchModels.limitsThatNeverWait());
            } else {
                builder.noRateLimits();
            }
            dpsTwin = builder.build();
            allocation = dpsTwin.allocation();
        }

        /**
         * Fails the run if any allocation did not answer 200 with the expected twin outcome (the fake-only
         * benchmarks make none).
         *
         * @param expectedTwinOutcome {@code found} or {@code created}
         */
        void verify(String expectedTwinOutcome) {
            Map<String, Double> byOutcome = new TreeMap<>();
            for (Counter counter : meters.find(DpsTwinMeters.ALLOCATIONS).counters()) {
                byOutcome.merge(counter.getId().getTag("outcome") + "/" + counter.getId().getTag("reason"),
                        counter.count(), Double::sum);
            }
            dpsTwin.close();
            String expected = "allocated/" + expectedTwinOutcome;
            byOutcome.remove(expected);
            if (!byOutcome.isEmpty()) {
                throw new IllegalStateException("unexpected allocation outcomes (expected only " + expected + "): "
                        + byOutcome);
            }
        }
    }

    /** 1,024 devices whose twins exist; their requests are pre-encoded. */
    @State(Scope.Benchmark)
    public static class ExistingDevices extends Library {

        @Param({"true"})
        public boolean rateLimited;

        byte[][] requests;

        @Setup(Level.Trial)
        public void setUp() {
            start(rateLimited);
            requests = new byte[EXISTING_DEVICES][];
            for (int i = 0; i < EXISTING_DEVICES; i++) {
                requests[i] = BenchModels.allocationRequest(BenchModels.deviceId(i)).getBytes(StandardCharsets.UTF_8);
                WebhookResponse created = allocation.handle(requests[i]);
                if (created.status() != 200) {
                    throw new IllegalStateException("setup allocation failed: " + created);
                }
            }
            meters.clear();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            verify("found");
        }
    }

    /** Devices registering for the first time; the twins are dropped before each iteration. */
    @State(Scope.Benchmark)
    public static class NewDevices extends Library {

        @Param({"true"})
        public boolean rateLimited;

        BenchModels.RequestTemplate template;

        @Setup(Level.Trial)
        public void setUp() {
            start(rateLimited);
            template = BenchModels.requestTemplate();
        }

        @Setup(Level.Iteration)
        public void dropTwins() {
            adt.clearTwins();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            verify("created");
        }
    }

    /** Per benchmark thread: where it is in the sequence of devices. */
    @State(Scope.Thread)
    public static class Cursor {

        private static final AtomicInteger THREADS = new AtomicInteger();

        int thread;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            thread = THREADS.getAndIncrement();
            next = thread * (EXISTING_DEVICES / 2);
        }
    }

    @Benchmark
    public WebhookResponse reRegistration(ExistingDevices devices, Cursor cursor) {
        return devices.allocation.handle(devices.requests[cursor.next++ & (EXISTING_DEVICES - 1)]);
    }

    @Benchmark
    public WebhookResponse newDevice(NewDevices devices, Cursor cursor) {
        String registrationId = "new-" + cursor.thread + "-" + cursor.next++;
        return devices.allocation.handle(devices.template.forRegistration(registrationId));
    }

    /** The in-memory ADT's share of {@link #reRegistration}: the same GET without dps-twin around it. */
    @Benchmark
    public Optional<DigitalTwin> fakeReRegistration(ExistingDevices devices, Cursor cursor) {
        return devices.adt.getTwin(BenchModels.deviceId(cursor.next++ & (EXISTING_DEVICES - 1)));
    }

    /** The in-memory ADT's share of {@link #newDevice}: the same GET (404) and PUT without dps-twin around them. */
    @Benchmark
    public DigitalTwin fakeNewDevice(NewDevices devices, Cursor cursor) {
        String twinId = "new-" + cursor.thread + "-" + cursor.next++;
        if (devices.adt.getTwin(twinId).isPresent()) {
            throw new IllegalStateException("twin " + twinId + " exists already");
        }
        return devices.adt.createTwinIfAbsent(DigitalTwin.of(twinId, BenchModels.THERMOSTAT, Map.of()));
    }
}
