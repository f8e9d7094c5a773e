package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;

/**
 * JSON reading for lifecycle parsers: strict (duplicate keys refused, nesting bounded), and error reasons that name
 * the position of a problem but never quote the input.
 */
final class JsonSupport {

    static final int MAX_NESTING_DEPTH = Json.MAX_NESTING_DEPTH;

    private static final ObjectMapper MAPPER = Json.MAPPER;

    private JsonSupport() {
    }

    /**
     * Parses {@code text} (already size-checked) as JSON. A leading UTF-8 byte order mark (U+FEFF), which some
     * producers put before {@code application/json} bodies, is skipped; RFC 8259 allows parsers to ignore it.
     */
    static JsonNode read(String text, String what) throws ParseFailure {
        try {
            JsonNode node = MAPPER.readTree(withoutByteOrderMark(text));
            if (node == null || node.isMissingNode()) {
                throw new ParseFailure(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ParseFailure(what + " is not valid JSON" + position(e.getLocation()));
        }
    }

    /** {@code text} without one leading byte order mark (U+FEFF). */
    static String withoutByteOrderMark(String text) {
        return text != null && !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    private static String position(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    static void checkSize(int length, int maxChars, String what) throws ParseFailure {
        if (length > maxChars) {
            throw new ParseFailure(what + " has " + length + " characters; at most " + maxChars + " are accepted");
        }
    }

    /** Decodes UTF-8 strictly: malformed input is refused rather than replaced. */
    static String utf8(byte[] bytes, int maxBytes, String what) throws ParseFailure {
        if (bytes.length > maxBytes) {
            throw new ParseFailure(what + " has " + bytes.length + " bytes; at most " + maxBytes + " are accepted");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ParseFailure(what + " is not valid UTF-8");
        }
    }

    /** A string member of {@code node}: {@code null} when absent, JSON null or empty; refused when not a string. */
    static String text(JsonNode node, String field, String where) throws ParseFailure {
        JsonNode value = member(node, field, where, JsonNode::isTextual, "a string");
        return value == null || value.textValue().isEmpty() ? null : value.textValue();
    }

    /** An object member of {@code node}: {@code null} when absent or JSON null; refused when not an object. */
    static JsonNode object(JsonNode node, String field, String where) throws ParseFailure {
        return member(node, field, where, JsonNode::isObject, "an object");
    }

    /** A member of {@code node}: {@code null} when absent or JSON null; refused when not {@code expected}. */
    private static JsonNode member(JsonNode node, String field, String where, Predicate<JsonNode> isExpected,
                                   String expected) throws ParseFailure {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!isExpected.test(value)) {
            throw new ParseFailure(where + field + " is " + Json.kind(value) + ", expected " + expected);
        }
        return value;
    }

    /** An ISO-8601 instant ({@code Z} or an offset, up to 9 fractional digits). */
    static Instant instant(String text, String what) throws ParseFailure {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ParseFailure(what + " is not an ISO-8601 timestamp");
            }
        }
    }
}
