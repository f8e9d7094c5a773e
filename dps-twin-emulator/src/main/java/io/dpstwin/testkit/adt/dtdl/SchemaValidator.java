package io.dpstwin.testkit.adt.dtdl;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a DTDL schema: primitive types exactly (ranges of integer/long and the v3
 * integer types, date/dateTime/time/duration formats, 4 KB strings), enums by value, Objects by declared
 * fields, Maps by value schema, Arrays by element schema, geospatial values as GeoJSON objects.
 */
final class SchemaValidator {

    /** ADT refuses string property values longer than 4 KB. */
    static final int MAX_STRING_BYTES = 4096;

    private static final Pattern DURATION = Pattern.compile(
            "^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final BigInteger UNSIGNED_LONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_DEPTH = 16;

    private final Function<String, JsonNode> namedSchemas;

    /** @param namedSchemas resolves the DTMI of a named complex schema, {@code null} when unknown */
    SchemaValidator(Function<String, JsonNode> namedSchemas) {
        this.namedSchemas = namedSchemas;
    }

    /** Adds to {@code problems} what is wrong with {@code value} at {@code path}. */
    void validate(JsonNode schema, JsonNode value, String path, List<String> problems) {
        validate(schema, value, path, problems, 0);
    }

    private void validate(JsonNode schema, JsonNode value, String path, List<String> problems, int depth) {
        if (depth > MAX_DEPTH) {
            problems.add(path + " nests schemas too deeply.");
            return;
        }
        if (value == null || value.isNull()) {
            problems.add(path + " must not be null.");
            return;
        }
        if (schema.isTextual()) {
            String name = schema.asText();
            if (DtdlParser.isPrimitive(name, 3)) {
                checkPrimitive(name, value, path, problems);
                return;
            }
            JsonNode resolved = namedSchemas.apply(name);
            if (resolved == null) {
                problems.add(path + " uses schema " + name + ", which is not defined.");
                return;
            }
            validate(resolved, value, path, problems, depth + 1);
            return;
        }
        JsonNode type = schema.get("@type");
        if (DtdlParser.hasType(type, "Enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enumValues")) {
                if (option.get("enumValue").equals(value)
                        || (value.isIntegralNumber() && option.get("enumValue").isIntegralNumber()
                        && option.get("enumValue").asLong() == value.asLong())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                problems.add(path + " has value " + DtdlParser.describe(value) + ", which is not one of the enum "
                        + "values of its schema.");
            }
        } else if (DtdlParser.hasType(type, "Object")) {
            if (!value.isObject()) {
                problems.add(path + " must be an object, found " + DtdlParser.describe(value) + ".");
                return;
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldSchema = null;
                for (JsonNode declared : schema.get("fields")) {
                    if (field.getKey().equals(declared.get("name").asText())) {
                        fieldSchema = declared.get("schema");
                        break;
                    }
                }
                if (fieldSchema == null) {
                    problems.add(path + "." + field.getKey() + " is not a field of the Object schema of " + path + ".");
                } else {
                    validate(fieldSchema, field.getValue(), path + "." + field.getKey(), problems, depth + 1);
                }
            }
        } else if (DtdlParser.hasType(type, "Map")) {
            if (!value.isObject()) {
                problems.add(path + " must be an object (a Map), found " + DtdlParser.describe(value) + ".");
                return;
            }
            JsonNode valueSchema = schema.get("mapValue").get("schema");
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                validate(valueSchema, entry.getValue(), path + "." + entry.getKey(), problems, depth + 1);
            }
        } else if (DtdlParser.hasType(type, "Array")) {
            if (!value.isArray()) {
                problems.add(path + " must be an array, found " + DtdlParser.describe(value) + ".");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                validate(schema.get("elementSchema"), value.get(i), path + "[" + i + "]", problems, depth + 1);
            }
        } else {
            problems.add(path + " has a schema the emulator cannot check.");
        }
    }

    private static void checkPrimitive(String name, JsonNode value, String path, List<String> problems) {
        boolean ok;
        switch (name) {
            case "boolean":
                ok = value.isBoolean();
                break;
            case "integer":
                ok = value.isIntegralNumber() && value.canConvertToInt();
                break;
            case "long":
                ok = value.isIntegralNumber() && value.canConvertToLong();
                break;
            case "short":
                ok = inRange(value, Short.MIN_VALUE, Short.MAX_VALUE);
                break;
            case "byte":
                ok = inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
                break;
            case "unsignedByte":
                ok = inRange(value, 0, 255);
                break;
            case "unsignedShort":
                ok = inRange(value, 0, 65_535);
                break;
            case "unsignedInteger":
                ok = inRange(value, 0, 4_294_967_295L);
                break;
            case "unsignedLong":
                ok = value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0
                        && value.bigIntegerValue().compareTo(UNSIGNED_LONG_MAX) <= 0;
                break;
            case "double":
            case "float":
            case "decimal":
                ok = value.isNumber();
                break;
            case "string":
                ok = value.isTextual();
                if (ok && value.asText().getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
                    problems.add(path + " is longer than ADT's 4 KB limit for string values.");
                    return;
                }
                break;
            case "date":
                ok = value.isTextual() && parses(() -> LocalDate.parse(value.asText()));
                break;
            case "dateTime":
                ok = value.isTextual() && parses(() -> OffsetDateTime.parse(value.asText()));
                break;
            case "time":
                ok = value.isTextual() && parses(() -> LocalTime.parse(value.asText()));
                break;
            case "duration":
                ok = value.isTextual() && DURATION.matcher(value.asText()).matches();
                break;
            case "uuid":
                ok = value.isTextual() && UUID.matcher(value.asText()).matches();
                break;
            case "bytes":
                ok = value.isTextual() && parses(() -> Base64.getDecoder().decode(value.asText()));
                break;
            default:
                // geospatial: a GeoJSON object with type and coordinates
                ok = DtdlParser.isGeospatial(name) && value.isObject() && value.has("type")
                        && value.has("coordinates");
        }
        if (!ok) {
            problems.add(path + " must be of schema " + name + ", found " + DtdlParser.describe(value) + ".");
        }
    }

    private static boolean inRange(JsonNode value, long min, long max) {
        return value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= min && value.asLong() <= max;
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }
}
