package io.dpstwin.docs.testing;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.adt.RateLimit;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTPS emulator examples of docs/testing.md, run against the official SDK client. */
class EmulatorExamplesTest {

    private static final String THERMOSTAT = "dtmi:com:example:Thermostat;1";

    private static AdtEmulator adt;

    @BeforeAll
    static void startEmulator() {
        // tag::options[]
        AdtEmulator adt = AdtEmulator.builder()
                .modelResources("models/room.json", "models/thermostat.json")
                .limits(AdtLimits.adtDefaults())          // 500 creates/deletes per s per instance, 10 writes per s per twin
                .queryIndexLag(Duration.ofSeconds(10))    // queries see writes 10 s later, like ADT's index
                .start();
        // end::options[]
        EmulatorExamplesTest.adt = adt;
    }

    @AfterAll
    static void stopEmulator() {
        adt.close();
    }

    @BeforeEach
    void resetEmulator() {
        adt.reset();   // the builder's models, limits and lag; no twins, journal, counters or faults
    }

    @Test
    void runsInProcessForTheOfficialClient() {
        // tag::in-process[]
        Path pem;
        try (AdtEmulator adt = AdtEmulator.builder()
                .modelResources("models/room.json", "models/thermostat.json")   // or .models(dtdl...), .modelDirectory(dir)
                .start()) {                                                      // on a free port unless .port(n)
            ThermostatOnboarding onboarding = new ThermostatOnboarding(adt.client());   // the official SDK client

            assertThat(onboarding.register("thermostat-1", "SN-001")).isTrue();
            assertThat(adt.journal().count("PUT", "/digitaltwins/thermostat-1")).isEqualTo(1);
            assertThat(adt.endpoint()).startsWith("https://localhost:");
            pem = adt.certificatePath();        // its self-signed certificate, for other clients
        }
        assertThat(pem).doesNotExist();         // close() deleted it
        // end::in-process[]
    }

    @Test
    void appliesTheBuilderOptions() {
        new ThermostatOnboarding(adt.client()).register("thermostat-1", "SN-001");

        assertThat(adt.engine().limits()).isEqualTo(AdtLimits.adtDefaults());
        assertThat(adt.engine().queryIndexLag()).isEqualTo(Duration.ofSeconds(10));   // its effect: InMemoryFakeExamplesTest
        assertThat(adt.client().getDigitalTwin("thermostat-1", BasicDigitalTwin.class).getId())
                .isEqualTo("thermostat-1");   // reads never lag
    }

    @Test
    void throttlesTheNextRequest() {
        // tag::throttle-next[]
        DigitalTwinsClient noRetries = adt.clientBuilder()
                .retryOptions(DigitalTwinsClients.noSdkRetries())   // else the SDK retries 429 and 503 itself
                .buildClient();
        adt.faults().throttleNext(Duration.ofSeconds(2));          // just the next request, whatever it is

        assertThatThrownBy(() -> new ThermostatOnboarding(noRetries).register("thermostat-1", "SN-001"))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
                    assertThat(e.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER)).isEqualTo("2");
                });
        assertThat(adt.journal().countStatus(429)).isEqualTo(1);
        // end::throttle-next[]
        assertThat(new ThermostatOnboarding(noRetries).register("thermostat-1", "SN-001")).isTrue();
    }

    @Test
    void limitsWritesPerTwin() {
        DigitalTwinsClient noRetries = adt.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries())
                .buildClient();
        // tag::limits[]
        adt.limits(new AdtLimits(null, new RateLimit(3, Duration.ofHours(1))));   // change them any time

        BasicDigitalTwin twin = new BasicDigitalTwin("thermostat-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId("dtmi:com:example:Thermostat;1"));
        for (int write = 1; write <= 3; write++) {
            noRetries.createOrReplaceDigitalTwin("thermostat-1", twin, BasicDigitalTwin.class);
        }
        assertThatThrownBy(() -> noRetries.createOrReplaceDigitalTwin("thermostat-1", twin, BasicDigitalTwin.class))
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(429));   // the 4th write this hour
        // end::limits[]
    }

    @Test
    void injectsTheSameFaultsForTheSameSeed() {
        DigitalTwinsClient noRetries = adt.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries())
                .buildClient();
        List<Integer> first = putTwentyTwins(noRetries);
        adt.faults().clear();
        adt.clearTwins();
        adt.journal().clear();
        List<Integer> second = putTwentyTwins(noRetries);

        assertThat(second).isEqualTo(first).contains(200, 429);
        adt.faults().clear();
        assertThat(adt.faults().isActive()).isFalse();
    }

    private static List<Integer> putTwentyTwins(DigitalTwinsClient client) {
        // tag::faults[]
        adt.faults()
           .seed(7)                                                              // same seed, same faults
           .throttle(0.2, Duration.ofSeconds(1), Duration.ofSeconds(3), AdtOperation.PUT_TWIN)  // 20 % of PUTs: 429
           .unavailable(0.05)                                                    // 5 % of all requests: 503
           .latency(Duration.ofMillis(20), Duration.ofMillis(80), AdtOperation.QUERY)
           .dropConnection(0.01, AdtOperation.DELETE_TWIN);                      // close without an answer
        // end::faults[]
        assertThat(adt.faults().isActive()).isTrue();
        for (int i = 0; i < 20; i++) {
            BasicDigitalTwin twin = new BasicDigitalTwin("t-" + i)
                    .setMetadata(new BasicDigitalTwinMetadata().setModelId(THERMOSTAT));
            try {
                client.createOrReplaceDigitalTwin(twin.getId(), twin, BasicDigitalTwin.class);
            } catch (HttpResponseException e) {
                // the journal records the status
            }
        }
        List<Integer> statuses = new ArrayList<>();
        adt.journal().entries().forEach(entry -> statuses.add(entry.status()));
        return statuses;
    }

    @Test
    void journalsEveryAnsweredRequest() {
        ThermostatOnboarding onboarding = new ThermostatOnboarding(adt.client());
        onboarding.register("thermostat-1", "SN-001");
        onboarding.register("thermostat-1", "SN-001");
        adt.client().getDigitalTwin("thermostat-1", BasicDigitalTwin.class);

        // tag::journal[]
        RequestJournal journal = adt.journal();   // method, raw path, query, status (0: dropped), operation, time
        assertThat(journal.count("PUT", "/digitaltwins/thermostat-.*")).isEqualTo(2);   // regex; null: any method
        assertThat(journal.count(AdtOperation.GET_TWIN)).isEqualTo(1);                 // each page of a list counts
        assertThat(journal.countStatus(412)).isEqualTo(1);
        assertThat(journal.entries()).last().extracting(RequestJournal.Entry::path)
                .isEqualTo("/digitaltwins/thermostat-1");
        assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(2);         // the engine's counters
        journal.clear();
        // end::journal[]
        assertThat(journal.size()).isZero();
    }

    @Test
    void sharesItsEngineWithTheInMemoryFake() {
        // tag::shared-engine[]
        InMemoryDigitalTwins fake = new InMemoryDigitalTwins(adt.engine());   // the same state, without HTTP
        fake.createTwinIfAbsent(DigitalTwin.of("thermostat-9", "dtmi:com:example:Thermostat;1",
                Map.of("serialNumber", "SN-009")));

        BasicDigitalTwin seen = adt.client().getDigitalTwin("thermostat-9", BasicDigitalTwin.class);
        assertThat(seen.getContents()).containsEntry("serialNumber", "SN-009");
        // end::shared-engine[]
    }
}
