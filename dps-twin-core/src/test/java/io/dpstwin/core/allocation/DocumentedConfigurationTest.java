package io.dpstwin.core.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.allocation.Requests.HUB_A;
import static io.dpstwin.core.allocation.Requests.HUB_B;
import static io.dpstwin.core.allocation.Requests.body;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The configuration shown in docs/allocation.md ("Quick start") works as described. */
class DocumentedConfigurationTest {

    @Test
    void theQuickStartConfigurationAllocatesAndPlacesADevice() {
        HandFakeGateway fake = new HandFakeGateway();
        fake.createOrReplaceTwin(DigitalTwin.of("room-101", "dtmi:contosocom:DigitalTwins:Space;1"));
        DigitalTwinsGateway gateway = fake;
        MeterRegistry meters = new SimpleMeterRegistry();

        // --- as in docs/allocation.md
        AllocationOptions options = AllocationOptions.builder()
                .hubSelection(HubSelectionPolicy.sticky(HubSelectionPolicy.consistentHashing()))
                .defaultModel(EnrollmentRef.group("contoso-thermostats"), "dtmi:contosocom:DigitalTwins:Thermostat;1")
                .defaultModel("dtmi:contosocom:DigitalTwins:Thermostat;1")
                .allowedModels(EnrollmentRef.group("contoso-thermostats"),
                        List.of("dtmi:contosocom:DigitalTwins:Thermostat;1"))
                .initialProperties("dtmi:contosocom:DigitalTwins:Thermostat;1", Map.of("Temperature", 0.0))
                .modelMismatchPolicy(ModelMismatchPolicy.REJECT)
                .twinIdStrategy(TwinIdStrategy.deviceId())
                .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId"))
                        .withRelationshipName("contains")
                        .withMissingParentPolicy(MissingParentPolicy.REJECT))
                .initialTwinTags(Map.of("provisionedBy", "dps-twin"))
                .returnTwinIdInPayload(true)
                .build();
        DpsAllocationHandler handler = new DpsAllocationHandler(gateway, options, meters);
        // ---

        ObjectNode request = group("dev-1", null, HUB_A, HUB_B);
        ((ObjectNode) request.get("enrollmentGroup")).put("enrollmentGroupId", "contoso-thermostats");
        payload(request).put("parentTwinId", "room-101");
        context(request).put("currentIotHubHostName", HUB_B);

        WebhookResponse answer = handler.handle(text(request).getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = body(answer);
        assertThat(json.path("iotHubHostName").asText()).isEqualTo(HUB_B);
        assertThat(json.path("initialTwin").path("tags").path("provisionedBy").asText()).isEqualTo("dps-twin");
        assertThat(json.path("payload").path("twinId").asText()).isEqualTo("dev-1");
        assertThat(fake.getTwin("dev-1").orElseThrow().properties()).containsEntry("Temperature", 0.0);
        assertThat(fake.getRelationship("room-101", "contains-dev-1")).isPresent();
        assertThat(meters.find(DpsAllocationHandler.ALLOCATIONS_METRIC).tag("outcome", "allocated").counter())
                .isNotNull();
    }
}
