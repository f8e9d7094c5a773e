package io.dpstwin.testkit.reliability;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import io.dpstwin.testkit.flows.Contoso;
import io.dpstwin.testkit.flows.GraphSnapshot;
import io.dpstwin.testkit.flows.LostAnswers;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.reliability.secrets.Canaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.HUB_1_NAME;
import static io.dpstwin.testkit.flows.Contoso.HUB_2;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both flows under a sick ADT: while 200 devices are provisioned (through the allocation webhook, retried like DPS
 * retries 429/503 answers), provisioned again (re-registrations) and retired (through the lifecycle processor), the
 * emulator answers 20 % of all requests with 429 ({@code Retry-After} 0–1 s), 5 % with 503 and drops 5 % of the
 * connections before handling them; the client also loses 2 % of the answers after the emulator applied the request.
 * The final twin graph must be exactly the expected one: every twin and placement relationship once, nothing left
 * after retirement, no dead letter.
 *
 * <p>Fast mode (every build): time is compressed: DPS's retry schedule is scaled down 100 times, the
 * {@code Retry-After} the emulator sends is scaled down 10 times on its way to the library ({@link RetryAfterScaling})
 * and the lifecycle backoff runs from 50 ms to 1 s with 32 devices in parallel; the fault rates stay as they are. Heavy
 * mode ({@code -Ddpstwin.reliability.heavy=true}): DPS's real schedule (1 s + 9 s steps), the lifecycle processor's
 * default backoff (200 ms to 10 s) and parallelism (8), and the emulator enforcing ADT's rate limits. In both modes
 * the lifecycle budget is raised to 10 minutes: the default 60 s is sized for a healthy ADT (see
 * docs/reliability.md). The interleaving of 32 threads decides which request meets which fault, so runs differ in
 * detail; the assertions hold for every interleaving, and a failure names the seed.
 */
class FaultsReliabilityTest {

    private static final int DEVICES = 200;
    private static final int ROOMS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    @Test
    void twoHundredDevicesAreProvisionedAndRetiredExactlyWhileAdtThrottlesFailsAndDropsConnections() {
        long seed = Reliability.seed(20_260_502L);
        Reliability.reportingSeed(seed, () -> provisionAndRetire(seed));
    }

