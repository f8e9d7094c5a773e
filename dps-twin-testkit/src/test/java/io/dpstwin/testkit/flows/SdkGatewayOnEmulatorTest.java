package io.dpstwin.testkit.flows;

import com.azure.core.http.HttpMethod;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelMismatchException;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.ConnectionDroppedException;
import io.dpstwin.testkit.emulator.OnAdtEmulator;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.reliability.secrets.Canaries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.dpstwin.testkit.flows.Contoso.ROOM;
import static io.dpstwin.testkit.flows.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Emulator versions of core's WireMock tests of {@code SdkDigitalTwinsGateway} ({@code SdkDigitalTwinsGatewayTest},
 * {@code FindOrCreateTwinTest}) where real ADT rules say more than canned answers: the emulator decides 412, 404,
 * 400 and their messages from its state, so these tests prove that what the gateway sends makes the service answer
 * as expected, not only that a given answer is mapped. The gateway contract ({@code SdkGatewayOnEmulatorContractTest})
 * already covers create-if-absent, If-Match on updates, relationship rules, paging, queries, models and 429.
 */
class SdkGatewayOnEmulatorTest extends OnAdtEmulator {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    private DigitalTwinsGateway gateway;

    @BeforeEach
    void setUp() {
        gateway = new SdkDigitalTwinsGateway(Contoso.client(emulator));
    }

    private List<String> requests() {
        return journal.entries().stream().map(e -> e.method() + " " + e.path() + " " + e.status()).toList();
    }

    @Nested
    class Twins {

        @Test
        void encodesAnyTwinIdAsOnePathSegmentThatTheServiceDecodesBack() {
            String id = "dev 1/a?b#c%d+é;e";
            Contoso.room(adt, "room 1/x");

            gateway.createTwinIfAbsent(DigitalTwin.of(id, THERMOSTAT, Map.of("Temperature", 1.0)));
            gateway.createRelationshipIfAbsent(Relationship.of("feeds/1", id, "room 1/x", "feeds"));

            assertThat(emulator.engine().twinIds()).containsExactly("room 1/x", id);
            assertThat(gateway.getTwin(id)).map(DigitalTwin::id).contains(id);
            assertThat(gateway.listIncomingRelationships("room 1/x")).singleElement()
                    .satisfies(r -> assertThat(r.sourceId()).isEqualTo(id));
            assertThat(gateway.getRelationship(id, "feeds/1")).map(Relationship::targetId).contains("room 1/x");
            assertThat(journal.entries().get(0).path()).as("one segment: / ? # % encoded")
                    .startsWith("/digitaltwins/dev%201%2Fa%3Fb%23c%25d");
        }

        @Test
        void aFailedValidationCarriesTheServicesCodeMessageAndDetails() {
            AdtException failure = catchThrowableOfType(AdtException.class,
                    () -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", "dtmi:com:example:Device;1")));

            assertThat(failure.statusCode()).isEqualTo(400);
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED);
            assertThat(failure.getMessage()).as("the text core's WireMock test cans is what the rules produce")
                    .isEqualTo("Invalid twin specified (dtmi:com:example:Device;1 or one of its dependencies does "
                            + "not exist.)");
            assertThat(failure.isTransient()).isFalse();
        }

        @Test
        void deleteTwinSendsIfMatchOnlyWhenGiven() {
            Contoso.thermostatTwin(adt, "dev-1");
            String stale = adt.getTwin("dev-1").orElseThrow().etag();
            adt.updateTwin("dev-1", List.of(JsonPatchOperation.replace("/Temperature", 25.0)), null);

            AdtException refused = catchThrowableOfType(AdtException.class, () -> gateway.deleteTwin("dev-1", stale));
            gateway.deleteTwin("dev-1", null);

            assertThat(refused.isPreconditionFailed()).isTrue();
            assertThat(emulator.engine().twinCount()).isZero();
            assertThat(requests()).containsExactly("DELETE /digitaltwins/dev-1 412", "DELETE /digitaltwins/dev-1 204");
        }

