package io.dpstwin.testkit.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationErrorCodes;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.MissingParentPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.AdtServiceException;
import io.dpstwin.core.support.Sleeper;
import io.dpstwin.testkit.emulator.OnAdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.dpstwin.testkit.flows.Contoso.HUB_1;
import static io.dpstwin.testkit.flows.Contoso.ROOM;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provision flow ({@link DpsTwin#allocation()}) through the production ADT client and the official SDK against
 * the HTTPS emulator, whose engine enforces ADT's rules, instead of hand fakes or canned WireMock answers. What the
 * flow sent is read from the emulator's request journal.
 */
class ProvisionFlowOnEmulatorTest extends OnAdtEmulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs a competing write inside the emulator right before it applies the next {@code PUT} of a twin. */
    private static final Competitor COMPETITOR = new Competitor();

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .modelResources(Contoso.MODELS)
            .configure(builder -> builder.engine(AdtEngine.builder().sleeper(COMPETITOR).build()))
            .build();

    private final List<DpsTwin> instances = new ArrayList<>();

    @BeforeEach
    void setUp() {
        COMPETITOR.next.set(null);
    }

    @AfterEach
    void closeInstances() {
        instances.forEach(DpsTwin::close);
    }

    private DpsTwin dpsTwin(AllocationOptions options) {
        DpsTwin dpsTwin = Contoso.dpsTwin(emulator).allocationOptions(options).build();
        instances.add(dpsTwin);
        return dpsTwin;
    }

    private static AllocationOptions.Builder options() {
        return AllocationOptions.builder().initialProperties(THERMOSTAT, Map.of("Temperature", 21.5));
    }

    private static JsonNode json(WebhookResponse response) throws IOException {
        return JSON.readTree(response.body());
    }

    private List<Integer> statuses(String method, String path) {
        return journal.entries().stream()
                .filter(e -> e.method().equals(method) && e.path().equals(path))
                .map(RequestJournal.Entry::status)
                .toList();
    }

    @Test
    void aNewDeviceGets200AndATwinWithItsInitialProperties() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().build());

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.path("iotHubHostName").asText()).isEqualTo(HUB_1);
        assertThat(body.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("thermo-1");
        assertThat(body.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(THERMOSTAT);
        DigitalTwin twin = adt.getTwin("thermo-1").orElseThrow();
        assertThat(twin.modelId()).isEqualTo(THERMOSTAT);
        assertThat(twin.properties()).containsEntry("Temperature", 21.5);
        assertThat(statuses("GET", "/digitaltwins/thermo-1")).containsExactly(404);
        assertThat(statuses("PUT", "/digitaltwins/thermo-1")).containsExactly(200);
        assertThat(journal.count(AdtOperation.QUERY)).as("find-or-create never queries").isZero();
    }

    @Test
    void reRegistrationsFindTheSameTwinAndNeverPutItAgain() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().build());
        WebhookResponse first = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());
        String etag = adt.getTwin("thermo-1").orElseThrow().etag();

        List<WebhookResponse> again = List.of(
                dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").reRegistration(HUB_1).toJson()),
                dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").reRegistration(HUB_1).toJson()));

        for (WebhookResponse answer : again) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(json(answer)).isEqualTo(json(first));
        }
        assertThat(statuses("PUT", "/digitaltwins/thermo-1")).containsExactly(200);
        assertThat(statuses("GET", "/digitaltwins/thermo-1")).containsExactly(404, 200, 200);
        assertThat(adt.getTwin("thermo-1").orElseThrow().etag()).as("the twin was not written again").isEqualTo(etag);
        assertThat(emulator.engine().twinIds()).containsExactly("thermo-1");
    }

    @Test
    void aPropertyTheModelDoesNotDeclareIsA400ThatNamesAdtsValidationFailure() throws IOException {
        DpsTwin dpsTwin = dpsTwin(AllocationOptions.builder()
                .initialProperties(THERMOSTAT, Map.of("Humidity", 40.0)).build());

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(400);
        JsonNode error = json(answer).path("error");
        assertThat(error.path("code").asText()).isEqualTo(AllocationErrorCodes.ADT_REJECTED);
        assertThat(error.path("message").asText())
                .contains("400 " + AdtErrorCodes.VALIDATION_FAILED)
                .contains("Humidity is not a property or component of " + THERMOSTAT);
        assertThat(statuses("PUT", "/digitaltwins/thermo-1")).as("a permanent failure is not retried")
                .containsExactly(400);
        assertThat(emulator.engine().twinCount()).isZero();
    }

    @Test
    void aModelAdtDoesNotKnowIsA400ThatNamesIt() throws IOException {
        DpsTwin dpsTwin = dpsTwin(AllocationOptions.defaults());

        WebhookResponse answer = dpsTwin.allocation().handle(
                Contoso.thermostat("thermo-1").modelId("dtmi:contosocom:DigitalTwins:Toaster;1").toJson());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).path("error").path("message").asText())
                .contains(AdtErrorCodes.VALIDATION_FAILED)
                .contains("dtmi:contosocom:DigitalTwins:Toaster;1 or one of its dependencies does not exist");
        assertThat(emulator.engine().twinCount()).isZero();
    }

    @Test
    void aThrottledCreateIsRetriedAfterTheRetryAfterTheEmulatorSent() {
        DpsTwin dpsTwin = dpsTwin(options().build());
        emulator.faults().failNext(AdtOperation.PUT_TWIN, new AdtServiceException(429,
                AdtErrorCodes.TOO_MANY_REQUESTS, "Too many requests; retry after 1 s.", List.of(),
                Duration.ofSeconds(1)));

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(200);
        List<RequestJournal.Entry> puts = journal.entries().stream()
                .filter(e -> e.operation() == AdtOperation.PUT_TWIN).toList();
        assertThat(puts).extracting(RequestJournal.Entry::status).containsExactly(429, 200);
        assertThat(Duration.between(puts.get(0).timestamp(), puts.get(1).timestamp()))
                .as("the retry waited for Retry-After: 1").isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(adt.getTwin("thermo-1")).isPresent();
    }

    @Test
    void aPersistentThrottleBecomesA429AnswerWithRetryAfterSoDpsRetries() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().build());
        emulator.faults().throttle(1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), AdtOperation.GET_TWIN);

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.headers()).containsEntry("Retry-After", "1");
        assertThat(json(answer).path("error").path("code").asText()).isEqualTo(AllocationErrorCodes.ADT_THROTTLED);
        assertThat(statuses("GET", "/digitaltwins/thermo-1")).as("the allocation budget: 3 attempts")
                .containsExactly(429, 429, 429);
        assertThat(journal.count(AdtOperation.PUT_TWIN)).isZero();
        assertThat(emulator.engine().twinCount()).isZero();
    }

    @Test
    void theCreateCarriesIfNoneMatchSoATwinCreatedMeanwhileIsKeptNotReplaced() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().build());
        COMPETITOR.beforeNextPut(() -> Contoso.thermostatTwin(adt, "thermo-1"));

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(statuses("PUT", "/digitaltwins/thermo-1")).as("the emulator refused the PUT: If-None-Match: *")
                .containsExactly(412);
        assertThat(statuses("GET", "/digitaltwins/thermo-1")).containsExactly(404, 200);
        assertThat(adt.getTwin("thermo-1").orElseThrow().properties())
                .as("the competitor's twin, not the initial properties").containsEntry("Temperature", 20.0);
        assertThat(json(answer).path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("thermo-1");
    }

    @Test
    void aTwinOfAnotherModelCreatedMeanwhileIsRejectedAndLeftAsItIs() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().build());
        COMPETITOR.beforeNextPut(() -> Contoso.room(adt, "thermo-1"));

        WebhookResponse answer = dpsTwin.allocation().handle(Contoso.thermostat("thermo-1").toJson());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).path("error").path("code").asText()).isEqualTo(AllocationErrorCodes.MODEL_MISMATCH);
        assertThat(json(answer).path("error").path("message").asText()).contains(ROOM).contains(THERMOSTAT);
        assertThat(adt.getTwin("thermo-1").orElseThrow().modelId()).isEqualTo(ROOM);
        assertThat(journal.count(AdtOperation.PATCH_TWIN)).isZero();
    }

    @Test
    void thePlacementRelationshipIsCreatedOnceWhateverTheNumberOfRegistrations() {
        Contoso.room(adt, "room-1");
        DpsTwin dpsTwin = dpsTwin(options()
                .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId"))).build());
        String relationship = "/digitaltwins/room-1/relationships/contains-thermo-1";

        List<Integer> answers = new ArrayList<>();
        answers.add(dpsTwin.allocation().handle(
                Contoso.thermostat("thermo-1").payloadField("parentTwinId", "room-1").toJson()).status());
        for (int i = 0; i < 3; i++) {
            answers.add(dpsTwin.allocation().handle(Contoso.thermostat("thermo-1")
                    .payloadField("parentTwinId", "room-1").reRegistration(HUB_1).toJson()).status());
        }

        assertThat(answers).containsOnly(200);
        assertThat(statuses("PUT", relationship)).containsExactly(200);
        assertThat(statuses("GET", relationship)).as("re-registrations read it and write nothing")
                .containsExactly(200, 200, 200);
        List<Relationship> placed = adt.listRelationships("room-1", null);
        assertThat(placed).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("contains-thermo-1");
            assertThat(r.targetId()).isEqualTo("thermo-1");
            assertThat(r.name()).isEqualTo("contains");
        });
    }

    @Test
    void aMissingParentIsA400AndNothingIsWritten() throws IOException {
        DpsTwin dpsTwin = dpsTwin(options().placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId"))
                .withMissingParentPolicy(MissingParentPolicy.REJECT)).build());

        WebhookResponse answer = dpsTwin.allocation().handle(
                Contoso.thermostat("thermo-1").payloadField("parentTwinId", "room-9").toJson());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).path("error").path("code").asText())
                .isEqualTo(AllocationErrorCodes.PARENT_TWIN_NOT_FOUND);
        assertThat(journal.entries()).extracting(e -> e.method() + " " + e.path() + " " + e.status())
                .containsExactly("GET /digitaltwins/room-9 404");
        assertThat(emulator.engine().twinCount()).isZero();
    }

    @Test
    void aPlacementAdtRefusesDeletesTheNewTwinWithItsEtagThroughTheSdk() throws IOException {
        Contoso.thermostatTwin(adt, "thermo-parent"); // a thermostat's model declares no "contains" relationship
        DpsTwin dpsTwin = dpsTwin(options().placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId")))
                .build());

        WebhookResponse answer = dpsTwin.allocation().handle(
                Contoso.thermostat("thermo-1").payloadField("parentTwinId", "thermo-parent").toJson());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(json(answer).path("error").path("code").asText()).isEqualTo(AllocationErrorCodes.ADT_REJECTED);
        assertThat(json(answer).path("error").path("message").asText()).contains("InvalidRelationship");
        assertThat(statuses("PUT", "/digitaltwins/thermo-1")).containsExactly(200);
        assertThat(journal.entries()).filteredOn(e -> e.method().equals("DELETE"))
                .extracting(e -> e.path() + " " + e.status()).containsExactly("/digitaltwins/thermo-1 204");
        assertThat(adt.getTwin("thermo-1")).as("the refused registration left no twin").isEmpty();
        assertThat(adt.getTwin("thermo-parent")).isPresent();
    }

    /**
     * The engine's latency hook, used to run a competing write between the moment the emulator received a
     * {@code PUT} of a twin and the moment it applies it.
     */
    private static final class Competitor implements Sleeper {
        final AtomicReference<Runnable> next = new AtomicReference<>();

        void beforeNextPut(Runnable write) {
            next.set(write);
            ADT.emulator().faults().latency(Duration.ofMillis(1), Duration.ofMillis(1), AdtOperation.PUT_TWIN);
        }

        @Override
        public void sleep(Duration duration) {
            Runnable write = next.getAndSet(null);
            if (write != null) {
                write.run();
            }
        }
    }
}