    private void provisionAndRetire(long seed) {
        boolean heavy = Reliability.heavy();
        AdtEmulator emulator = ADT.emulator();
        RequestJournal journal = emulator.journal();
        InMemoryDigitalTwins adt = Contoso.direct(emulator);
        for (int room = 0; room < ROOMS; room++) {
            Contoso.room(adt, "room-" + room);
        }
        if (heavy) {
            emulator.limits(AdtLimits.adtDefaults());
        }
        Random lossRandom = new Random(seed);
        DigitalTwinsClientBuilder clientBuilder = emulator.clientBuilder()
                .credential(Canaries.credential())
                .retryOptions(DigitalTwinsClients.noSdkRetries())
                .addPolicy(new LostAnswers(request -> {
                    synchronized (lossRandom) {
                        return lossRandom.nextDouble() < 0.02;
                    }
                }));
        if (!heavy) {
            clientBuilder.addPolicy(new RetryAfterScaling(0.1));
        }
        DigitalTwinsClient client = clientBuilder.buildClient();
        List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        // The default per-call and per-event budgets; fast mode only shortens the waits it scales down anyway.
        LifecycleOptions.Builder lifecycle = LifecycleOptions.builder();
        if (!heavy) {
            lifecycle.parallelism(32).backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        }
        try (DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .defaultModelId(THERMOSTAT)
                .allocationOptions(AllocationOptions.builder()
                        .initialProperties(THERMOSTAT, Map.of("Temperature", 20.0))
                        .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId")))
                        .build())
                .lifecycleOptions(lifecycle.build())
                .deadLetterSink(deadLetters::add)
                .build()) {
            injectFaults(emulator, seed);
            DpsDriver dps = new DpsDriver(dpsTwin.allocation(), heavy ? 1.0 : 0.01);

            // ---- provision
            List<DpsDriver.Registration> first = dps.registerAll(devices(i -> Contoso.thermostat(id(i))
                    .payloadField("parentTwinId", room(i)).toJson()), 32);

            emulator.faults().clear(); // the engine's faults would hit the direct reads of the assertions too
            assertFaultsHappened(journal, "provisioning");
            assertThat(first).allSatisfy(r -> assertThat(r.allocated())
                    .as("%s answered %s after %s", r.body(), r.last().body(), r.statuses()).isTrue());
            assertThat(first).flatExtracting(DpsDriver.Registration::statuses).as("only 200, 429 and 503 answers")
                    .containsOnly(200, 429, 503);
            assertExactlyProvisioned(emulator, adt, first);

            // ---- re-register every device: same answers, nothing written
            journal.clear();
            injectFaults(emulator, seed + 1);
            List<DpsDriver.Registration> again = dps.registerAll(devices(i -> Contoso.thermostat(id(i))
                    .payloadField("parentTwinId", room(i)).reRegistration(hubOf(first.get(i))).toJson()), 32);

            emulator.faults().clear();
            assertFaultsHappened(journal, "re-registration");
            for (int i = 0; i < DEVICES; i++) {
                assertThat(again.get(i).allocated()).as("re-registration of %s", id(i)).isTrue();
                assertThat(json(again.get(i).last().body())).isEqualTo(json(first.get(i).last().body()));
            }
            assertThat(journal.count(e -> e.operation() == AdtOperation.PUT_TWIN
                    || e.operation() == AdtOperation.PUT_RELATIONSHIP)).as("writes of re-registrations").isZero();
            assertExactlyProvisioned(emulator, adt, first);

            // ---- retire
            journal.clear();
            List<IotHubEvent> deletions = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                deletions.add(IotHubEvents.deviceDeleted(HUB_1_NAME, id(i)));
            }
            injectFaults(emulator, seed + 2);
            BatchResult retired = dpsTwin.lifecycle().process(Contoso.eventHubsBatch(deletions));
            emulator.faults().clear();

            assertFaultsHappened(journal, "retirement");
            Map<Integer, Long> attempts = new TreeMap<>(retired.outcomes().stream()
                    .collect(Collectors.groupingBy(EventOutcome::attempts, Collectors.counting())));
            System.out.println("retirement attempts per event (attempts=events): " + attempts);
            assertThat(retired.allSettled()).isTrue();
            assertThat(deadLetters).as("dead letters").isEmpty();
            assertThat(retired.count(LifecycleOutcome.RETIRED) + retired.count(LifecycleOutcome.ALREADY_GONE))
                    .as(retired.summary()).isEqualTo(DEVICES);
            assertThat(emulator.engine().twinIds()).as("only the rooms are left")
                    .containsExactlyInAnyOrderElementsOf(devices(FaultsReliabilityTest::room).stream().distinct()
                            .toList());
            assertThat(emulator.engine().relationshipCount()).as("relationships left behind").isZero();
        } finally {
            emulator.faults().clear();
            emulator.limits(AdtLimits.none());
        }
    }

    private static void injectFaults(AdtEmulator emulator, long seed) {
        emulator.faults().seed(seed)
                .throttle(0.20, Duration.ZERO, Duration.ofSeconds(1))
                .unavailable(0.05)
                .dropConnection(0.05);
    }

    private static void assertExactlyProvisioned(AdtEmulator emulator, InMemoryDigitalTwins adt,
                                                 List<DpsDriver.Registration> answers) {
        assertThat(emulator.engine().twinCount()).as("twins").isEqualTo(DEVICES + ROOMS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            expected.add(room(i) + " -contains-> " + id(i) + " (contains-" + id(i) + ")");
            DigitalTwin twin = adt.getTwin(id(i)).orElseThrow(() -> new AssertionError("no twin"));
            assertThat(twin.modelId()).isEqualTo(THERMOSTAT);
            assertThat(twin.properties()).containsEntry("Temperature", 20.0);
            JsonNode answer = json(answers.get(i).last().body());
            assertThat(answer.path("iotHubHostName").asText()).isIn(HUB_1, HUB_2);
            assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo(id(i));
        }
        assertThat(GraphSnapshot.of(emulator.engine())).as("placement relationships")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void assertFaultsHappened(RequestJournal journal, String phase) {
        System.out.printf("%s: %d requests, %d answered 429, %d answered 503, %d dropped, %.1f s%n", phase,
                journal.size(), journal.countStatus(429), journal.countStatus(503), journal.countStatus(0),
                journal.size() == 0 ? 0.0 : Duration.between(journal.entries().get(0).timestamp(),
                        journal.entries().get(journal.size() - 1).timestamp()).toMillis() / 1000.0);
        assertThat(journal.countStatus(429)).as("429s during %s", phase).isPositive();
        assertThat(journal.countStatus(503)).as("503s during %s", phase).isPositive();
        assertThat(journal.countStatus(0)).as("dropped connections during %s", phase).isPositive();
    }

    private static List<String> devices(java.util.function.IntFunction<String> each) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            all.add(each.apply(i));
        }
        return all;
    }

    private static String id(int i) {
        return "dev-%03d".formatted(i);
    }

    private static String room(int i) {
        return "room-" + i % ROOMS;
    }

    private static String hubOf(DpsDriver.Registration registration) {
        return json(registration.last().body()).path("iotHubHostName").asText();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
