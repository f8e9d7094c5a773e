package io.dpstwin.functions;

import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.retirement.HubNames;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.support.Redaction;
import io.dpstwin.core.twins.Dtmi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads app settings one by one and collects every problem, so that one exception names all of them. Values of
 * secret settings never enter a message; other values are redacted and shortened before they do.
 */
final class SettingsReader {

    private static final int MAX_SHOWN = 80;
    private static final Set<String> SECRET_SETTINGS = Set.of(
            FunctionsSettings.REGISTRY_GUARD_CONNECTION_STRINGS, FunctionsSettings.EVENTHUB_CONNECTIONSTRING,
            FunctionsSettings.RECONCILE_CONNECTION_STRINGS);
    private static final Pattern PAYLOAD_FIELD = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private final Map<String, String> settings;
    private final List<FunctionsSettingsException.Problem> problems = new ArrayList<>();
    private final Set<String> failed = new HashSet<>();

    SettingsReader(Map<String, String> settings) {
        this.settings = settings;
    }

    Set<String> names() {
        return settings.keySet();
    }

    /** The value, trimmed; {@code null} when unset or blank. */
    private String value(String name) {
        String raw = settings.get(name);
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    /** The value as given (untrimmed), {@code null} when unset. */
    String raw(String name) {
        return settings.get(name);
    }

    boolean isSet(String name) {
        return value(name) != null;
    }

    boolean failed(String name) {
        return failed.contains(name);
    }

    void problem(String name, String message) {
        failed.add(name);
        problems.add(new FunctionsSettingsException.Problem(name, message));
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new FunctionsSettingsException(problems);
        }
    }

    /** How a wrong value may appear in a message. */
    static String shown(String name, String value) {
        if (SECRET_SETTINGS.contains(name) || Redaction.isSensitiveKey(name)) {
            return "(value not shown)";
        }
        String redacted = Redaction.redactText(value);
        StringBuilder out = new StringBuilder(Math.min(redacted.length(), MAX_SHOWN) + 5).append('\'');
        for (int i = 0; i < redacted.length() && i < MAX_SHOWN; i++) {
            char c = redacted.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (redacted.length() > MAX_SHOWN) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    private void invalid(String name, String value, String expectation) {
        problem(name, name + " is invalid: expected " + expectation + ", got " + shown(name, value));
    }

    // ---------------------------------------------------------------- typed readers

    String httpsUrl(String name) {
        String value = value(name);
        if (value == null) {
            problem(name, name + " is missing: set it to the URL of the Azure Digital Twins instance, "
                    + "https://<instance host name>, e.g. https://my-instance.api.weu.digitaltwins.azure.net");
            return null;
        }
        try {
            URI uri = new URI(value);
            boolean plain = uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()));
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && plain) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        invalid(name, value, "https://<instance host name> without path or query (Azure Digital Twins only "
                + "accepts tokens over HTTPS)");
        return null;
    }