        @Test
        void deletingAMissingTwinIsDigitalTwinNotFound() {
            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.deleteTwin("dev-9", null));

            assertThat(failure.isNotFound()).isTrue();
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
        }
    }

    @Nested
    class Relationships {

        @Test
        void deleteRelationshipHonoursIfMatchAndTellsTheMissingRelationshipFromTheMissingTwin() {
            Contoso.room(adt, "room-1");
            Contoso.thermostatTwin(adt, "dev-1");
            Contoso.relate(adt, "room-1", "contains", "dev-1");
            String stale = adt.getRelationship("room-1", "contains-dev-1").orElseThrow().etag();
            adt.createOrReplaceRelationship(Relationship.of("contains-dev-1", "room-1", "dev-1", "contains"));

            AdtException changed = catchThrowableOfType(AdtException.class,
                    () -> gateway.deleteRelationship("room-1", "contains-dev-1", stale));
            String current = gateway.getRelationship("room-1", "contains-dev-1").orElseThrow().etag();
            gateway.deleteRelationship("room-1", "contains-dev-1", current);
            AdtException gone = catchThrowableOfType(AdtException.class,
                    () -> gateway.deleteRelationship("room-1", "contains-dev-1", null));
            AdtException noSource = catchThrowableOfType(AdtException.class,
                    () -> gateway.deleteRelationship("room-9", "contains-dev-1", null));

            assertThat(changed.isPreconditionFailed()).isTrue();
            assertThat(gone.errorCode()).isEqualTo(AdtErrorCodes.RELATIONSHIP_NOT_FOUND);
            assertThat(noSource.errorCode()).isEqualTo(AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
            assertThat(emulator.engine().relationshipCount()).isZero();
        }

        @Test
        void aRelationshipToAMissingTwinIsTargetTwinNotFound() {
            Contoso.room(adt, "room-1");

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.createRelationshipIfAbsent(
                    Relationship.of("contains-dev-1", "room-1", "dev-1", "contains")));

            assertThat(failure.isTargetTwinNotFound()).isTrue();
            assertThat(failure.isNotFound()).isTrue();
        }
    }

    @Nested
    class Failures {

        @Test
        void anOutageIsATransientServiceUnavailable() {
            emulator.faults().unavailable(1.0);

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.statusCode()).isEqualTo(503);
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.SERVICE_UNAVAILABLE);
            assertThat(failure.isTransient()).isTrue();
            assertThat(journal.size()).as("the production client does not retry on its own").isEqualTo(1);
        }

        @Test
        void aDroppedConnectionIsATransientTransportErrorAndChangesNothing() {
            emulator.faults().dropConnection(1.0, AdtOperation.PUT_TWIN);

            AdtException failure = catchThrowableOfType(AdtException.class,
                    () -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", THERMOSTAT)));

            assertThat(failure.statusCode()).isZero();
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
            assertThat(failure.isTransient()).isTrue();
            assertThat(requests()).containsExactly("PUT /digitaltwins/dev-1 0");
            assertThat(emulator.engine().twinCount()).isZero();
        }

        @Test
        void throttlingCarriesTheRetryAfterTheServiceSent() {
            emulator.faults().throttleNext(Duration.ofSeconds(3));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.isThrottled()).isTrue();
            assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
        }
    }

    @Nested
    class WithRetries {

        private final List<Duration> waits = new ArrayList<>();

        private DigitalTwinsGateway retrying(DigitalTwinsGateway base) {
            return new RetryingDigitalTwinsGateway(base, RetryBudget.lifecycle(), waits::add, System::nanoTime);
        }

        @Test
        void retriesAThrottledCallAfterTheServicesRetryAfter() {
            Contoso.thermostatTwin(adt, "dev-1");
            emulator.faults().throttleNext(Duration.ofSeconds(1));

            assertThat(retrying(gateway).getTwin("dev-1")).map(DigitalTwin::id).contains("dev-1");
            assertThat(waits).containsExactly(Duration.ofSeconds(1));
            assertThat(requests()).containsExactly("GET /digitaltwins/dev-1 429", "GET /digitaltwins/dev-1 200");
        }

        @Test
        void neverRetriesAValidationFailure() {
            AdtException failure = catchThrowableOfType(AdtException.class, () -> retrying(gateway)
                    .createTwinIfAbsent(DigitalTwin.of("dev-1", THERMOSTAT, Map.of("Humidity", 1.0))));

            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED);
            assertThat(waits).isEmpty();
            assertThat(requests()).containsExactly("PUT /digitaltwins/dev-1 400");
        }

        @Test
        void retriesADroppedConnectionUntilAnAnswer() {
            emulator.faults().failNext(AdtOperation.GET_TWIN, new ConnectionDroppedException(AdtOperation.GET_TWIN));

            assertThat(retrying(gateway).getTwin("dev-1")).isEmpty();
            assertThat(waits).hasSize(1);
            assertThat(requests()).containsExactly("GET /digitaltwins/dev-1 0", "GET /digitaltwins/dev-1 404");
        }

        @Test
        void aCreateWhoseAnswerWasLostMeets412OnItsRetryAndFindOrCreateReadsTheTwin() {
            AtomicBoolean first = new AtomicBoolean(true);
            DigitalTwinsGateway losingFirstPut = new SdkDigitalTwinsGateway(emulator.clientBuilder()
                    .credential(Canaries.credential())
                    .retryOptions(DigitalTwinsClients.noSdkRetries())
                    .addPolicy(new LostAnswers(request -> request.getHttpMethod() == HttpMethod.PUT
                            && first.getAndSet(false)))
                    .buildClient());
            FindOrCreateTwin findOrCreate = new FindOrCreateTwin(retrying(losingFirstPut), ModelMismatchPolicy.REJECT);

            EnsuredTwin ensured = findOrCreate.ensureTwin("dev-1", THERMOSTAT, Map.of("Temperature", 21.5));

            assertThat(requests()).containsExactly(
                    "GET /digitaltwins/dev-1 404",
                    "PUT /digitaltwins/dev-1 200",
                    "PUT /digitaltwins/dev-1 412",
                    "GET /digitaltwins/dev-1 200");
            assertThat(ensured.twin().properties()).containsEntry("Temperature", 21.5);
            assertThat(ensured.outcome()).as("it cannot know its own lost PUT made the twin")
                    .isEqualTo(EnsuredTwin.Outcome.FOUND);
            assertThat(emulator.engine().twinIds()).containsExactly("dev-1");
        }

        @Test
        void aTwinCreatedMeanwhileWithAnotherModelIsNeverReplaced() {
            AtomicBoolean first = new AtomicBoolean(true);
            // the first PUT is "lost" and, before the retry, someone else makes a room of that id: the retried PUT
            // (If-None-Match: *) must not replace it
            DigitalTwinsGateway racing = new SdkDigitalTwinsGateway(emulator.clientBuilder()
                    .credential(Canaries.credential())
                    .retryOptions(DigitalTwinsClients.noSdkRetries())
                    .addPolicy((context, next) -> {
                        if (context.getHttpRequest().getHttpMethod() == HttpMethod.PUT && first.getAndSet(false)) {
                            Contoso.room(adt, "dev-1");
                            return Mono.error(new IOException("connection reset before the request was sent"));
                        }
                        return next.process();
                    })
                    .buildClient());
            FindOrCreateTwin findOrCreate = new FindOrCreateTwin(retrying(racing), ModelMismatchPolicy.REJECT);

            ModelMismatchException failure = catchThrowableOfType(ModelMismatchException.class,
                    () -> findOrCreate.ensureTwin("dev-1", THERMOSTAT, Map.of()));

            assertThat(failure).hasMessageContaining(ROOM).hasMessageContaining(THERMOSTAT);
            assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(ROOM);
            assertThat(requests()).containsExactly(
                    "GET /digitaltwins/dev-1 404",
                    "PUT /digitaltwins/dev-1 412",
                    "GET /digitaltwins/dev-1 200");
        }
    }
}
