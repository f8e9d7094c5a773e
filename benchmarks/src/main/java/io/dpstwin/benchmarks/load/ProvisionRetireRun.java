package io.dpstwin.benchmarks.load;

import io.dpstwin.testkit.iothub.IotHubEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol every contender goes through, so both are measured alike:
 *
 * <ol>
 *   <li>warm-up, untimed, without limits or latency: provision and retire {@code warmUpDevices} other devices, so
 *       the JIT has compiled the paths (a long-running host is warm);</li>
 *   <li>reset to the rooms only, build the allocation requests, wait for a fresh rate-limit window, then time from
 *       switching the emulator to the ADT profile (its limiters start their first window then) until DPS
 *       ({@link DpsSimulator}) has an outcome for every device;</li>
 *   <li>untimed: check the twins, add two relationships per device;</li>
 *   <li>wait for a fresh window, then time from switching to the ADT profile until the deletion event of every
 *       device (in Event Hubs batches) has been handled;</li>
 *   <li>check the final graph.</li>
 * </ol>
 */
final class ProvisionRetireRun {

    private final LoadWorld world;
    private final int dpsConcurrency;
    private final int warmUpDevices;

    ProvisionRetireRun(LoadWorld world, int dpsConcurrency, int warmUpDevices) {
        this.world = world;
        this.dpsConcurrency = dpsConcurrency;
        this.warmUpDevices = warmUpDevices;
    }

    LoadRunResult run(Contender contender) throws InterruptedException {
        try (contender; DpsSimulator dps = new DpsSimulator(dpsConcurrency, 5)) {
            world.reset();
            List<String> warm = world.warmUpDeviceIds(warmUpDevices);
            contender.provision(dps, warm, DpsSimulator.requests(warm));
            contender.retire(LoadWorld.deletionEvents(warm));

            world.reset();
            List<String> deviceIds = world.deviceIds();
            List<String> requests = DpsSimulator.requests(deviceIds);
            LoadWorld.settle();
            long requestsBefore = world.requestCount();
            long provisionStart = System.nanoTime();
            world.likeAdt();
            DpsSimulator.Result provisioned = contender.provision(dps, deviceIds, requests);
            double provisionSeconds = (System.nanoTime() - provisionStart) / 1e9;
            world.calm();
            long timedRequests = world.requestCount() - requestsBefore;
            LoadWorld.Traffic afterProvision = world.traffic();
            List<String> problems = new ArrayList<>(provisioned.problems());
            LoadWorld.GraphCheck afterProvisioning = world.checkProvisioned();
            problems.addAll(afterProvisioning.problems());

            world.relateDevicesToRooms();
            List<IotHubEvent> events = world.deletionEvents();
            LoadWorld.settle();
            requestsBefore = world.requestCount();
            long start = System.nanoTime();
            world.likeAdt();
            List<String> notRetired = contender.retire(events);
            double retireSeconds = (System.nanoTime() - start) / 1e9;
            world.calm();
            timedRequests += world.requestCount() - requestsBefore;
            problems.addAll(notRetired);
            LoadWorld.Traffic traffic = world.traffic();
            LoadWorld.GraphCheck afterRetirement = world.checkRetired();
            problems.addAll(afterRetirement.problems());

            int failures = provisioned.failures() + afterProvisioning.failures() + notRetired.size()
                    + afterRetirement.failures();
            String throttled = afterProvision.throttledText() + " + "
                    + (traffic.journalFull() ? "≥" : "") + (traffic.throttled() - afterProvision.throttled());
            return new LoadRunResult(contender.name(), provisionSeconds, retireSeconds, provisioned.retries(),
                    timedRequests, throttled, traffic.throttledByOperation(), failures, firstFew(problems));
        }
    }

    private static List<String> firstFew(List<String> problems) {
        return problems.size() <= 5 ? List.copyOf(problems) : List.copyOf(problems.subList(0, 5));
    }
}