    String guid(String name) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 36) {
                UUID.fromString(value);
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        invalid(name, value, "the client id (a GUID) of the user-assigned managed identity");
        return null;
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        String normalized = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized)) {
                return constant;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        invalid(name, value, "one of " + String.join(", ", allowed));
        return defaultValue;
    }

    boolean bool(String name, boolean defaultValue) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        invalid(name, value, "true or false");
        return defaultValue;
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalid(name, value, "a whole number from " + min + " to " + max);
        return defaultValue;
    }

    Duration duration(String name, Duration defaultValue) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = null;
        try {
            parsed = value.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // reported below
        }
        if (parsed != null && !parsed.isZero() && !parsed.isNegative()) {
            return parsed;
        }
        invalid(name, value, "a positive duration in seconds (60) or ISO-8601 (PT1M)");
        return defaultValue;
    }

    /** A decimal number from 0 to 1, e.g. {@code 0.5}. */
    double fraction(String name, double defaultValue) {
        String value = value(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0.0 && parsed <= 1.0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalid(name, value, "a decimal number from 0 to 1, e.g. 0.5");
        return defaultValue;
    }

    String dtmi(String name) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        if (Dtmi.isValid(value)) {
            return value;
        }
        invalid(name, value, "a DTMI such as dtmi:com:example:Thermostat;1");
        return null;
    }

    List<String> dtmiList(String name) {
        List<String> models = new ArrayList<>();
        for (String item : list(name)) {
            if (!Dtmi.isValid(item)) {
                invalid(name, item, "comma-separated DTMIs such as dtmi:com:example:Thermostat;1 (this entry is not"
                        + " one)");
                return List.of();
            }
            models.add(item);
        }
        return List.copyOf(models);
    }

    String twinIdPrefix(String name) {
        String raw = settings.get(name);
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || "'\"\\/?#".indexOf(c) >= 0) {
                invalid(name, raw, "a twin id prefix without white space, control characters or ' \" \\ / ? #");
                return "";
            }
        }
        if (raw.length() > 128) {
            invalid(name, raw, "a twin id prefix of at most 128 characters");
            return "";
        }
        return raw;
    }

    String payloadField(String name) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        if (PAYLOAD_FIELD.matcher(value).matches()) {
            return value;
        }
        invalid(name, value, "the name of a field of the device payload (letters, digits, _ $ -, at most 64)");
        return null;
    }

    String relationshipName(String name) {
        String value = value(name);
        if (value == null) {
            return Placement.DEFAULT_RELATIONSHIP_NAME;
        }
        try {
            Placement.under(ParentTwinResolver.payloadField("parent")).withRelationshipName(value);
            return value;
        } catch (IllegalArgumentException e) {
            invalid(name, value, "a DTDL relationship name (a letter, then letters, digits or _, at most 64)");
            return Placement.DEFAULT_RELATIONSHIP_NAME;
        }
    }

    Map<String, Double> weights(String name) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String item : list(name)) {
            int eq = item.indexOf('=');
            String hub = eq < 0 ? "" : item.substring(0, eq).trim();
            String weightText = eq < 0 ? "" : item.substring(eq + 1).trim();
            Double weight = null;
            try {
                weight = Double.valueOf(weightText);
            } catch (NumberFormatException e) {
                // reported below
            }
            if (hub.isEmpty() || weight == null || weight.isNaN() || weight.isInfinite() || weight < 0) {
                invalid(name, item, "comma-separated <hub host name>=<weight ≥ 0>, e.g. "
                        + "hub-a.azure-devices.net=2,hub-b.azure-devices.net=1 (this entry is not one)");
                return Map.of();
            }
            if (weights.keySet().stream().anyMatch(hub::equalsIgnoreCase)) {
                problem(name, name + " names hub " + shown(name, hub) + " twice");
                return Map.of();
            }
            weights.put(hub, weight);
        }
        if (!weights.isEmpty()) {
            try {
                HubSelectionPolicy.weighted(weights);
            } catch (IllegalArgumentException e) {
                problem(name, name + " is invalid: " + e.getMessage());
                return Map.of();
            }
        }
        return Map.copyOf(weights);
    }

    List<String> hubNames(String name) {
        List<String> hubs = new ArrayList<>();
        for (String item : list(name)) {
            try {
                HubNames.normalize(item);
                hubs.add(item);
            } catch (IllegalArgumentException e) {
                invalid(name, item, "comma-separated IoT hub names or host names (this entry is not one)");
                return List.of();
            }
        }
        return List.copyOf(hubs);
    }

    List<String> hostNames(String name) {
        List<String> hosts = new ArrayList<>();
        for (String item : list(name)) {
            if (!HOST_NAME.matcher(item).matches()) {
                invalid(name, item, "comma-separated IoT hub host names such as my-hub.azure-devices.net "
                        + "(this entry is not one)");
                return List.of();
            }
            if (hosts.stream().anyMatch(item::equalsIgnoreCase)) {
                problem(name, name + " names hub " + shown(name, item) + " twice");
                return List.of();
            }
            hosts.add(item);
        }
        return List.copyOf(hosts);
    }

    /** Connection strings: checked by parsing, reported by position only. */
    List<String> connectionStrings(String name) {
        List<String> strings = list(name);
        if (strings.isEmpty()) {
            return List.of();
        }
        try {
            IotHubDeviceRegistry.fromConnectionStrings(strings);
        } catch (IllegalArgumentException e) {
            // core's message names the position, never the value
            problem(name, name + " is invalid: " + e.getMessage());
            return List.of();
        }
        return List.copyOf(strings);
    }

    private List<String> list(String name) {
        String value = value(name);
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }
}
