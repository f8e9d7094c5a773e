package io.dpstwin.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import io.dpstwin.testkit.flows.Contoso;
import io.dpstwin.testkit.flows.GraphSnapshot;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.HUB_1_NAME;
import static io.dpstwin.testkit.flows.Contoso.HUB_2;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races on the HTTPS emulator, through the real SDK: many allocations of one device at the same instant, and the
 * create and delete events of one device interleaved with other devices' events and replayed, as IoT Hub's
 * at-least-once delivery does.
 */
class ConcurrencyReliabilityTest {

    private static final int PARALLEL = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    @Test
    void thirtyTwoAllocationsOfOneDeviceAtOnceMakeOneTwinOneRelationshipAndAgreeOnTheAnswer() throws Exception {
        AdtEmulator emulator = ADT.emulator();
        InMemoryDigitalTwins adt = Contoso.direct(emulator);
        Contoso.room(adt, "room-1");
        String body = Contoso.thermostat("thermo-1").linkedHubs(HUB_1, HUB_2)
                .payloadField("parentTwinId", "room-1").toJson();
        List<DpsDriver.Registration> registrations = new ArrayList<>();
        try (DpsTwin dpsTwin = Contoso.dpsTwin(emulator).allocationOptions(AllocationOptions.builder()
                .hubSelection(HubSelectionPolicy.consistentHashing())
                .initialProperties(THERMOSTAT, Map.of("Temperature", 20.0))
                .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId")))
                .build()).build()) {
            // the client-side limiter admits 10 writes per second on one twin: some allocations wait or answer
            // 429, which DPS retries
            DpsDriver dps = new DpsDriver(dpsTwin.allocation(), 0.01);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
            try {
                List<Future<DpsDriver.Registration>> futures = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return dps.register(body);
                    }));
                }
                start.countDown();
                for (Future<DpsDriver.Registration> future : futures) {
                    registrations.add(future.get(2, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        assertThat(registrations).allSatisfy(r -> assertThat(r.allocated()).as("%s", r.statuses()).isTrue());
        JsonNode first = json(registrations.get(0).last().body());
        assertThat(registrations).allSatisfy(r -> assertThat(json(r.last().body())).isEqualTo(first));
        assertThat(first.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("thermo-1");
        assertThat(emulator.engine().twinIds()).containsExactlyInAnyOrder("room-1", "thermo-1");
        assertThat(GraphSnapshot.of(emulator.engine()))
                .containsExactly("room-1 -contains-> thermo-1 (contains-thermo-1)");
        RequestJournal journal = emulator.journal();
        assertThat(journal.count(e -> e.operation() == AdtOperation.PUT_TWIN && e.status() == 200))
                .as("one PUT created the twin; the others met If-None-Match: *").isEqualTo(1);
        assertThat(journal.count(e -> e.operation() == AdtOperation.PUT_RELATIONSHIP && e.status() == 200))
                .isEqualTo(1);
        assertThat(journal.count(AdtOperation.PATCH_TWIN) + journal.count(AdtOperation.DELETE_TWIN)).isZero();
    }

    @Test
    void interleavedAndReplayedCreateAndDeleteEventsLeaveEachDeviceInTheStateOfItsLastEvent() {
        long seed = Reliability.seed(20_260_503L);
        Reliability.reportingSeed(seed, () -> interleave(seed));
    }

    private void interleave(long seed) {
        AdtEmulator emulator = ADT.emulator();
        Random random = new Random(seed);
        int devices = Reliability.heavy() ? 60 : 12;
        int batches = Reliability.heavy() ? 20 : 5;
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        Map<String, Boolean> expected = new LinkedHashMap<>();
        try (DpsTwin dpsTwin = Contoso.dpsTwin(emulator)
                .lifecycleOptions(LifecycleOptions.builder().parallelism(8).eventBudget(Duration.ofMinutes(5))
                        .maxAttempts(100).backoff(Duration.ofMillis(20), Duration.ofMillis(500)).build())
                .deadLetterSink(deadLetters::add)
                .build()) {
            // a little outage makes retries interleave with the other devices' events
            emulator.faults().seed(seed).unavailable(0.05);
            List<ParsedEvent> previous = List.of();
            for (int b = 0; b < batches; b++) {
                List<IotHubEvent> events = new ArrayList<>();
                int size = 10 + random.nextInt(40);
                for (int e = 0; e < size; e++) {
                    String device = "dev-" + random.nextInt(devices);
                    boolean create = random.nextBoolean();
                    events.add(create ? IotHubEvents.deviceCreated(HUB_1_NAME, device)
                            : IotHubEvents.deviceDeleted(HUB_1_NAME, device));
                    expected.put(device, create);
                }
                List<ParsedEvent> batch = new ArrayList<>();
                if (!previous.isEmpty() && random.nextBoolean()) {
                    // at-least-once: part of the previous batch arrives again before the new events
                    batch.addAll(previous.subList(random.nextInt(previous.size()), previous.size()));
                }
                List<ParsedEvent> fresh = Contoso.eventHubsBatch(events);
                batch.addAll(fresh);
                previous = fresh;

                BatchResult result = dpsTwin.lifecycle().process(batch);

                assertThat(result.allSettled()).isTrue();
                assertThat(result.outcomes()).extracting(EventOutcome::outcome).doesNotContain(
                        LifecycleOutcome.DEAD_LETTERED, LifecycleOutcome.SKIPPED, LifecycleOutcome.FAILED);
            }
        } finally {
            emulator.faults().clear();
        }

        assertThat(deadLetters).isEmpty();
        List<String> present = new ArrayList<>();
        expected.forEach((device, created) -> {
            if (created) {
                present.add(device);
            }
        });
        assertThat(emulator.engine().twinIds()).as("twins of the devices whose last event was a creation")
                .containsExactlyInAnyOrderElementsOf(present);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
