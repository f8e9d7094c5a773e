package io.dpstwin.docs.configuration;

import io.dpstwin.docs.check.FunctionsSettingNames;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.docs.check.SpringMetadata;
import io.dpstwin.functions.FunctionsSettings;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.util.unit.DataSize;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the {@link OptionCatalog} against the code and renders the reference tables of {@code docs/configuration.md}
 * from it. The checks return problems as sentences instead of failing, so that tests can hand them a doctored
 * catalog and see that each kind of drift is caught.
 */
public final class ConfigurationReference {

    /** Where the generated tables go in {@code docs/configuration.md}. */
    public static final String BEGIN = "<!-- BEGIN GENERATED options -->";
    public static final String END = "<!-- END GENERATED options -->";

    /** The prefixes of the Spring properties the catalog must cover. */
    public static final List<String> SPRING_PREFIXES = List.of("dps-twin.", "management.health.dps-twin.",
            "management.endpoint.dpstwinreconcile.");

    /** The value of a Functions app with only the required setting, from which the defaults are read. */
    public static final String ADT_URL = "https://x.api.weu.digitaltwins.azure.net";

    /** Unset, absent, empty: what "no default" looks like on every side. */
    private static final String UNSET = "(none)";

    private ConfigurationReference() {
    }

    /** The Spring properties of dps-twin in the metadata, by name. */
    public static Map<String, SpringMetadata.Property> springProperties(SpringMetadata metadata) {
        Map<String, SpringMetadata.Property> ours = new LinkedHashMap<>();
        metadata.properties().forEach((name, property) -> {
            if (SPRING_PREFIXES.stream().anyMatch(name::startsWith)) {
                ours.put(name, property);
            }
        });
        return ours;
    }

    /** The app settings {@link FunctionsSettings} names ({@link FunctionsSettingNames}). */
    public static Set<String> functionsSettings() {
        return FunctionsSettingNames.all();
    }

    /** The settings of a Functions app that sets nothing but the required ADT URL. */
    public static FunctionsSettings functionsDefaults() {
        return FunctionsSettings.from(Map.of(FunctionsSettings.ADT_SERVICE_URL, ADT_URL));
    }

    // ---------------------------------------------------------------- coverage

