package io.dpstwin.benchmarks.load;

import io.dpstwin.core.support.Json;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.BasicRelationship;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.DeleteDigitalTwinOptions;
import com.azure.digitaltwins.core.models.DeleteRelationshipOptions;
import com.azure.digitaltwins.core.models.IncomingRelationship;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.IotHubEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Microsoft's reference sample ("Auto-manage devices in Azure Digital Twins using DPS", C#) does, written
 * against the Java SDK so it runs against the same emulator under the same limits:
 *
 * <ul>
 *   <li><b>allocation</b>: a new {@link DigitalTwinsClient} for every request (the transport is shared, as the
 *       sample shares a static {@code HttpClient}; the SDK's default retry policy, as the sample keeps the default
 *       options), a query {@code SELECT * FROM DigitalTwins T WHERE $dtId = '<regId>' AND IS_OF_MODEL('<dtmi>')} to
 *       find the twin, and create-or-replace when the query finds none; the answer assigns {@code linkedHubs[0]}.
 *       Any exception becomes a 500, as the Functions host answers, and DPS retries it;</li>
 *   <li><b>retirement</b>: one client per Event Hubs batch and a sequential loop over the batch: for a
 *       {@code deleteDeviceIdentity} event, get the twin (id = device id), delete its outgoing relationships (with
 *       their etags) then its incoming ones, then delete the twin with the etag read first. A 404 is logged and
 *       skipped; other errors are collected and the batch goes on (the sample rethrows them after the loop, and the
 *       Functions trigger checkpoints anyway).</li>
 * </ul>
 *
 * It exists only to be measured against; it is not a recommended way to use the SDK.
 */
final class ReferenceSampleBaseline implements Contender {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final AdtEmulator emulator;
    private final int batchSize;

    ReferenceSampleBaseline(AdtEmulator emulator, int batchSize) {
        this.emulator = emulator;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "reference-sample baseline";
    }

    @Override
    public DpsSimulator.Result provision(DpsSimulator dps, List<String> deviceIds, List<String> requests)
            throws InterruptedException {
        return dps.provision(deviceIds, requests, body -> allocate(emulator, body));
    }

    @Override
    public List<String> retire(List<IotHubEvent> events) {
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batchSize) {
            List<IotHubEvent> batch = events.subList(from, Math.min(events.size(), from + batchSize));
            problems.addAll(retire(emulator.clientBuilder().buildClient(), batch));
        }
        return problems;
    }

    @Override
    public void close() {
        // nothing held: every client was built for one request or batch
    }

    // ------------------------------------------------------------------ DpsAdtAllocationFunc

    private static DpsSimulator.Answer allocate(AdtEmulator emulator, String requestBody) throws Exception {
        JsonNode data = JSON.readTree(requestBody);
        String regId = data.path("deviceRuntimeContext").path("registrationId").textValue();
        if (regId == null) {
            return new DpsSimulator.Answer(400, "Registration ID not provided for the device.", Optional.empty());
        }
        JsonNode hubs = data.get("linkedHubs");
        if (hubs == null || !hubs.isArray() || hubs.isEmpty()) {
            return new DpsSimulator.Answer(400, "No hub group defined for the enrollment.", Optional.empty());
        }
        String dtmi = data.path("deviceRuntimeContext").path("payload").path("modelId").textValue();
        String dtId = findOrCreateTwin(emulator, dtmi, regId);

        ObjectNode answer = JSON.createObjectNode();
        answer.put("iotHubHostName", hubs.get(0).asText());
        ObjectNode initialTwin = answer.putObject("initialTwin");
        ObjectNode tags = initialTwin.putObject("tags");
        tags.put("dtmi", dtmi);
        tags.put("dtId", dtId);
        initialTwin.putObject("properties").putObject("desired");
        return new DpsSimulator.Answer(200, answer.toString(), Optional.empty());
    }

    private static String findOrCreateTwin(AdtEmulator emulator, String dtmi, String regId) throws Exception {
        DigitalTwinsClient client = emulator.clientBuilder().buildClient();
        String query = "SELECT * FROM DigitalTwins T WHERE $dtId = '" + regId + "' AND IS_OF_MODEL('" + dtmi + "')";
        for (String twinJson : client.query(query, String.class)) {
            return JSON.readTree(twinJson).path("$dtId").asText();
        }
        BasicDigitalTwin twin = new BasicDigitalTwin(regId)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(dtmi))
                .addToContents("Temperature", 0.0);
        client.createOrReplaceDigitalTwin(regId, twin, BasicDigitalTwin.class);
        return regId;
    }

    // ------------------------------------------------------------------ DeleteDeviceInTwinFunc

    /** One batch: one client, a sequential loop; the errors it would rethrow after the loop. */
    private static List<String> retire(DigitalTwinsClient client, List<IotHubEvent> batch) {
        List<String> errors = new ArrayList<>();
        for (IotHubEvent event : batch) {
            Map<String, Object> properties = event.applicationProperties();
            if (!"deleteDeviceIdentity".equals(properties.get("opType"))) {
                continue;
            }
            String twinId = String.valueOf(properties.get("deviceId"));
            try {
                BasicDigitalTwin twin = client.getDigitalTwin(twinId, BasicDigitalTwin.class);
                for (BasicRelationship relationship : client.listRelationships(twinId, BasicRelationship.class)) {
                    client.deleteRelationshipWithResponse(twinId, relationship.getId(),
                            new DeleteRelationshipOptions().setIfMatch(relationship.getETag()), Context.NONE);
                }
                for (IncomingRelationship incoming : client.listIncomingRelationships(twinId)) {
                    client.deleteRelationship(incoming.getSourceId(), incoming.getRelationshipId());
                }
                client.deleteDigitalTwinWithResponse(twinId, new DeleteDigitalTwinOptions().setIfMatch(twin.getETag()),
                        Context.NONE);
            } catch (HttpResponseException e) {
                if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                    errors.add("retiring " + twinId + ": HTTP "
                            + (e.getResponse() == null ? "?" : e.getResponse().getStatusCode()));
                }
            } catch (RuntimeException e) {
                errors.add("retiring " + twinId + ": " + e.getClass().getSimpleName());
            }
        }
        return errors;
    }
}
