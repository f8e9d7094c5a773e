package io.dpstwin.testkit.iothub.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of IoT Hub's query language the emulator answers: {@code SELECT * FROM devices} or
 * {@code FROM devices.modules}, optionally {@code WHERE} comparisons joined by {@code AND}, each
 * {@code <property path> (= | != | <>) <'string' | number | true | false | null>} on the twin (e.g.
 * {@code tags.dtId = 'room-7'}, {@code status = 'enabled'}). Anything else is refused as a bad request, never
 * answered wrongly.
 *
 * @see <a href="https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-query-language">IoT Hub query
 *         language</a>
 */
record DeviceQuery(boolean modules, List<Condition> conditions) {

    private static final Pattern QUERY = Pattern.compile(
            "(?is)^\\s*SELECT\\s+\\*\\s+FROM\\s+(devices(?:\\.modules)?)\\s*(?:WHERE\\s+(.+?))?\\s*$");
    private static final Pattern CONDITION = Pattern.compile(
            "(?s)^\\s*([A-Za-z$][A-Za-z0-9_$\\-]*(?:\\.[A-Za-z$][A-Za-z0-9_$\\-]*)*)\\s*(=|!=|<>)\\s*"
                    + "('(?:[^']|'')*'|\"[^\"]*\"|-?[0-9]+(?:\\.[0-9]+)?|true|false|null)\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AND = Pattern.compile("(?i)\\s+AND\\s+(?=(?:[^']*'[^']*')*[^']*$)");

    record Condition(String[] path, boolean equals, Object value) {
    }

    static DeviceQuery parse(String text) {
        Matcher matcher = QUERY.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("The emulator answers only SELECT * FROM devices (or devices.modules) "
                    + "with optional WHERE comparisons joined by AND; got: " + text);
        }
        boolean modules = matcher.group(1).toLowerCase(Locale.ROOT).equals("devices.modules");
        List<Condition> conditions = new ArrayList<>();
        if (matcher.group(2) != null) {
            for (String part : AND.split(matcher.group(2))) {
                Matcher c = CONDITION.matcher(part);
                if (!c.matches()) {
                    throw new IllegalArgumentException("Unsupported condition in the query: " + part.trim());
                }
                conditions.add(new Condition(c.group(1).split("\\."), c.group(2).equals("="), literal(c.group(3))));
            }
        }
        return new DeviceQuery(modules, List.copyOf(conditions));
    }

    private static Object literal(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replace("''", "'");
        }
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> Double.valueOf(token);
        };
    }

    boolean matches(JsonNode twin) {
        for (Condition condition : conditions) {
            JsonNode node = twin;
            for (String step : condition.path()) {
                node = node == null ? null : node.get(step);
            }
            if (node == null || node.isMissingNode()) {
                return false; // a comparison with an undefined property is undefined, i.e. not true
            }
            if (equal(node, condition.value()) != condition.equals()) {
                return false;
            }
        }
        return true;
    }

    private static boolean equal(JsonNode node, Object value) {
        if (value == null) {
            return node.isNull();
        }
        if (node.isNull()) {
            return false;
        }
        if (value instanceof String s) {
            return node.isTextual() && node.asText().equals(s);
        }
        if (value instanceof Boolean b) {
            return node.isBoolean() && node.asBoolean() == b;
        }
        return node.isNumber() && node.asDouble() == (Double) value;
    }
}
