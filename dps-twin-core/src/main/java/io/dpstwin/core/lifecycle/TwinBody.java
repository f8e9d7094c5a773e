package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields dps-twin reads from an IoT Hub device twin document (the body of a lifecycle notification, or
 * {@code data.twin} of an Event Grid event): {@code deviceId}, {@code moduleId}, {@code modelId},
 * {@code tags.dtId}, {@code tags.dtmi}. Everything else in the document is ignored and not kept.
 */
record TwinBody(String deviceId, String moduleId, String modelId, String tagDtId, String tagDtmi) {

    static final TwinBody EMPTY = new TwinBody(null, null, null, null, null);

    static TwinBody read(JsonNode twin, String where) throws ParseFailure {
        if (twin == null) {
            return EMPTY;
        }
        if (!twin.isObject()) {
            throw new ParseFailure(where + " is " + Json.kind(twin) + ", expected a device twin object");
        }
        JsonNode tags = JsonSupport.object(twin, "tags", where + ".");
        String dtId = null;
        String dtmi = null;
        if (tags != null) {
            dtId = JsonSupport.text(tags, IotHubLifecycleNames.TAG_DT_ID, where + ".tags.");
            dtmi = JsonSupport.text(tags, IotHubLifecycleNames.TAG_DTMI, where + ".tags.");
        }
        return new TwinBody(
                JsonSupport.text(twin, "deviceId", where + "."),
                JsonSupport.text(twin, "moduleId", where + "."),
                JsonSupport.text(twin, "modelId", where + "."),
                dtId, dtmi);
    }
}
