package io.dpstwin.core.config;

import io.dpstwin.core.support.Redaction;
import io.dpstwin.core.support.Text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The values of every {@link DpsTwinSettings declared setting} a host reads from its {@link SettingsSource}, parsed
 * by the setting's type. Every problem is collected (never replaced by a default) and {@link #throwIfProblems()}
 * reports all of them at once. Values of secret settings never appear in a message; others are redacted and cut.
 */
public final class SettingValues {

    private static final int MAX_SHOWN = 80;

    private final SettingsSource source;
    private final Map<Setting<?>, Object> given = new HashMap<>();
    private final Set<Setting<?>> failed = new HashSet<>();
    private final List<SettingsException.Problem> problems = new ArrayList<>();

    private SettingValues(SettingsSource source) {
        this.source = source;
    }

    /** Reads and checks every setting the host serves ({@link Setting.Host#SPRING} reads all of them). */
    public static SettingValues read(SettingsSource source, Setting.Host host) {
        SettingValues values = new SettingValues(source);
        for (Setting<?> setting : DpsTwinSettings.all()) {
            if (host == Setting.Host.SPRING || setting.host() == Setting.Host.BOTH) {
                try {
                    values.read(setting);
                } catch (IllegalArgumentException e) {
                    values.problem(setting, e.getMessage());
                }
            }
        }
        return values;
    }

    private <T> void read(Setting<T> setting) {
        SettingType<T> type = setting.type();
        String name = setting.name();
        Object value;
        if (type.isKeyed()) {
            Map<String, Map<String, String>> groups = new LinkedHashMap<>();
            for (String key : source.keys(name)) {
                String group = name + "[" + key + "]";
                source.keys(group).stream().filter(m -> !type.values().contains(m)).forEach(m ->
                        problem(setting, "has an unknown entry [" + key + "]." + m + ": expected " + type.expected()));
                Map<String, String> members = new LinkedHashMap<>();
                type.values().forEach(m -> Optional.of(source.list(group + "." + m)).filter(l -> !l.isEmpty())
                        .ifPresent(items -> members.put(m, String.join(",", items))));
                groups.put(key, members);
            }
            value = groups.isEmpty() ? null : groups;
        } else if (type.isList()) {
            List<?> items = source.list(name).stream()
                    .map(item -> parse(setting, type.element(), item, " (one entry of the list)")).toList();
            value = items.isEmpty() ? null : items;
        } else {
            value = source.value(name).filter(text -> !text.isBlank()).map(text -> parse(setting, type, text, ""))
                    .orElse(null);
        }
        if (value != null) {
            given.put(setting, value);
        }
    }

    private static Object parse(Setting<?> setting, SettingType<?> type, String text, String where) {
        try {
            return type.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is invalid: " + e.getMessage() + ", got " + shown(setting, text.trim())
                    + where);
        }
    }

    /** The value given, else the default (may be {@code null}). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return given.containsKey(setting) ? (T) given.get(setting) : setting.defaultValue();
    }

    /** Whether the source gave a valid value. */
    public boolean isGiven(Setting<?> setting) {
        return given.containsKey(setting);
    }

    /** Whether a problem was already reported for the setting. */
    public boolean failed(Setting<?> setting) {
        return failed.contains(setting);
    }

    /** The name the user gave the setting. */
    public String nameOf(Setting<?> setting) {
        return source.nameOf(setting.name());
    }

    /** Records a problem: {@code message} follows the setting's name, e.g. "is missing: set it to ...". */
    public void problem(Setting<?> setting, String message) {
        failed.add(setting);
        String name = nameOf(setting);
        problems.add(new SettingsException.Problem(name, name + " " + message));
    }

    /**
     * Runs a core builder step and reports its {@link IllegalArgumentException} against {@code setting}.
     *
     * @return the step's result, or {@code null} when it failed
     */
    public <R> R check(Setting<?> setting, Supplier<R> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            if (!failed(setting)) {
                problem(setting, "is invalid: " + Redaction.redactText(String.valueOf(e.getMessage())));
            }
            return null;
        }
    }

    /** @throws SettingsException naming every problem found */
    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }

    /** How a wrong value may appear in a message: never for a secret, else redacted and {@link Text#printable}. */
    static String shown(Setting<?> setting, String value) {
        return setting.isSecret() || Redaction.isSensitiveKey(setting.name()) ? "(value not shown)"
                : "'" + Text.printable(Redaction.redactText(value), MAX_SHOWN) + "'";
    }
}
