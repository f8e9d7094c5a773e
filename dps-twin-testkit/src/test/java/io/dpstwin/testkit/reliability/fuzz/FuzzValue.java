package io.dpstwin.testkit.reliability.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A JSON value a mutation puts into a request; {@link #toString()} stays short even for huge values. */
public sealed interface FuzzValue {

    JsonNode toNode();

    /** A string. */
    record Text(String value) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            return JsonNodeFactory.instance.textNode(value);
        }

        @Override
        public String toString() {
            return quote(value);
        }
    }

    /** {@code unit} repeated up to {@code length} characters: large bodies near and over the size limit. */
    record Huge(int length, String unit) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            String text = unit.repeat(length / Math.max(1, unit.length()) + 1);
            return JsonNodeFactory.instance.textNode(text.substring(0, Math.min(length, text.length())));
        }

        @Override
        public String toString() {
            return "a string of " + length + " chars of " + quote(unit);
        }
    }

    /** Arrays or objects nested {@code depth} levels deep. */
    record Deep(int depth, boolean arrays) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            JsonNode node = JsonNodeFactory.instance.textNode("bottom");
            for (int i = 0; i < depth; i++) {
                if (arrays) {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    array.add(node);
                    node = array;
                } else {
                    ObjectNode object = JsonNodeFactory.instance.objectNode();
                    object.set("a", node);
                    node = object;
                }
            }
            return node;
        }

        @Override
        public String toString() {
            return (arrays ? "arrays" : "objects") + " nested " + depth + " deep";
        }
    }

    /** An integer. */
    record Int(long value) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            return JsonNodeFactory.instance.numberNode(value);
        }
    }

    /** A floating-point number (NaN and infinities become strings in JSON, so they are avoided by the generator). */
    record Real(double value) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            return JsonNodeFactory.instance.numberNode(value);
        }
    }

    /** A boolean. */
    record Bool(boolean value) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            return JsonNodeFactory.instance.booleanNode(value);
        }
    }

    /** {@code null}. */
    record Null() implements FuzzValue {
        @Override
        public JsonNode toNode() {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    /** An object with one member, or an empty object. */
    record Obj(String key, String value) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            if (key != null) {
                object.put(key, value);
            }
            return object;
        }
    }

    /** An array of strings (possibly empty). */
    record Strings(List<String> values) implements FuzzValue {
        @Override
        public JsonNode toNode() {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            values.forEach(array::add);
            return array;
        }

        @Override
        public String toString() {
            return values.stream().map(FuzzValue::quote).toList().toString();
        }
    }

    /** A string for messages: quoted, control characters escaped, at most 60 characters. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().limit(60).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        if (text.codePointCount(0, text.length()) > 60) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.append('"').toString();
    }
}
