package io.dpstwin.benchmarks.load;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provision and retire through dps-twin as a user deploys it: one {@link DpsTwin} per process over the official
 * {@link DigitalTwinsClient} (built once by {@link DigitalTwinsClients}, SDK retries off) with client-side limits
 * equal to the instance's, its allocation webhook called by {@link DpsSimulator}, and its lifecycle processor fed
 * Event Hubs batches of IoT Hub deletion events.
 */
final class LibraryRun {

    private final LoadWorld world;
    private final AdtProfile profile;
    private final int dpsConcurrency;
    private final int batchSize;
    private final int parallelism;

    LibraryRun(LoadWorld world, AdtProfile profile, int dpsConcurrency, int batchSize, int parallelism) {
        this.world = world;
        this.profile = profile;
        this.dpsConcurrency = dpsConcurrency;
        this.batchSize = batchSize;
        this.parallelism = parallelism;
    }

    LoadRunResult run(String name) throws InterruptedException {
        world.reset();
        List<String> problems = new ArrayList<>();
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint(world.emulator().endpoint())
                .credential(BenchCredential.INSTANCE)
                .httpClient(world.emulator().httpClient())
                .build();
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .rateLimits(profile.clientLimits())
                .lifecycleOptions(LifecycleOptions.builder().parallelism(parallelism).build())
                .meterRegistry(new SimpleMeterRegistry())
                .build()) {

            world.likeAdt();
            DpsSimulator.Result provisioned = new DpsSimulator(dpsConcurrency, 5)
                    .provision(world.deviceIds(), body -> answer(dpsTwin.allocation().handle(body)));
            world.calm();
            problems.addAll(provisioned.problems());
            LoadWorld.GraphCheck afterProvisioning = world.checkProvisioned();
            problems.addAll(afterProvisioning.problems());

            world.relateDevicesToRooms();
            List<IotHubEvent> events = world.deletionEvents();
            EventHubsLifecycleParser parser = new EventHubsLifecycleParser();

            world.likeAdt();
            long start = System.nanoTime();
            int notRetired = 0;
            for (int from = 0; from < events.size(); from += batchSize) {
                List<ParsedEvent> batch = new ArrayList<>(batchSize);
                for (IotHubEvent event : events.subList(from, Math.min(events.size(), from + batchSize))) {
                    batch.add(parser.parse(event.applicationProperties(), event.iotHubSystemProperties(),
                            event.bodyBytes()));
                }
                BatchResult result = dpsTwin.lifecycle().process(batch);
                for (EventOutcome outcome : result.outcomes()) {
                    if (outcome.outcome() != LifecycleOutcome.RETIRED) {
                        notRetired++;
                        problems.add("event " + (from + outcome.index()) + ": " + outcome);
                    }
                }
            }
            double retireSeconds = (System.nanoTime() - start) / 1e9;
            world.calm();
            LoadWorld.Traffic traffic = world.traffic();
            LoadWorld.GraphCheck afterRetirement = world.checkRetired();
            problems.addAll(afterRetirement.problems());

            int failures = provisioned.failures() + afterProvisioning.failures() + notRetired
                    + afterRetirement.failures();
            return new LoadRunResult(name, provisioned.seconds(), retireSeconds, provisioned.retries(),
                    traffic.requests(), traffic.throttledText(), failures, firstFew(problems));
        }
    }

    private static DpsSimulator.Answer answer(WebhookResponse response) {
        Optional<Duration> retryAfter = Optional.ofNullable(response.headers().get("Retry-After"))
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)));
        return new DpsSimulator.Answer(response.status(), response.body(), retryAfter);
    }

    static List<String> firstFew(List<String> problems) {
        return problems.size() <= 5 ? List.copyOf(problems) : List.copyOf(problems.subList(0, 5));
    }
}
