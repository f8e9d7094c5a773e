package io.dpstwin.benchmarks.load;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.CreateOrReplaceDigitalTwinOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A DPS allocation written with the bare SDK, as a user without dps-twin would: what dps-twin is compared with in the
 * SDK-overhead run and in the cold starts. It touches no dps-twin class, so that a fresh JVM running it loads none.
 */
public final class BareSdkAllocation {

    private BareSdkAllocation() {
    }

    /**
     * The same wire requests as the library's find-or-create, with the SDK and Jackson only: the answer, or a text
     * starting with {@code bare SDK failed} (which fails the assignment check).
     *
     * @param json reads the request and writes the answer
     */
    public static String allocate(ObjectMapper json, DigitalTwinsClient client, String requestBody) {
        try {
            JsonNode request = json.readTree(requestBody);
            JsonNode context = request.path("deviceRuntimeContext");
            String registrationId = context.path("registrationId").textValue();
            String modelId = context.path("payload").path("modelId").textValue();
            String hub = request.path("linkedHubs").path(0).textValue();
            if (registrationId == null || modelId == null || hub == null) {
                return "bare SDK failed: request without registration id, model or hub";
            }
            BasicDigitalTwin twin;
            try {
                twin = client.getDigitalTwin(registrationId, BasicDigitalTwin.class);
            } catch (HttpResponseException e) {
                if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                    throw e;
                }
                BasicDigitalTwin absent = new BasicDigitalTwin(registrationId)
                        .setMetadata(new BasicDigitalTwinMetadata().setModelId(modelId));
                twin = client.createOrReplaceDigitalTwinWithResponse(registrationId, absent, BasicDigitalTwin.class,
                        new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch("*"), Context.NONE).getValue();
            }
            String twinModel = twin.getMetadata().getModelId();
            ObjectNode answer = json.createObjectNode();
            answer.put("iotHubHostName", hub);
            ObjectNode initialTwin = answer.putObject("initialTwin");
            ObjectNode tags = initialTwin.putObject("tags");
            tags.put("dtId", registrationId);
            tags.put("dtmi", twinModel);
            initialTwin.putObject("properties").putObject("desired");
            return json.writeValueAsString(answer);
        } catch (Exception e) {
            return "bare SDK failed: " + e;
        }
    }
}
