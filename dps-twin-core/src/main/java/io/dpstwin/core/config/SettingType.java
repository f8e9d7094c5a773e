package io.dpstwin.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dpstwin.core.twins.Dtmi;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of a setting becomes its value, the same on every host. A parser throws
 * {@link IllegalArgumentException} with what it expected. Durations and sizes need a unit ({@code 500ms},
 * {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT30S}; {@code 512B}, {@code 96KB},
 * {@code 1MB}): a bare number is refused, as it would mean milliseconds to one reader and seconds to another.
 *
 * @param javaType  the Java type Spring's configuration metadata shows
 * @param expected  what a valid value looks like, e.g. "a whole number from 1 to 256"
 * @param parser    text to value; {@code null} or an exception for a bad value
 * @param formatter a value as a user writes it
 * @param values    the allowed values of a choice, or the members of keyed groups; empty for other types
 * @param element   the type of each entry of a list; {@code null} for other types
 * @param <T>       the type of the value
 */
public record SettingType<T>(String javaType, String expected, Function<String, T> parser,
                             Function<T, String> formatter, List<String> values, SettingType<?> element) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})(B|KB|MB|GB)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Map<String, ChronoUnit> TIME_UNITS = Map.of("ms", ChronoUnit.MILLIS, "s",
            ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);
    private static final Map<String, Integer> SIZE_SHIFTS = Map.of("B", 0, "KB", 10, "MB", 20, "GB", 30);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static <T> SettingType<T> of(String javaType, String expected, Function<String, T> parser) {
        return new SettingType<>(javaType, expected, parser, String::valueOf, List.of(), null);
    }

    /** The value, parsed from trimmed, non-blank text; the exception says what was expected, never the text. */
    public T parse(String text) {
        try {
            return Objects.requireNonNull(parser.apply(text));
        } catch (IllegalArgumentException | NullPointerException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }

    /** A value as a user writes it. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** Whether the value is a list of {@link #element()} values (comma-separated, or indexed in Spring). */
    public boolean isList() {
        return element != null;
    }

    // ---------------------------------------------------------------- the types

    static SettingType<String> text() {
        return of("java.lang.String", "text", s -> s);
    }

    static SettingType<Boolean> bool() {
        return of("java.lang.Boolean", "true or false", s -> "true".equalsIgnoreCase(s) ? Boolean.TRUE
                : "false".equalsIgnoreCase(s) ? Boolean.FALSE : null);
    }

    static SettingType<Integer> integer(int min, int max) {
        return of("java.lang.Integer", "a whole number from " + min + " to " + max, s -> {
            int value = Integer.parseInt(s);
            return value >= min && value <= max ? value : null;
        });
    }

    static SettingType<Double> decimal(double min, double max) {
        return of("java.lang.Double", "a decimal number from " + min + " to " + max, s -> {
            double value = Double.parseDouble(s);
            return value >= min && value <= max ? value : null;
        });
    }

    /** A duration above zero, e.g. a timeout. */
    static SettingType<Duration> duration() {
        return duration(true);
    }

    /** A duration that may be zero, e.g. the longest wait for a permit (0s: none). */
    static SettingType<Duration> durationOrZero() {
        return duration(false);
    }

    private static SettingType<Duration> duration(boolean positive) {
        return new SettingType<>("java.time.Duration", "a duration" + (positive ? " above zero" : "") + " with a unit: "
                + "500ms, 30s, 2m, 1h, 1d or ISO-8601 such as PT30S (a bare number is refused)", s -> {
            Matcher m = DURATION.matcher(s);
            Duration d = m.matches() ? Duration.of(Long.parseLong(m.group(1)), TIME_UNITS.get(m.group(2)
                    .toLowerCase(Locale.ROOT))) : Duration.parse(s);
            return d.isNegative() || positive && d.isZero() ? null : d;
        }, d -> d.toMillisPart() != 0 || d.isZero() ? d.toMillis() + "ms" : d.toSeconds() % 3600 == 0 ? d.toHours()
                + "h" : d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s", List.of(), null);
    }

    /** A size in bytes, {@code 96KB} (1 KB = 1024 B, as Spring's DataSize), at most 2 GB. */
    static SettingType<Integer> size() {
        return new SettingType<>("org.springframework.util.unit.DataSize", "a size with a unit: 512B, 96KB or 1MB "
                + "(1 KB = 1024 B; a bare number is refused), at least 1B and below 2GB", s -> {
            Matcher m = SIZE.matcher(s);
            long bytes = m.matches() ? Math.multiplyExact(Long.parseLong(m.group(1)),
                    1L << SIZE_SHIFTS.get(m.group(2).toUpperCase(Locale.ROOT))) : 0;
            return bytes >= 1 && bytes < Integer.MAX_VALUE ? (int) bytes : null;
        }, b -> b % (1 << 20) == 0 ? (b >> 20) + "MB" : b % 1024 == 0 ? (b >> 10) + "KB" : b + "B", List.of(), null);
    }

    /** One of {@code values}, lower-case with dashes; any case and {@code _} for {@code -} are accepted. */
    static SettingType<String> choice(String... values) {
        List<String> allowed = List.of(values);
        return new SettingType<>("java.lang.String", "one of " + String.join(", ", allowed), s -> {
            String normalized = s.toLowerCase(Locale.ROOT).replace('_', '-');
            return allowed.contains(normalized) ? normalized : null;
        }, v -> v, allowed, null);
    }

    static SettingType<String> dtmi() {
        return of("java.lang.String", "a DTMI such as dtmi:com:example:Thermostat;1", s -> Dtmi.isValid(s) ? s : null);
    }

    static SettingType<String> httpsUrl() {
        return of("java.lang.String", "https://<host name> without path or query", s -> {
            URI uri = URI.create(s);
            boolean plain = uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()));
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && plain
                    ? s.replaceFirst("/$", "") : null;
        });
    }

    static SettingType<String> guid() {
        return of("java.lang.String", "a GUID", s -> s.length() == 36 ? UUID.fromString(s).toString() : null);
    }

    /** The name of a field of the device payload. */
    static SettingType<String> field() {
        return of("java.lang.String", "a payload field name (letters, digits, _ $ -, at most 64)",
                s -> FIELD.matcher(s).matches() ? s : null);
    }

    /** A twin id prefix: at most 128 characters, no white space, control characters or ' " \\ / ? #. */
    static SettingType<String> twinIdPrefix() {
        return of("java.lang.String", "a twin id prefix of at most 128 characters without white space, control "
                + "characters or ' \" \\ / ? #", s -> s.length() <= 128 && s.chars().noneMatch(
                c -> Character.isWhitespace(c) || Character.isISOControl(c) || "'\"\\/?#".indexOf(c) >= 0) ? s : null);
    }

    static SettingType<String> hostName() {
        return of("java.lang.String", "a host name such as my-hub.azure-devices.net",
                s -> HOST_NAME.matcher(s).matches() ? s : null);
    }

    /** A JSON object such as {@code {"Temperature":0.0}}. */
    static SettingType<Map<String, Object>> json() {
        return new SettingType<>("java.lang.String", "a JSON object such as {\"Temperature\":0.0}", s -> {
            try {
                return JSON.readValue(s, new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (JsonProcessingException e) {
                return null;
            }
        }, v -> JSON.valueToTree(v).toString(), List.of(), null);
    }

    /** {@code <hub host name>=<weight ≥ 0>}. */
    static SettingType<Map.Entry<String, Double>> weight() {
        return new SettingType<>("java.lang.String", "<hub host name>=<weight ≥ 0>, e.g. hub-a.azure-devices.net=2",
                s -> {
                    int eq = s.indexOf('=');
                    String host = s.substring(0, Math.max(eq, 0)).trim();
                    double weight = Double.parseDouble(s.substring(eq + 1).trim());
                    return HOST_NAME.matcher(host).matches() && weight >= 0 && !Double.isInfinite(weight)
                            ? Map.entry(host, weight) : null;
                }, e -> e.getKey() + "=" + e.getValue(), List.of(), null);
    }

    /** A list of values of {@code element}: comma-separated, or (Spring) a YAML list or indexed properties. */
    static <E> SettingType<List<E>> list(SettingType<E> element) {
        return new SettingType<>("java.util.List<java.lang.String>", "a comma-separated list; each entry "
                + element.expected, s -> List.of(element.parse(s)),
                l -> String.join(",", l.stream().map(element::format).toList()), List.of(), element);
    }

    /** Named groups of settings keyed by an id, e.g. {@code enrollment-groups[my-group].default-model} (Spring). */
    static SettingType<Map<String, Map<String, String>>> keyed(String... members) {
        return new SettingType<>("java.util.Map<java.lang.String,java.lang.String>", "entries keyed by id with "
                + String.join(", ", members), s -> null, Object::toString, List.of(members), null);
    }

    /** Whether the value is keyed groups; {@link #values()} are then the members of each group. */
    public boolean isKeyed() {
        return javaType.startsWith("java.util.Map");
    }
}