    /**
     * What is wrong with the catalog's names: a property or setting missing or listed twice, a name the code does not
     * have, a core method that does not exist, an option without a name or a meaning.
     */
    public static List<String> coverageProblems(List<OptionCatalog.Section> catalog,
                                                Map<String, SpringMetadata.Property> properties,
                                                Set<String> settings) {
        List<String> problems = new ArrayList<>();
        List<Option> options = catalog.stream().flatMap(s -> s.options().stream()).toList();
        Map<String, Long> springCounts = options.stream().map(Option::springProperty).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(n -> n, LinkedHashMap::new, Collectors.counting()));
        Map<String, Long> functionsCounts = options.stream().map(Option::functionsSetting).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(n -> n, LinkedHashMap::new, Collectors.counting()));
        for (String property : properties.keySet()) {
            if (!springCounts.containsKey(property)) {
                problems.add("Spring property " + property + " is missing from the catalog");
            }
        }
        for (String setting : settings) {
            if (!functionsCounts.containsKey(setting)) {
                problems.add("Functions setting " + setting + " is missing from the catalog");
            }
        }
        springCounts.forEach((property, count) -> {
            if (!properties.containsKey(property)) {
                problems.add("the catalog names Spring property " + property + ", which the metadata does not have");
            }
            if (count > 1) {
                problems.add("Spring property " + property + " is listed " + count + " times");
            }
        });
        functionsCounts.forEach((setting, count) -> {
            if (!settings.contains(setting)) {
                problems.add("the catalog names Functions setting " + setting + ", which FunctionsSettings does "
                        + "not have");
            }
            if (count > 1) {
                problems.add("Functions setting " + setting + " is listed " + count + " times");
            }
        });
        for (Option option : options) {
            if (option.springProperty() == null && option.functionsSetting() == null) {
                problems.add("an option has neither a Spring property nor a Functions setting");
            }
            if (option.springProperty() == null && (option.meaning() == null || option.meaning().isBlank())) {
                problems.add(option.name() + " has no Spring property, so it needs a meaning of its own");
            }
            for (Option.JavaMethod method : option.java()) {
                if (!hasPublicMethod(method.type(), method.method())) {
                    problems.add(option.name() + " names " + method + ", which does not exist");
                }
            }
        }
        return problems;
    }

    private static boolean hasPublicMethod(Class<?> type, String name) {
        return Stream.concat(Arrays.stream(type.getMethods()), Arrays.stream(type.getDeclaredMethods()))
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)
                .anyMatch(name::equals);
    }

    // ---------------------------------------------------------------- defaults

    /**
     * Where defaults disagree: a Spring default and the value a Functions app uses (unless the option declares the
     * difference), either of them and core's default, or a declared difference that is not one.
     */
    public static List<String> defaultProblems(List<OptionCatalog.Section> catalog,
                                               Map<String, SpringMetadata.Property> properties,
                                               FunctionsSettings functions) {
        List<String> problems = new ArrayList<>();
        for (OptionCatalog.Section section : catalog) {
            for (Option option : section.options()) {
                SpringMetadata.Property property = option.springProperty() == null ? null
                        : properties.get(option.springProperty());
                Object spring = property == null ? null : springDefault(property);
                Object function = option.functionsDefault() == null ? null
                        : canonical(option.functionsDefault().apply(functions));
                Object core = option.coreDefault() == null ? null : canonical(option.coreDefault().get());
                String functionsName = option.functionsSetting() != null ? option.functionsSetting()
                        : "a Functions app";
                if (spring != null && function != null) {
                    boolean same = same(spring, function);
                    if (!same && option.difference() == null) {
                        problems.add(option.springProperty() + " defaults to " + spring + " but " + functionsName
                                + " to " + function);
                    } else if (same && option.difference() != null) {
                        problems.add(option.name() + " declares a difference between the hosts' defaults, but both "
                                + "are " + spring);
                    }
                }
                if (spring != null && core != null && !same(spring, core)) {
                    problems.add(option.springProperty() + " defaults to " + spring + " but core to " + core);
                }
                if (function != null && core != null && !same(function, core)) {
                    problems.add(functionsName + " (" + option.name() + ") defaults to " + function + " but core to "
                            + core);
                }
            }
        }
        return problems;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    /** A metadata default as a value comparable with {@link #canonical}; {@link #UNSET} when there is none. */
    static Object springDefault(SpringMetadata.Property property) {
        Optional<String> text = property.defaultValue();
        if (text.isEmpty()) {
            return UNSET;
        }
        String value = text.get();
        return switch (property.type()) {
            case "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float",
                    "int", "long", "double" -> new BigDecimal(value);
            case "java.lang.Boolean", "boolean" -> Boolean.valueOf(value);
            case "java.time.Duration" -> ApplicationConversionService.getSharedInstance().convert(value,
                    Duration.class);
            case "org.springframework.util.unit.DataSize" -> BigDecimal.valueOf(DataSize.parse(value).toBytes());
            default -> value;
        };
    }

    /** Any default read from the code, in the form {@link #springDefault} gives: enums as Spring spells them. */
    static Object canonical(Object value) {
        if (value == null) {
            return UNSET;
        }
        if (value instanceof Optional<?> optional) {
            return optional.isEmpty() ? UNSET : canonical(optional.get());
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty() ? UNSET : collection.stream().map(ConfigurationReference::canonical).toList();
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? UNSET : map;
        }
        if (value instanceof Enum<?> constant) {
            return springName(constant);
        }
        if (value == RetirementPolicy.DELETE) {
            return "delete";
        }
        if (value == RetirementPolicy.DETACH) {
            return "detach";
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        return value;
    }

    /** {@code CONSISTENT_HASH} → {@code consistent-hash}. */
    static String springName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---------------------------------------------------------------- Markdown

    /** The generated part of {@code docs/configuration.md}, between {@link #BEGIN} and {@link #END}. */
    public static String markdown(List<OptionCatalog.Section> catalog,
                                  Map<String, SpringMetadata.Property> properties, FunctionsSettings functions) {
        StringBuilder out = new StringBuilder();
        for (OptionCatalog.Section section : catalog) {
            out.append("\n### ").append(section.title()).append("\n\n");
            out.append(section.intro()).append("\n\n");
            out.append("| Spring property | Functions setting | Java (core) | Default | Meaning |\n");
            out.append("|---|---|---|---|---|\n");
            for (Option option : section.options()) {
                SpringMetadata.Property property = option.springProperty() == null ? null
                        : properties.get(option.springProperty());
                Object functionsDefault = option.functionsDefault() == null ? null
                        : option.functionsDefault().apply(functions);
                out.append("| ").append(code(option.springProperty()))
                        .append(" | ").append(code(option.functionsSetting()))
                        .append(" | ").append(option.java().isEmpty() ? "—" : option.java().stream()
                                .map(m -> "`" + m + "`").collect(Collectors.joining("<br>")))
                        .append(" | ").append(defaultCell(option, property, functionsDefault))
                        .append(" | ").append(meaningCell(option, property, functionsDefault))
                        .append(" |\n");
            }
        }
        return out.append('\n').toString();
    }

    private static String code(String name) {
        return name == null ? "—" : "`" + name + "`";
    }

    private static String defaultCell(Option option, SpringMetadata.Property property, Object functionsDefault) {
        if (property == null) {
            if (option.defaultText() != null) {
                return option.defaultText();
            }
            return functionsDefault == null ? "none" : shownFunctionsValue(functionsDefault);
        }
        String cell = property.defaultValue().map(v -> v.isEmpty() ? "empty" : "`" + v + "`")
                .orElse(option.defaultText() != null ? option.defaultText() : "none");
        if (option.functionsSetting() != null && option.difference() == null
                && functionsDefault instanceof Duration duration) {
            cell += " (Functions: " + shownFunctionsValue(duration) + ")";
        }
        return cell;
    }

    /** A value as a Functions app setting spells it: durations in seconds, enums in lower case. */
    private static String shownFunctionsValue(Object value) {
        Object canonical = canonical(value);
        if (UNSET.equals(canonical)) {
            return "none";
        }
        if (canonical instanceof Duration duration) {
            return duration.toNanosPart() == 0 ? "`" + duration.getSeconds() + "`" : "`" + duration + "`";
        }
        return "`" + canonical + "`";
    }

    private static String meaningCell(Option option, SpringMetadata.Property property, Object functionsDefault) {
        List<String> sentences = new ArrayList<>();
        if (property != null) {
            sentences.add(escape(property.description()));
            List<String> values = enumValues(property.type());
            if (!values.isEmpty() && !values.stream().allMatch(property.description()::contains)) {
                sentences.add("Values: " + quoted(values) + ".");
            }
            if (functionsDefault instanceof Enum<?> constant) {
                List<String> functionsValues = Arrays.stream(constant.getDeclaringClass().getEnumConstants())
                        .map(ConfigurationReference::springName).toList();
                if (!functionsValues.equals(values)) {
                    sentences.add("Functions values: " + quoted(functionsValues) + ".");
                }
            }
        } else {
            sentences.add(option.meaning());
            if (functionsDefault instanceof Enum<?> constant) {
                sentences.add("Values: " + quoted(Arrays.stream(constant.getDeclaringClass().getEnumConstants())
                        .map(ConfigurationReference::springName).toList()) + ".");
            }
        }
        if (option.note() != null) {
            sentences.add(option.note());
        }
        if (option.difference() != null) {
            sentences.add(option.difference());
        }
        return String.join(" ", sentences);
    }

    private static List<String> enumValues(String type) {
        try {
            Class<?> candidate = Class.forName(type, false, ConfigurationReference.class.getClassLoader());
            if (candidate.isEnum()) {
                return Arrays.stream(candidate.getEnumConstants()).map(c -> springName((Enum<?>) c)).toList();
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // not a class (a generic type such as java.util.List<java.lang.String>): no values to list
        }
        return List.of();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    }

    /** Javadoc text in a table cell: no pipe may end the cell, no angle bracket may open a tag. */
    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code markdown} with its generated region replaced by {@code generated}; fails without both markers. */
    public static String withRegion(String markdown, String generated) {
        int begin = markdown.indexOf(BEGIN);
        int end = markdown.indexOf(END);
        if (begin < 0 || end < begin || markdown.indexOf(BEGIN, begin + 1) >= 0) {
            throw new IllegalArgumentException("docs/configuration.md needs one " + BEGIN + " followed by one " + END);
        }
        return markdown.substring(0, begin + BEGIN.length()) + "\n" + generated + markdown.substring(end);
    }
}
