package io.dpstwin.testkit.adt;

import io.dpstwin.testkit.internal.Wire;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;

import java.util.Map;

/**
 * The testkit's one JSON mapper (the emulated service, the builders and the fakes use it), and conversions between JSON
 * nodes and plain Java values.
 */
public final class AdtJson {

    /** A plain mapper that refuses trailing garbage after a JSON document. */
    public static final ObjectMapper MAPPER = Wire.MAPPER;

    private AdtJson() {
    }

    /**
     * Parses a request body.
     *
     * @throws AdtServiceException 400 {@code code} naming the problem when it is not JSON
     */
    public static JsonNode parse(String body, String code) {
        if (body == null || body.isBlank()) {
            throw new AdtServiceException(400, code, "The request body is empty; a JSON document is required.");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdtServiceException(400, code, "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** Parses a request body, with 400 {@code InvalidArgument} when it is not JSON. */
    public static JsonNode parse(String body) {
        return parse(body, AdtErrorCodes.INVALID_ARGUMENT);
    }

    /** A JSON object as a map of plain values ({@code String}, {@code Number}, {@code Boolean}, {@code Map}, {@code List}). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(ObjectNode node) {
        return MAPPER.convertValue(node, Map.class);
    }

    /** A plain value as a JSON node. */
    public static JsonNode toNode(Object value) {
        return MAPPER.valueToTree(value);
    }
}
