package io.dpstwin.benchmarks.load;

import com.azure.core.http.HttpClient;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dps-twin as a user deploys it: one {@link DpsTwin} per process over the official {@link DigitalTwinsClient} (built
 * once by {@link DigitalTwinsClients}, SDK retries off), with client-side limits equal to the instance's (or a share
 * of them). DPS calls
 * its allocation webhook; its lifecycle processor gets Event Hubs batches of IoT Hub deletion events, parsed by
 * {@link EventHubsLifecycleParser}, and every event must come out {@code retired}.
 */
final class LibraryRun implements Contender {

    private final DpsTwin dpsTwin;
    private final int batchSize;
    private final String name;
    private final EventHubsLifecycleParser parser = new EventHubsLifecycleParser();

    LibraryRun(AdtEmulator emulator, AdtProfile profile, int clientPercent, int batchSize, int parallelism) {
        this.dpsTwin = dpsTwin(emulator, emulator.httpClient(), profile.clientLimits(clientPercent), parallelism);
        this.batchSize = batchSize;
        this.name = "dps-twin (lifecycle parallelism " + parallelism
                + (clientPercent == 100 ? "" : ", client limits " + clientPercent + " %") + ")";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DpsSimulator.Result provision(DpsSimulator dps, List<String> deviceIds, List<String> requests)
            throws InterruptedException {
        return dps.provision(deviceIds, requests, body -> answer(dpsTwin.allocation().handle(body)));
    }

    /** One dps-twin process on the emulator: its own SDK client (over {@code http}), limiters and lifecycle pool. */
    static DpsTwin dpsTwin(AdtEmulator emulator, HttpClient http, AdtRateLimits limits, int parallelism) {
        return dpsTwin(emulator, http, limits, InstanceRegistry.single(), parallelism);
    }

    static DpsTwin dpsTwin(AdtEmulator emulator, HttpClient http, AdtRateLimits limits,
                           InstanceRegistry instances, int parallelism) {
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint(emulator.endpoint())
                .credential(BenchCredential.INSTANCE)
                .httpClient(http)
                .build();
        return DpsTwin.builder()
                .digitalTwinsClient(client)
                .rateLimits(limits)
                .instanceRegistry(instances)
                .lifecycleOptions(LifecycleOptions.builder().parallelism(parallelism).build())
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** The webhook's answer as DPS sees it. */
    static DpsSimulator.Answer answer(WebhookResponse response) {
        Optional<Duration> retryAfter = Optional.ofNullable(response.headers().get("Retry-After"))
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)));
        return new DpsSimulator.Answer(response.status(), response.body(), retryAfter);
    }

    @Override
    public List<String> retire(List<IotHubEvent> events) {
        return retire(dpsTwin, parser, events, batchSize);
    }

    /**
     * Hands {@code events} to {@code twin}'s lifecycle processor in Event Hubs batches of {@code batchSize}.
     *
     * @return a line for every event that did not come out retired
     */
    static List<String> retire(DpsTwin twin, EventHubsLifecycleParser parser, List<IotHubEvent> events,
                               int batchSize) {
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batchSize) {
            List<ParsedEvent> batch = new ArrayList<>(batchSize);
            for (IotHubEvent event : events.subList(from, Math.min(events.size(), from + batchSize))) {
                batch.add(parser.parse(event.applicationProperties(), event.iotHubSystemProperties(),
                        event.bodyBytes()));
            }
            BatchResult result = twin.lifecycle().process(batch);
            for (EventOutcome outcome : result.outcomes()) {
                if (outcome.outcome() != LifecycleOutcome.RETIRED) {
                    problems.add("event " + (from + outcome.index()) + ": " + outcome);
                }
            }
        }
        return problems;
    }

    @Override
    public void close() {
        dpsTwin.close();
    }
}
