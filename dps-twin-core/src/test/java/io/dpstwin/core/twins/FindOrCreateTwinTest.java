package io.dpstwin.core.twins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FindOrCreateTwinTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String SPACE = "dtmi:contosocom:DigitalTwins:Space;1";

    private HandFakeGateway adt = new HandFakeGateway();

    @AfterEach
    void neverQueriesNorReplaces() {
        assertThat(adt.calls("query")).isZero();
    }

    private EnsuredTwin ensure(ModelMismatchPolicy policy) {
        return new FindOrCreateTwin(adt, policy).ensureTwin("dev-1", THERMOSTAT, Map.of("Temperature", 0.0));
    }

    @Test
    void findsAnExistingTwinOfTheRequestedModelWithOneRead() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", THERMOSTAT, Map.of("Temperature", 20)));

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.REJECT);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.FOUND);
        assertThat(ensured.twin()).isEqualTo(existing);
        assertThat(adt.calls("getTwin")).isEqualTo(1);
        assertThat(adt.calls("createTwinIfAbsent")).isZero();
    }

    @Test
    void createsAMissingTwinWithItsInitialProperties() {
        EnsuredTwin ensured = ensure(ModelMismatchPolicy.REJECT);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.CREATED);
        assertThat(ensured.twin().etag()).startsWith("W/\"");
        assertThat(adt.getTwin("dev-1")).hasValueSatisfying(twin -> {
            assertThat(twin.modelId()).isEqualTo(THERMOSTAT);
            assertThat(twin.properties()).containsEntry("Temperature", 0.0);
        });
        assertThat(adt.calls("createOrReplaceTwin")).isZero();
    }

    @Test
    void aPutMeeting412BecauseARetriedAttemptSucceededReadsTheTwinAgain() {
        adt = new HandFakeGateway() {
            @Override
            public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
                super.createTwinIfAbsent(twin);
                throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED, "twin exists");
            }
        };

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.REJECT);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.FOUND);
        assertThat(ensured.twin().modelId()).isEqualTo(THERMOSTAT);
        assertThat(adt.twinCount()).isEqualTo(1);
        assertThat(adt.calls("getTwin")).isEqualTo(2);
    }

    @Test
    void aTwinCreatedConcurrentlyWithAnotherModelIsNeverReplaced() {
        adt = new HandFakeGateway() {
            @Override
            public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
                createOrReplaceTwin(DigitalTwin.of(twin.id(), SPACE, Map.of("name", "theirs")));
                return super.createTwinIfAbsent(twin);
            }
        };

        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.REJECT)).isInstanceOf(ModelMismatchException.class);

        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(SPACE);
        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).containsEntry("name", "theirs");
    }

    @Test
    void rejectNamesBothModelsAndLeavesTheTwinUnchanged() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));

        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.REJECT))
                .isInstanceOfSatisfying(ModelMismatchException.class, e -> {
                    assertThat(e.twinId()).isEqualTo("dev-1");
                    assertThat(e.existingModelId()).isEqualTo(SPACE);
                    assertThat(e.requestedModelId()).isEqualTo(THERMOSTAT);
                    assertThat(e.getMessage()).contains(SPACE, THERMOSTAT, "REJECT");
                });
        assertThat(adt.getTwin("dev-1")).contains(existing);
        assertThat(adt.calls("updateTwin")).isZero();
        assertThat(adt.calls("createTwinIfAbsent")).isZero();
    }

    @Test
    void keepReturnsTheTwinOfAnotherModelUntouched() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.KEEP);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.KEPT_OTHER_MODEL);
        assertThat(ensured.twin()).isEqualTo(existing);
        assertThat(adt.getTwin("dev-1")).contains(existing);
        assertThat(adt.calls("updateTwin")).isZero();
    }

    @Test
    void migratePatchesTheModelUnderTheTwinsEtagAndKeepsItsProperties() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));
        List<String> ifMatches = new java.util.ArrayList<>();
        HandFakeGateway recording = new HandFakeGateway() {
            @Override
            public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
                ifMatches.add(ifMatch);
                assertThat(patch).containsExactly(JsonPatchOperation.replace("/$metadata/$model", THERMOSTAT));
                super.updateTwin(twinId, patch, ifMatch);
            }
        };
        DigitalTwin stored = recording.createOrReplaceTwin(existing);
        adt = recording;

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.MIGRATE);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.MIGRATED);
        assertThat(ensured.twin().modelId()).isEqualTo(THERMOSTAT);
        assertThat(ensured.twin().properties()).containsEntry("name", "kept");
        assertThat(ifMatches).containsExactly(stored.etag());
    }

    @Test
    void migrateRereadsAfter412AndStopsWhenSomeoneElseMigratedTheTwin() {
        adt = new HandFakeGateway() {
            private final AtomicInteger attempts = new AtomicInteger();

            @Override
            public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
                if (attempts.incrementAndGet() == 1) {
                    super.updateTwin(twinId, patch, null); // a concurrent registration migrated it first
                    throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED, "etag mismatch");
                }
                super.updateTwin(twinId, patch, ifMatch);
            }
        };
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of()));

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.MIGRATE);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.FOUND);
        assertThat(ensured.twin().modelId()).isEqualTo(THERMOSTAT);
        assertThat(adt.calls("updateTwin")).isEqualTo(1);
    }

    @Test
    void migrateRetriesWithTheNewEtagWhenTheTwinChangedOtherwise() {
        adt = new HandFakeGateway() {
            private final AtomicInteger attempts = new AtomicInteger();

            @Override
            public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
                if (attempts.incrementAndGet() == 1) {
                    super.updateTwin(twinId, List.of(JsonPatchOperation.add("/name", "changed")), null);
                }
                super.updateTwin(twinId, patch, ifMatch);
            }
        };
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of()));

        EnsuredTwin ensured = ensure(ModelMismatchPolicy.MIGRATE);

        assertThat(ensured.outcome()).isEqualTo(EnsuredTwin.Outcome.MIGRATED);
        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(THERMOSTAT);
        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).containsEntry("name", "changed");
    }

    @Test
    void migrateOfATwinDeletedMeanwhileIsTransient() {
        adt = new HandFakeGateway() {
            @Override
            public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
                deleteTwin(twinId, null);
                throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED, "etag mismatch");
            }
        };
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of()));

        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.MIGRATE))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void aMigrationAdtRefusesSurfacesAsAdtException() {
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));
        adt.failNext("updateTwin", new AdtException(400, AdtErrorCodes.VALIDATION_FAILED, "Invalid twin specified"));

        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.MIGRATE))
                .isInstanceOfSatisfying(AdtException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED));
        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(SPACE);
    }

    @Test
    void aTwinThatKeepsVanishingEndsInATransientFailureAfterThreeRounds() {
        adt = new HandFakeGateway() {
            @Override
            public synchronized Optional<DigitalTwin> getTwin(String twinId) {
                super.getTwin(twinId);
                return Optional.empty();
            }

            @Override
            public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
                super.createOrReplaceTwin(twin);
                throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED, "exists");
            }
        };

        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.REJECT))
                .isInstanceOfSatisfying(AdtException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.isTransient()).isTrue();
                });
        assertThat(adt.calls("getTwin")).isEqualTo(3);
    }

    @Test
    void otherAdtFailuresPropagateUnchanged() {
        AdtException throttled = new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down");
        adt.failNext("getTwin", throttled);
        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.REJECT)).isSameAs(throttled);

        AdtException invalid = new AdtException(400, AdtErrorCodes.VALIDATION_FAILED, "Invalid twin specified");
        adt.failNext("createTwinIfAbsent", invalid);
        assertThatThrownBy(() -> ensure(ModelMismatchPolicy.REJECT)).isSameAs(invalid);
        assertThat(adt.twinCount()).isZero();
    }

    @Test
    void requiresATwinIdAndAModel() {
        FindOrCreateTwin findOrCreate = new FindOrCreateTwin(adt, ModelMismatchPolicy.REJECT);

        assertThatThrownBy(() -> findOrCreate.ensureTwin(null, THERMOSTAT, Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> findOrCreate.ensureTwin("dev-1", null, Map.of()))
                .isInstanceOf(NullPointerException.class);
    }
}
