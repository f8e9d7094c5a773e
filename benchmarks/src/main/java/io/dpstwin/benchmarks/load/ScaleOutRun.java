package io.dpstwin.benchmarks.load;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.IotHubEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N independent dps-twin processes against ONE emulated ADT instance: each {@link DpsTwin} has its own SDK client and
 * HTTP connection pool, its own rate limiters (configured with the instance's whole limits, as each replica would be;
 * in {@link ScaleOutMode#SHARED} with an instance registry that says N and its place among them) and its own
 * lifecycle thread pool. Device {@code i} belongs to instance {@code i % N}, as Event Hubs partitions spread the
 * devices over Functions instances or replicas: DPS sends its allocation to that instance, and that instance gets its
 * deletion event, every instance handling its partition's batches at the same time as the others.
 */
final class ScaleOutRun {

    /** Devices provisioned and retired, untimed and unthrottled, before each timed run. */
    private static final int WARM_UP_DEVICES = 100;

    private final LoadWorld world;
    private final AdtProfile profile;
    private final int dpsConcurrency;
    private final int batchSize;
    private final int parallelism;

    /**
     * @param parallelism lifecycle parallelism of each instance
     */
    ScaleOutRun(LoadWorld world, AdtProfile profile, int dpsConcurrency, int batchSize, int parallelism) {
        this.world = world;
        this.profile = profile;
        this.dpsConcurrency = dpsConcurrency;
        this.batchSize = batchSize;
        this.parallelism = parallelism;
    }

    /** What one N measured. */
    record Result(int instances, ScaleOutMode mode, double provisionSeconds, double retireSeconds, long adtRequests,
                  long throttled, double p99AllocationMs, int failures, List<String> problems) {

        double totalSeconds() {
            return provisionSeconds + retireSeconds;
        }

        double throttledShare() {
            return adtRequests == 0 ? 0 : (double) throttled / adtRequests;
        }
    }

    Result run(int instances, ScaleOutMode mode) throws InterruptedException {
        List<DpsTwin> twins = new ArrayList<>(instances);
        AdtEmulator emulator = world.emulator();
        for (int i = 0; i < instances; i++) {
            twins.add(LibraryRun.dpsTwin(emulator, emulator.newHttpClient(),
                    profile.clientLimits(100).toBuilder().adaptive(mode.adaptive()).build(),
                    mode.shared() ? InstanceRegistry.fixed(instances, i) : InstanceRegistry.single(), parallelism));
        }
        ExecutorService partitions = Executors.newFixedThreadPool(instances);
        try (DpsSimulator dps = new DpsSimulator(dpsConcurrency, 5)) {
            Map<String, DpsTwin> owner = new IdentityHashMap<>();
            // warm-up, untimed, without limits or latency, through every instance (as in the load run)
            world.reset();
            List<String> warm = world.warmUpDeviceIds(WARM_UP_DEVICES);
            List<String> warmRequests = DpsSimulator.requests(warm);
            for (int i = 0; i < warmRequests.size(); i++) {
                owner.put(warmRequests.get(i), twins.get(i % instances));
            }
            dps.provision(warm, warmRequests, body -> answer(owner.get(body), body, null));
            for (int i = 0; i < instances; i++) {
                retire(twins.get(i), partition(LoadWorld.deletionEvents(warm), instances, i));
            }

            world.reset();
            List<String> deviceIds = world.deviceIds();
            List<String> requests = DpsSimulator.requests(deviceIds);
            for (int i = 0; i < requests.size(); i++) {
                owner.put(requests.get(i), twins.get(i % instances));
            }
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            LoadWorld.settle();
            long requestsBefore = world.requestCount();
            long start = System.nanoTime();
            world.likeAdt();
            DpsSimulator.Result provisioned = dps.provision(deviceIds, requests,
                    body -> answer(owner.get(body), body, latencies));
            double provisionSeconds = (System.nanoTime() - start) / 1e9;
            world.calm();
            long requests1 = world.requestCount() - requestsBefore;
            long throttled1 = world.traffic().throttled();
            List<String> problems = new ArrayList<>(provisioned.problems());
            LoadWorld.GraphCheck afterProvisioning = world.checkProvisioned();
            problems.addAll(afterProvisioning.problems());

            world.relateDevicesToRooms();
            List<IotHubEvent> events = world.deletionEvents();
            LoadWorld.settle();
            requestsBefore = world.requestCount();
            start = System.nanoTime();
            world.likeAdt();
            List<Future<List<String>>> retired = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DpsTwin twin = twins.get(i);
                List<IotHubEvent> partition = partition(events, instances, i);
                retired.add(partitions.submit(() -> retire(twin, partition)));
            }
            List<String> notRetired = new ArrayList<>();
            for (Future<List<String>> future : retired) {
                try {
                    notRetired.addAll(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    notRetired.add("partition failed: " + e.getCause());
                }
            }
            double retireSeconds = (System.nanoTime() - start) / 1e9;
            world.calm();
            long adtRequests = requests1 + world.requestCount() - requestsBefore;
            long throttled = world.traffic().throttled();
            problems.addAll(notRetired);
            LoadWorld.GraphCheck afterRetirement = world.checkRetired();
            problems.addAll(afterRetirement.problems());
            int failures = provisioned.failures() + afterProvisioning.failures() + notRetired.size()
                    + afterRetirement.failures();
            return new Result(instances, mode, provisionSeconds, retireSeconds, adtRequests,
                    Math.max(throttled, throttled1), p99(latencies), failures,
                    problems.size() <= 5 ? List.copyOf(problems) : List.copyOf(problems.subList(0, 5)));
        } finally {
            partitions.shutdownNow();
            twins.forEach(DpsTwin::close);
        }
    }

    /** The events of the devices {@code i % instances == index}, in order. */
    private static List<IotHubEvent> partition(List<IotHubEvent> events, int instances, int index) {
        List<IotHubEvent> partition = new ArrayList<>();
        for (int i = index; i < events.size(); i += instances) {
            partition.add(events.get(i));
        }
        return partition;
    }

    /** One webhook call, timed into {@code latencies} (none during the warm-up). */
    private static DpsSimulator.Answer answer(DpsTwin twin, String body, List<Long> latencies) {
        long called = System.nanoTime();
        WebhookResponse response = twin.allocation().handle(body);
        if (latencies != null) {
            latencies.add(System.nanoTime() - called);
        }
        return LibraryRun.answer(response);
    }

    private List<String> retire(DpsTwin twin, List<IotHubEvent> events) {
        return LibraryRun.retire(twin, new EventHubsLifecycleParser(), events, batchSize);
    }

    private static double p99(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
    }
}
