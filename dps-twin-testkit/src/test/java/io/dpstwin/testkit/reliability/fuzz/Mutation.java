package io.dpstwin.testkit.reliability.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One change that bends a valid request out of shape. Tree mutations pick their target among the request's JSON
 * values by index (modulo their number, so any index is valid and jqwik can shrink it); text mutations work on the
 * serialized bytes.
 */
public sealed interface Mutation {

    /** A tree mutation: changes the document (may replace the whole of it). */
    sealed interface OnTree extends Mutation {
        JsonNode apply(JsonNode root);
    }

    /** A text mutation: changes the bytes after serialization. */
    sealed interface OnBytes extends Mutation {
        byte[] apply(byte[] body);
    }

    /** Removes the member or element at the target. */
    record Remove(int target) implements OnTree {
        @Override
        public JsonNode apply(JsonNode root) {
            List<Location> locations = locations(root);
            Location at = locations.get(Math.floorMod(target, locations.size()));
            if (at.parent() == null) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (at.parent() instanceof ObjectNode object) {
                object.remove(at.name());
            } else if (at.parent() instanceof ArrayNode array) {
                array.remove(at.index());
            }
            return root;
        }

        @Override
        public String toString() {
            return "remove #" + target;
        }
    }

    /** Replaces the value at the target (the root included) with another value, usually of another type. */
    record Replace(int target, FuzzValue value) implements OnTree {
        @Override
        public JsonNode apply(JsonNode root) {
            List<Location> locations = locations(root);
            Location at = locations.get(Math.floorMod(target, locations.size()));
            JsonNode replacement = value.toNode();
            if (at.parent() == null) {
                return replacement;
            }
            if (at.parent() instanceof ObjectNode object) {
                object.set(at.name(), replacement);
            } else if (at.parent() instanceof ArrayNode array) {
                array.set(at.index(), replacement);
            }
            return root;
        }

        @Override
        public String toString() {
            return "replace #" + target + " with " + value;
        }
    }

    /**
     * Sets a named field (e.g. {@code registrationId}) wherever objects have it; when none has it, adds it where the
     * webhook reads it (e.g. {@code modelId} into {@code deviceRuntimeContext.payload}), or else to the target object.
     */
    record SetField(int target, String name, FuzzValue value) implements OnTree {

        private static final Map<String, List<String>> HOMES = Map.of(
                "modelId", List.of("deviceRuntimeContext", "payload"),
                "parentTwinId", List.of("deviceRuntimeContext", "payload"),
                "registrationId", List.of("deviceRuntimeContext"),
                "currentIotHubHostName", List.of("deviceRuntimeContext"),
                "payload", List.of("deviceRuntimeContext"),
                "linkedHubs", List.of(),
                "deviceRuntimeContext", List.of(),
                "deviceId", List.of("individualEnrollment"),
                "enrollmentGroupId", List.of("enrollmentGroup"));

        @Override
        public JsonNode apply(JsonNode root) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            if (objects.isEmpty()) {
                return root;
            }
            List<ObjectNode> having = objects.stream().filter(o -> o.has(name)).toList();
            if (!having.isEmpty()) {
                having.forEach(o -> o.set(name, value.toNode()));
                return root;
            }
            ObjectNode home = home(root);
            (home != null ? home : objects.get(Math.floorMod(target, objects.size()))).set(name, value.toNode());
            return root;
        }

        private ObjectNode home(JsonNode root) {
            List<String> path = HOMES.get(name);
            if (path == null || !(root instanceof ObjectNode node)) {
                return null;
            }
            for (String segment : path) {
                JsonNode child = node.get(segment);
                if (child == null) {
                    child = node.putObject(segment);
                }
                if (!(child instanceof ObjectNode object)) {
                    return null;
                }
                node = object;
            }
            return node;
        }

        @Override
        public String toString() {
            return "set '" + name + "' (#" + target + ") to " + value;
        }
    }

    /** Cuts the body at a fraction of its length. */
    record Truncate(int permille) implements OnBytes {
        @Override
        public byte[] apply(byte[] body) {
            return Arrays.copyOf(body, (int) ((long) body.length * Math.floorMod(permille, 1000) / 1000));
        }

        @Override
        public String toString() {
            return "truncate at " + Math.floorMod(permille, 1000) / 10.0 + " %";
        }
    }

    /** Appends text after the document (trailing content). */
    record Append(String text) implements OnBytes {
        @Override
        public byte[] apply(byte[] body) {
            return concat(body, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "append " + FuzzValue.quote(text);
        }
    }

    /** Repeats the first member of the top-level object at its start: a duplicate key. */
    record DuplicateFirstKey() implements OnBytes {
        @Override
        public byte[] apply(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            int start = text.indexOf('{');
            int comma = text.indexOf(",\"", start);
            if (start < 0 || comma < 0) {
                return body;
            }
            String firstMember = text.substring(start + 1, comma);
            return (text.substring(0, start + 1) + firstMember + "," + text.substring(start + 1))
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "duplicate the first key";
        }
    }

    /** Overwrites bytes at positions (modulo the length) with the given values: broken UTF-8, stray quotes. */
    record Noise(List<Integer> positions, List<Byte> values) implements OnBytes {
        @Override
        public byte[] apply(byte[] body) {
            if (body.length == 0) {
                return body;
            }
            byte[] noisy = body.clone();
            for (int i = 0; i < positions.size() && i < values.size(); i++) {
                noisy[Math.floorMod(positions.get(i), noisy.length)] = values.get(i);
            }
            return noisy;
        }

        @Override
        public String toString() {
            return "overwrite bytes " + positions + " with " + values;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Where a value sits: its parent container and its name or index there; the root has no parent. */
    record Location(JsonNode parent, String name, int index) {
    }

    /** Every value of the document, the root first, depth first (iterative: trees can be very deep). */
    static List<Location> locations(JsonNode root) {
        List<Location> locations = new ArrayList<>();
        Deque<Map.Entry<Location, JsonNode>> todo = new ArrayDeque<>();
        todo.push(Map.entry(new Location(null, null, -1), root));
        while (!todo.isEmpty()) {
            Map.Entry<Location, JsonNode> next = todo.pop();
            locations.add(next.getKey());
            JsonNode node = next.getValue();
            List<Map.Entry<Location, JsonNode>> children = new ArrayList<>();
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    children.add(Map.entry(new Location(object, field.getKey(), -1), field.getValue()));
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    children.add(Map.entry(new Location(array, null, i), array.get(i)));
                }
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return locations;
    }

    private static void collectObjects(JsonNode root, List<ObjectNode> out) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node instanceof ObjectNode object) {
                out.add(object);
            }
            if (node instanceof ContainerNode<?>) {
                node.forEach(todo::push);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
