package io.dpstwin.testkit.dps;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.util.Objects;

/**
 * An allocation request bent out of shape for negative tests: named helpers for the failures a webhook must
 * answer with 400 (no {@code linkedHubs}, an empty list, a payload that is not an object, a registration id that is
 * not a string...) and generic {@link #remove(String)}/{@link #set(String, Object)} by JSON Pointer. Immutable:
 * every method returns a new instance.
 *
 * <pre>{@code
 * String body = DpsRequests.group("g").registrationId("dev-1").malformed().withoutLinkedHubs().toJson();
 * }</pre>
 */
public final class MalformedRequest {

    private final ObjectNode root;

    MalformedRequest(ObjectNode root) {
        this.root = root;
    }

    /** No top-level {@code linkedHubs}. */
    public MalformedRequest withoutLinkedHubs() {
        return remove("/linkedHubs");
    }

    /** {@code "linkedHubs":[]}. */
    public MalformedRequest withEmptyLinkedHubs() {
        return set("/linkedHubs", JsonNodeFactory.instance.arrayNode());
    }

    /** {@code "linkedHubs":"hub.azure-devices.net"} (a string instead of an array). */
    public MalformedRequest withLinkedHubsAsString() {
        JsonNode hubs = root.path("linkedHubs");
        String first = hubs.isArray() && !hubs.isEmpty() ? hubs.get(0).asText() : DpsRequests.DEFAULT_LINKED_HUB;
        return set("/linkedHubs", first);
    }

    /** {@code "payload":[...]}: the device payload as an array (its fields, if any, become elements). */
    public MalformedRequest withPayloadAsArray() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        root.path("deviceRuntimeContext").path("payload").forEach(v -> array.add(v.deepCopy()));
        return set("/deviceRuntimeContext/payload", array);
    }

    /**
     * {@code "payload":"modelId=..."}: the device payload as a string that does not hold a JSON object (its fields as
     * {@code name=value} text). A string that holds a JSON object is no error: webhooks read it as that object, see
     * {@link AllocationRequestBuilder#payloadAsJsonString()}.
     */
    public MalformedRequest withPayloadAsString() {
        StringBuilder text = new StringBuilder();
        root.path("deviceRuntimeContext").path("payload").properties().forEach(field -> text
                .append(text.length() == 0 ? "" : "&").append(field.getKey()).append('=').append(field.getValue().asText()));
        return set("/deviceRuntimeContext/payload", text.toString());
    }

    /** {@code "modelId":42} inside the payload. */
    public MalformedRequest withModelIdAsNumber() {
        return set("/deviceRuntimeContext/payload/modelId", IntNode.valueOf(42));
    }

    /** {@code "registrationId":12345} (a number instead of a string). */
    public MalformedRequest withRegistrationIdAsNumber() {
        return set("/deviceRuntimeContext/registrationId", IntNode.valueOf(12345));
    }

    /** No {@code deviceRuntimeContext.registrationId}. */
    public MalformedRequest withoutRegistrationId() {
        return remove("/deviceRuntimeContext/registrationId");
    }

    /** No {@code deviceRuntimeContext} at all. */
    public MalformedRequest withoutDeviceRuntimeContext() {
        return remove("/deviceRuntimeContext");
    }

    /** Neither {@code enrollmentGroup} nor {@code individualEnrollment}. */
    public MalformedRequest withoutEnrollment() {
        return remove("/enrollmentGroup").remove("/individualEnrollment");
    }

    /**
     * Removes the member or array element at {@code jsonPointer} (RFC 6901, e.g. {@code /deviceRuntimeContext/payload});
     * a pointer that matches nothing leaves the request as it is.
     */
    public MalformedRequest remove(String jsonPointer) {
        ObjectNode copy = root.deepCopy();
        JsonPointer pointer = JsonPointer.compile(jsonPointer);
        JsonNode parent = copy.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array && pointer.last().mayMatchElement()) {
            int index = pointer.last().getMatchingIndex();
            if (index < array.size()) {
                array.remove(index);
            }
        }
        return new MalformedRequest(copy);
    }

    /**
     * Sets the member at {@code jsonPointer} to {@code value} (any JSON value: a {@link JsonNode}, string, number,
     * boolean, map, list or {@code null}), creating missing parent objects.
     */
    public MalformedRequest set(String jsonPointer, Object value) {
        ObjectNode copy = root.deepCopy();
        JsonPointer pointer = JsonPointer.compile(Objects.requireNonNull(jsonPointer, "jsonPointer"));
        if (pointer.matches()) {
            throw new IllegalArgumentException("cannot replace the whole document; build a string instead");
        }
        ObjectNode parent = copy;
        for (JsonPointer p = pointer; !p.tail().matches(); p = p.tail()) {
            String name = p.getMatchingProperty();
            JsonNode child = parent.get(name);
            if (!(child instanceof ObjectNode)) {
                child = parent.putObject(name);
            }
            parent = (ObjectNode) child;
        }
        parent.set(pointer.last().getMatchingProperty(), Wire.toNode(value));
        return new MalformedRequest(copy);
    }

    /** A fresh JSON tree of the malformed request. */
    public ObjectNode toObjectNode() {
        return root.deepCopy();
    }

    /** The malformed request as compact JSON. */
    public String toJson() {
        return Wire.write(root);
    }

    /** The JSON cut off before its last character: not parseable at all. */
    public String toTruncatedJson() {
        String json = toJson();
        return json.substring(0, json.length() - 1);
    }

    @Override
    public String toString() {
        return "MalformedRequest" + toJson();
    }
}
