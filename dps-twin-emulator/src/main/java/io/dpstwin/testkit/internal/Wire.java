package io.dpstwin.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * JSON and timestamp helpers shared by the testkit's DPS and IoT Hub builders. Internal: not part of the testkit's
 * API and may change without notice.
 */
public final class Wire {

    /**
     * The testkit's one JSON mapper (the builders, the fakes and the emulator, through {@code AdtJson.MAPPER}):
     * plain Jackson, refusing trailing content after a document. Depends on nothing but Jackson, so that the
     * builders work without core and the Azure SDKs on the class path.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {
    }

    /**
     * {@code 2022-05-27T18:49:38.4904785Z}: seven fraction digits, the .NET round-trip form in which DPS writes its
     * timestamps and IoT Hub writes {@code operationTimestamp} and Event Grid times.
     */
    public static String time(Instant instant) {
        return SEVEN_DIGITS.format(instant);
    }

    /**
     * {@code 2018-12-13T14:42:43.358Z}: a .NET {@code DateTime} serialised to JSON (trailing zero digits dropped), as
     * the Functions host hands timestamps to language workers.
     */
    public static String trimmedTime(Instant instant) {
        String full = time(instant);
        int dot = full.indexOf('.');
        int end = full.length() - 1;
        int cut = end;
        while (cut > dot + 1 && full.charAt(cut - 1) == '0') {
            cut--;
        }
        if (cut == dot + 1 && full.charAt(dot + 1) == '0') {
            cut = dot;
        }
        return full.substring(0, cut) + "Z";
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    /** The nodes as one JSON array, written. */
    public static String writeArray(List<? extends JsonNode> nodes) {
        return write(JsonNodeFactory.instance.arrayNode().addAll(nodes));
    }

    public static JsonNode toNode(Object value) {
        return value instanceof JsonNode node ? node.deepCopy() : MAPPER.valueToTree(value);
    }
}
