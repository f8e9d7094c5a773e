package io.dpstwin.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsTwinTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String HUB = "hub-a.azure-devices.net";

    private final HandFakeGateway adt = new HandFakeGateway();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static String allocationRequest(String registrationId, String payload) {
        return "{\"enrollmentGroup\":{\"enrollmentGroupId\":\"thermostats\",\"attestation\":{\"type\":\"symmetricKey\"}},"
                + "\"deviceRuntimeContext\":{\"registrationId\":\"" + registrationId + "\",\"symmetricKey\":{}"
                + (payload == null ? "" : ",\"payload\":" + payload) + "},"
                + "\"linkedHubs\":[\"" + HUB + "\"]}";
    }

    private static BatchResult deleteEvent(DpsTwin dpsTwin, String deviceId) {
        return dpsTwin.lifecycle().process(List.of(new EventHubsLifecycleParser().parse(
                Map.of("iothub-message-schema", "deviceLifecycleNotification", "opType", "deleteDeviceIdentity",
                        "hubName", "hub-a", "deviceId", deviceId),
                Map.of("iothub-connection-device-id", deviceId, "iothub-message-source", "deviceLifecycleEvents"),
                "{\"deviceId\":\"" + deviceId + "\"}")));
    }

    @Test
    void provisionsAndRetiresTheSameTwinWithOneSharedTwinIdStrategy() throws Exception {
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .defaultModelId(THERMOSTAT).meterRegistry(registry).build()) {

            WebhookResponse answer = dpsTwin.allocation().handle(allocationRequest("dev-1", null));

            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.path("iotHubHostName").asText()).isEqualTo(HUB);
            assertThat(body.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("device-dev-1");
            assertThat(adt.getTwin("device-dev-1")).hasValueSatisfying(t -> assertThat(t.modelId()).isEqualTo(THERMOSTAT));

            BatchResult retired = deleteEvent(dpsTwin, "dev-1");

            assertThat(retired.outcomes()).singleElement()
                    .satisfies(o -> assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED));
            assertThat(adt.getTwin("device-dev-1")).isEmpty();
        }
    }

    @Test
    void recordsMetricsOfBothFlowsAndOfAdtCallsOnTheGivenRegistry() {
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).defaultModelId(THERMOSTAT).meterRegistry(registry).build()) {
            dpsTwin.allocation().handle(allocationRequest("dev-2", "{\"modelId\":\"" + THERMOSTAT + "\"}"));
            deleteEvent(dpsTwin, "dev-2");
        }

        assertThat(registry.find("dpstwin.allocations").counters()).isNotEmpty();
        assertThat(registry.find("dpstwin.lifecycle.events").counters()).isNotEmpty();
        assertThat(registry.find("dpstwin.adt.requests").tag("operation", "createTwinIfAbsent").timers()).isNotEmpty();
        assertThat(registry.find("dpstwin.adt.requests").tag("operation", "deleteTwin").timers()).isNotEmpty();
    }

    @Test
    void withoutARegistryEveryFlowMetersIntoMicrometersGlobalRegistry() {
        SimpleMeterRegistry exported = new SimpleMeterRegistry();   // stands in for what an agent or host adds
        Metrics.addRegistry(exported);
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).defaultModelId(THERMOSTAT).build()) {
            dpsTwin.allocation().handle(allocationRequest("global-1", null));
            deleteEvent(dpsTwin, "global-1");
            new DpsAllocationHandler(adt, AllocationOptions.defaults()).handle("{}");
        } finally {
            Metrics.removeRegistry(exported);
        }

        assertThat(exported.get("dpstwin.allocations").tag("outcome", "allocated").counter().count()).isPositive();
        assertThat(exported.get("dpstwin.allocations").tag("reason", "missing_field").counter().count()).isPositive();
        assertThat(exported.get("dpstwin.lifecycle.events").tag("outcome", "retired").counter().count()).isPositive();
        assertThat(exported.find("dpstwin.adt.requests").tag("operation", "createTwinIfAbsent").timers()).isNotEmpty();
        assertThat(registry.getMeters()).as("a registry nobody passed stays empty").isEmpty();
    }

    @Test
    void retriesAThrottledCallInsideARetirementWithoutRestartingTheWholeEvent() {
        adt.createTwinIfAbsent(io.dpstwin.core.twins.DigitalTwin.of("room-1", THERMOSTAT));
        adt.createTwinIfAbsent(io.dpstwin.core.twins.DigitalTwin.of("dev-3", THERMOSTAT));
        adt.createRelationshipIfAbsent(io.dpstwin.core.twins.Relationship.of("contains-dev-3", "room-1", "dev-3", "contains"));
        adt.failNext("deleteRelationship", new io.dpstwin.core.twins.AdtException(429,
                io.dpstwin.core.twins.AdtErrorCodes.TOO_MANY_REQUESTS, "throttled", java.time.Duration.ofMillis(10), null));

        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().meterRegistry(registry).build()) {
            BatchResult retired = deleteEvent(dpsTwin, "dev-3");

            assertThat(retired.outcomes()).singleElement()
                    .satisfies(o -> assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED));
        }
        assertThat(adt.getTwin("dev-3")).isEmpty();
        assertThat(adt.calls("deleteRelationship")).as("the throttled delete was retried").isEqualTo(2);
        assertThat(adt.calls("listIncomingRelationships")).as("the retirement was not restarted").isEqualTo(1);
    }

    @Test
    void refusesToBuildWithoutAnAdtClientOrGateway() {
        assertThatThrownBy(() -> DpsTwin.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("digitalTwinsClient");
    }

    @Test
    void exposesTheUndecoratedGateway() {
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).build()) {
            assertThat(dpsTwin.gateway()).isSameAs(adt);
        }
    }
}
