package io.dpstwin.core;

import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The flows' Micrometer Observations: one per allocation, lifecycle batch and reconcile run; none by default. */
class ObservationsTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String HUB = "hub-a.azure-devices.net";

    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Records the observation in scope when a twin is deleted (on a lifecycle worker thread). */
    private static final class ScopeRecordingGateway extends HandFakeGateway {
        final AtomicReference<Observation> inScopeAtDelete = new AtomicReference<>();
        final AtomicReference<String> deletingThread = new AtomicReference<>();
        private final ObservationRegistry registry;

        ScopeRecordingGateway(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public synchronized void deleteTwin(String twinId, String ifMatch) {
            inScopeAtDelete.set(registry.getCurrentObservation());
            deletingThread.set(Thread.currentThread().getName());
            super.deleteTwin(twinId, ifMatch);
        }
    }

    private static String allocationRequest(String registrationId) {
        return "{\"enrollmentGroup\":{\"enrollmentGroupId\":\"thermostats\",\"attestation\":{\"type\":\"symmetricKey\"}},"
                + "\"deviceRuntimeContext\":{\"registrationId\":\"" + registrationId + "\",\"symmetricKey\":{},"
                + "\"payload\":{\"modelId\":\"" + THERMOSTAT + "\"}},\"linkedHubs\":[\"" + HUB + "\"]}";
    }

    private static BatchResult deleteEvent(DpsTwin dpsTwin, String deviceId) {
        return dpsTwin.lifecycle().process(List.of(new EventHubsLifecycleParser().parse(
                Map.of("iothub-message-schema", "deviceLifecycleNotification", "opType", "deleteDeviceIdentity",
                        "hubName", "hub-a", "deviceId", deviceId),
                Map.of("iothub-connection-device-id", deviceId, "iothub-message-source", "deviceLifecycleEvents"),
                "{\"deviceId\":\"" + deviceId + "\"}")));
    }

    private static DeviceInventory oneHubWithoutDevices() {
        return new DeviceInventory() {
            @Override
            public Set<String> hubHostNames() {
                return Set.of(HUB);
            }

            @Override
            public DeviceCursor listDevices(String hubHostName) {
                return new DeviceCursor() {
                    @Override
                    public Optional<DeviceRecord> next() {
                        return Optional.empty();
                    }

                    @Override
                    public int requestsSent() {
                        return 1;
                    }

                    @Override
                    public boolean hasMorePages() {
                        return false;
                    }
                };
            }
        };
    }

    @Test
    void anAllocationIsOneObservationWithItsOutcomeAndIds() {
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(new HandFakeGateway()).noRateLimits()
                .meterRegistry(meters).observationRegistry(observations).build()) {
            dpsTwin.allocation().handle(allocationRequest("dev-1"));
            dpsTwin.allocation().handle("{\"linkedHubs\":42}");
        }

        assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo(DpsAllocationHandler.OBSERVATION, 2)
                .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts).hasSize(2));
        assertThat(observations)
                .hasAnObservation(o -> o.hasNameEqualTo(DpsAllocationHandler.OBSERVATION)
                        .hasContextualNameEqualTo("dps allocation")
                        .hasLowCardinalityKeyValue("outcome", "allocated")
                        .hasLowCardinalityKeyValue("reason", "created")
                        .hasHighCardinalityKeyValue("registration.id", "dev-1")
                        .hasHighCardinalityKeyValue("twin.id", "dev-1")
                        .hasHighCardinalityKeyValue("model.id", THERMOSTAT)
                        .hasHighCardinalityKeyValue("iothub", HUB)
                        .hasHighCardinalityKeyValue("http.status", "200"))
                .hasAnObservation(o -> o.hasNameEqualTo(DpsAllocationHandler.OBSERVATION)
                        .hasLowCardinalityKeyValue("outcome", "rejected")
                        .hasHighCardinalityKeyValue("http.status", "400")
                        .doesNotHaveHighCardinalityKeyValueWithKey("registration.id"));
        assertThat(observations).hasObservationWithNameEqualTo(DpsAllocationHandler.OBSERVATION).that()
                .hasBeenStarted().hasBeenStopped();
        assertThat(observations).doesNotHaveAnyRemainingCurrentObservation();
    }

    @Test
    void aLifecycleBatchIsOneObservationInScopeOnTheWorkerThreads() {
        ScopeRecordingGateway adt = new ScopeRecordingGateway(observations);
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().defaultModelId(THERMOSTAT)
                .meterRegistry(meters).observationRegistry(observations).build()) {
            dpsTwin.allocation().handle(allocationRequest("dev-2"));
            deleteEvent(dpsTwin, "dev-2");
        }

        assertThat(observations).hasNumberOfObservationsWithNameEqualTo(LifecycleProcessor.BATCH_OBSERVATION, 1);
        assertThat(observations).hasAnObservation(o -> o.hasNameEqualTo(LifecycleProcessor.BATCH_OBSERVATION)
                .hasContextualNameEqualTo("lifecycle batch")
                .hasLowCardinalityKeyValue("settled", "true")
                .hasHighCardinalityKeyValue("events", "1")
                .hasHighCardinalityKeyValue("outcome.retired", "1"));
        assertThat(observations).hasObservationWithNameEqualTo(LifecycleProcessor.BATCH_OBSERVATION).that()
                .hasBeenStarted().hasBeenStopped();
        assertThat(adt.deletingThread.get()).startsWith("dpstwin-lifecycle-");
        assertThat(adt.inScopeAtDelete.get()).isNotNull();
        assertThat(adt.inScopeAtDelete.get().getContext().getName()).isEqualTo(LifecycleProcessor.BATCH_OBSERVATION);
    }

    @Test
    void aReconcileRunIsOneObservationWithItsModeAndStatus() {
        HandFakeGateway adt = new HandFakeGateway();
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().defaultModelId(THERMOSTAT)
                .deviceInventory(oneHubWithoutDevices()).meterRegistry(meters).observationRegistry(observations)
                .build()) {
            adt.failNext("query", new AdtException(403, "Forbidden", "no data reader role"));
            dpsTwin.reconciler().orElseThrow().run(true);
        }

        assertThat(observations).hasAnObservation(o -> o.hasNameEqualTo(Reconciler.RUN_OBSERVATION)
                .hasContextualNameEqualTo("reconcile run")
                .hasLowCardinalityKeyValue("mode", "dry_run")
                .hasLowCardinalityKeyValue("status", "failed")
                .hasHighCardinalityKeyValueWithKey("run.id"));
        assertThat(observations).hasObservationWithNameEqualTo(Reconciler.RUN_OBSERVATION).that()
                .hasBeenStarted().hasBeenStopped();
    }

    @Test
    void aFailingObservationHandlerNeverFailsAFlow() {
        ObservationRegistry broken = ObservationRegistry.create();
        broken.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                throw new IllegalStateException("tracer down");
            }

            @Override
            public void onStop(Observation.Context context) {
                throw new IllegalStateException("tracer down");
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        HandFakeGateway adt = new HandFakeGateway();
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().defaultModelId(THERMOSTAT)
                .meterRegistry(meters).observationRegistry(broken).build()) {

            assertThat(dpsTwin.allocation().handle(allocationRequest("dev-4")).status()).isEqualTo(200);
            assertThat(deleteEvent(dpsTwin, "dev-4").allSettled()).isTrue();
        }
        assertThat(adt.getTwin("dev-4")).isEmpty();
    }
}
