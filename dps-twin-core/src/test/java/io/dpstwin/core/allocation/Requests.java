package io.dpstwin.core.allocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;

import java.util.List;

/** Builds DPS allocation request bodies for tests, shaped like the logged real request of the DPS tutorial. */
final class Requests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HUB_A = "contoso-toasters-hub-1098.azure-devices.net";
    static final String HUB_B = "contoso-heatpumps-hub-1098.azure-devices.net";
    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String SPACE = "dtmi:contosocom:DigitalTwins:Space;1";
    static final String GROUP_ID = "contoso-custom-allocated-devices";

    private Requests() {
    }

    /** A first registration through an enrollment group, with payload {@code {"modelId": model}} (none if null). */
    static ObjectNode group(String registrationId, String modelId, String... linkedHubs) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode group = root.putObject("enrollmentGroup");
        group.put("enrollmentGroupId", GROUP_ID);
        group.putObject("attestation").put("type", "symmetricKey");
        group.putObject("capabilities").put("iotEdge", false);
        group.put("provisioningStatus", "enabled");
        ObjectNode reprovision = group.putObject("reprovisionPolicy");
        reprovision.put("updateHubAssignment", true);
        reprovision.put("migrateDeviceData", true);
        group.put("allocationPolicy", "custom");
        ArrayNode iotHubs = group.putArray("iotHubs");
        ObjectNode context = root.putObject("deviceRuntimeContext");
        context.put("registrationId", registrationId);
        context.putObject("symmetricKey");
        if (modelId != null) {
            context.putObject("payload").put("modelId", modelId);
        }
        ArrayNode hubs = root.putArray("linkedHubs");
        for (String hub : linkedHubs.length == 0 ? new String[] {HUB_A, HUB_B} : linkedHubs) {
            hubs.add(hub);
            iotHubs.add(hub);
        }
        return root;
    }

    /** A first registration through an individual enrollment ({@code deviceId} may be null). */
    static ObjectNode individual(String registrationId, String deviceId, String modelId) {
        ObjectNode root = group(registrationId, modelId);
        root.remove("enrollmentGroup");
        ObjectNode individual = root.putObject("individualEnrollment");
        individual.put("registrationId", registrationId);
        if (deviceId != null) {
            individual.put("deviceId", deviceId);
        }
        individual.putObject("attestation").put("type", "tpm");
        individual.put("allocationPolicy", "custom");
        return root;
    }

    static ObjectNode context(ObjectNode request) {
        return (ObjectNode) request.get("deviceRuntimeContext");
    }

    static ObjectNode payload(ObjectNode request) {
        ObjectNode context = context(request);
        return context.has("payload") ? (ObjectNode) context.get("payload") : context.putObject("payload");
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode body(WebhookResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("answer is not JSON: " + response.body(), e);
        }
    }

    static String errorCode(WebhookResponse response) {
        return body(response).path("error").path("code").asText();
    }

    static String errorMessage(WebhookResponse response) {
        return body(response).path("error").path("message").asText();
    }

    /** Options whose default model is {@link #SPACE} in enrollment group {@code groupId} and {@link #THERMOSTAT} elsewhere. */
    static AllocationOptions spaceInGroupElseThermostat(String groupId) {
        return AllocationOptions.builder()
                .defaultModel(EnrollmentRef.group(groupId), SPACE)
                .defaultModel(THERMOSTAT)
                .build();
    }

    static List<String> list(String... values) {
        return List.of(values);
    }
}
