package io.dpstwin.core.allocation;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dpstwin.core.support.Json;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * Writes an {@link AllocationResponse} as the JSON that Jackson's serialization of the record gives (its components
 * in order, {@code null} ones left out), field by field with a generator. The tag, property and payload maps are
 * written by Jackson as before; only the introspection of the three records is spared, which a cold start would
 * otherwise pay on its first answer.
 */
final class ResponseWriter {

    private ResponseWriter() {
    }

    static String write(AllocationResponse response) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("iotHubHostName", response.iotHubHostName());
            InitialTwin initialTwin = response.initialTwin();
            if (initialTwin != null) {
                json.writeFieldName("initialTwin");
                json.writeStartObject();
                writeMap(json, "tags", initialTwin.tags());
                InitialTwin.Properties properties = initialTwin.properties();
                if (properties != null) {
                    json.writeFieldName("properties");
                    json.writeStartObject();
                    writeMap(json, "desired", properties.desired());
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            writeMap(json, "payload", response.payload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the allocation response", e);
        }
        return out.toString();
    }

    private static void writeMap(JsonGenerator json, String name, Map<String, Object> map) throws IOException {
        if (map != null) {
            json.writeFieldName(name);
            json.writeObject(map);
        }
    }
}
