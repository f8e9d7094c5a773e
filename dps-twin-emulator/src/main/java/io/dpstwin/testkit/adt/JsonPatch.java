package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;

import java.util.ArrayList;
import java.util.List;

/** The JSON Patch (RFC 6902) subset ADT accepts: add, replace and remove on object members. */
final class JsonPatch {

    record Operation(String op, List<String> path, JsonNode value) {
        String pointer() {
            return "/" + String.join("/", path);
        }
    }

    private JsonPatch() {
    }

    /** Parses a patch document, or throws 400 {@code JsonPatchInvalid}. */
    static List<Operation> parse(JsonNode document) {
        if (document == null || !document.isArray()) {
            throw invalid("A JSON Patch must be a JSON array of operations.");
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode element : document) {
            if (!element.isObject()) {
                throw invalid("Every JSON Patch operation must be an object with op and path.");
            }
            String op = element.path("op").asText("");
            if (!op.equals("add") && !op.equals("replace") && !op.equals("remove")) {
                throw invalid("The JSON Patch operation '" + op + "' is not supported; ADT supports add, replace "
                        + "and remove.");
            }
            JsonNode pathNode = element.get("path");
            if (pathNode == null || !pathNode.isTextual()) {
                throw invalid("A JSON Patch " + op + " operation has no path.");
            }
            List<String> path = pointer(pathNode.asText());
            JsonNode value = element.get("value");
            if (!op.equals("remove") && value == null) {
                throw invalid("The JSON Patch " + op + " of " + pathNode.asText() + " has no value.");
            }
            operations.add(new Operation(op, path, value));
        }
        return operations;
    }

    private static List<String> pointer(String pointer) {
        if (!pointer.startsWith("/") || pointer.length() < 2) {
            throw invalid("The JSON Patch path '" + pointer + "' must be a JSON pointer to a member, such as /Temperature.");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            if (raw.isEmpty()) {
                throw invalid("The JSON Patch path '" + pointer + "' has an empty segment.");
            }
            segments.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return segments;
    }

    /** Applies one operation to {@code target} (modified in place), or throws 400 {@code JsonPatchInvalid}. */
    static void apply(Operation operation, ObjectNode target) {
        JsonNode parent = target;
        List<String> path = operation.path();
        for (int i = 0; i < path.size() - 1; i++) {
            parent = parent.get(path.get(i));
            if (parent == null) {
                throw invalid("The JSON Patch path " + operation.pointer() + " does not exist: "
                        + String.join("/", path.subList(0, i + 1)) + " is not set.");
            }
            if (!parent.isObject()) {
                throw invalid("The JSON Patch path " + operation.pointer() + " goes into "
                        + String.join("/", path.subList(0, i + 1)) + ", which is not an object (patch whole arrays "
                        + "and values instead).");
            }
        }
        ObjectNode object = (ObjectNode) parent;
        String member = path.get(path.size() - 1);
        switch (operation.op()) {
            case "add":
                object.set(member, operation.value().deepCopy());
                break;
            case "replace":
                if (!object.has(member)) {
                    throw invalid("The JSON Patch replace of " + operation.pointer() + " failed: the value is not set. "
                            + "Use add to set it.");
                }
                object.set(member, operation.value().deepCopy());
                break;
            default:
                if (!object.has(member)) {
                    throw invalid("The JSON Patch remove of " + operation.pointer() + " failed: the value is not set.");
                }
                object.remove(member);
        }
    }

    static AdtServiceException invalid(String message) {
        return new AdtServiceException(400, AdtErrorCodes.JSON_PATCH_INVALID, message);
    }
}
