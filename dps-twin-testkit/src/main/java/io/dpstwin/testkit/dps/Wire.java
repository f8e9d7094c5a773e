package io.dpstwin.testkit.dps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON and timestamp helpers shared by the DPS builders; timestamps use the .NET round-trip form DPS writes. */
final class Wire {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code 2022-08-03T17:15:10.8464255Z}: seven fraction digits, as DPS and IoT Hub (.NET) write them. */
    private static final DateTimeFormatter DOTNET_ROUND_TRIP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {
    }

    static String time(Instant instant) {
        return DOTNET_ROUND_TRIP.format(instant);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    static JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node.deepCopy() : MAPPER.valueToTree(value);
    }
}
