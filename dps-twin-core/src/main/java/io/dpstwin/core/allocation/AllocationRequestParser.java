package io.dpstwin.core.allocation;

import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns a request body into an {@link AllocationRequest}: strict JSON (no duplicate keys, no trailing content, no
 * coercion between strings, numbers and booleans) and messages that name the field and the types but never
 * repeat body content (it may carry attestation data).
 *
 * <p>One leniency: {@code deviceRuntimeContext.payload} given as a JSON string that holds a JSON object is read as
 * that object. {@code az iot device registration create --payload '{"modelId":"..."}'} and the Java provisioning
 * device SDK send the payload that way. Any other string payload is refused with
 * {@link AllocationErrorCodes#INVALID_FIELD_TYPE}.
 *
 * <p>The body is read once, as a tree. A request of the usual shape is then read from the tree by
 * {@link RequestTreeReader}; anything else (a wrong type, a string payload, a field spelled in another case) is bound
 * by Jackson from the same tree, whose result or error message decides, so both ways give the same answer.
 */
final class AllocationRequestParser {

    static final JsonMapper MAPPER = Json.MAPPER;

    /**
     * A parsed request and its JSON tree (for redacted trace logging), with an unwrapped payload as the object it held.
     *
     * @param payloadUnwrapped whether the device payload arrived as a JSON string holding the object
     */
    record Parsed(AllocationRequest request, JsonNode tree, boolean payloadUnwrapped) {
    }

    private AllocationRequestParser() {
    }

    /**
     * @throws AllocationRejectedException {@link AllocationErrorCodes#MALFORMED_JSON} or
     *                                     {@link AllocationErrorCodes#INVALID_FIELD_TYPE}
     */
    static Parsed parse(byte[] body) {
        if (body.length == 0 || isBlank(body)) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON, "request body is empty");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON,
                    "request body exceeds the JSON nesting or size limits");
        } catch (JsonProcessingException e) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON, describeSyntaxError(e));
        } catch (IOException e) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON, "request body is not valid JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON, "request body is empty");
        }
        if (!tree.isObject()) {
            throw new AllocationRejectedException(AllocationErrorCodes.MALFORMED_JSON,
                    "request body must be a JSON object, got " + Json.kind(tree));
        }
        AllocationRequest read = RequestTreeReader.read((ObjectNode) tree);
        if (read != null) {
            return new Parsed(read, tree, false);
        }
        boolean payloadUnwrapped = unwrapStringPayload(tree);
        try {
            return new Parsed(MAPPER.treeToValue(tree, AllocationRequest.class), tree, payloadUnwrapped);
        } catch (MismatchedInputException e) {
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_FIELD_TYPE, describeMismatch(e, tree));
        } catch (JsonProcessingException e) {
            // A definition problem is a bug of ours, not bad input: let it surface as one.
            throw new IllegalStateException("cannot bind the allocation request model", e);
        }
    }

    /**
     * Replaces a {@code deviceRuntimeContext.payload} that is a string holding a JSON object with that object.
     *
     * @return whether the payload was replaced
     * @throws AllocationRejectedException {@link AllocationErrorCodes#INVALID_FIELD_TYPE} for any other string
     */
    private static boolean unwrapStringPayload(JsonNode tree) {
        JsonNode context = fieldIgnoringCase(tree, "deviceRuntimeContext");
        if (context == null || !context.isObject()) {
            return false;
        }
        String field = fieldNameIgnoringCase(context, "payload");
        if (field == null || !context.get(field).isTextual()) {
            return false;
        }
        String text = context.get(field).textValue();
        JsonNode inner;
        try {
            inner = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            inner = null;
        }
        if (inner == null || !inner.isObject()) {
            String got = inner == null || inner.isMissingNode() ? "a string that is not JSON"
                    : "a string holding " + Json.kind(inner);
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_FIELD_TYPE,
                    "deviceRuntimeContext.payload must be a JSON object (or a string holding one), got " + got);
        }
        ((ObjectNode) context).set(field, inner);
        return true;
    }

    private static String fieldNameIgnoringCase(JsonNode node, String name) {
        if (node.has(name)) {
            return name;
        }
        var fields = node.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (field.equalsIgnoreCase(name)) {
                return field;
            }
        }
        return null;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describeSyntaxError(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        String what = original != null && original.startsWith("Duplicate field")
                ? "request body has a duplicate key"
                : original != null && original.startsWith("Trailing token")
                ? "request body has content after the JSON object"
                : original != null && original.contains("end-of-input")
                ? "request body ends before the JSON is complete"
                : "request body is not valid JSON";
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            return what + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return what;
    }

    private static String describeMismatch(MismatchedInputException e, JsonNode tree) {
        String path = pathOf(e.getPath());
        String expected = expectedType(e.getTargetType());
        JsonNode actual = nodeAt(tree, e.getPath());
        String got = actual == null ? "" : ", got " + Json.kind(actual);
        return (path.isEmpty() ? "request body" : path) + " must be " + expected + got;
    }

    private static String pathOf(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                sb.append('[').append(reference.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode nodeAt(JsonNode tree, List<JsonMappingException.Reference> references) {
        JsonNode node = tree;
        for (JsonMappingException.Reference reference : references) {
            if (node == null) {
                return null;
            }
            if (reference.getFieldName() != null) {
                node = fieldIgnoringCase(node, reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                node = node.isArray() ? node.get(reference.getIndex()) : null;
            }
        }
        return node;
    }

    private static JsonNode fieldIgnoringCase(JsonNode node, String name) {
        if (!node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        var fields = node.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (field.equalsIgnoreCase(name)) {
                return node.get(field);
            }
        }
        return null;
    }

    private static String expectedType(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == String.class || CharSequence.class.isAssignableFrom(target)) {
            return "a string";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a JSON object";
        }
        return "of another type";
    }
}
