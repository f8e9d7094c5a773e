package io.dpstwin.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One option of dps-twin, declared once in {@link DpsTwinSettings}: its name, type (with bounds), default and
 * description. Spring binds it by {@link #name()}, a Functions app reads it as {@link #environmentName()} (Spring's
 * relaxed form of the same name), and the docs table and the Spring metadata are generated from it.
 *
 * @param name         the Spring property name, e.g. {@code dps-twin.allocation.default-model}
 * @param type         how its text becomes its value
 * @param defaultValue the value when it is not given; {@code null} for none
 * @param description  what it does, shown in the docs and by IDEs
 * @param host         where it is read
 * @param isSecret     whether the value is a secret: never logged, never quoted in an error
 * @param aliases      other names a Functions app may use (the reference sample's), not deprecated
 * @param formerNames  the Functions app settings of dps-twin 0.x that this setting replaced, refused now
 * @param defaultText  what the docs say instead of the default value, e.g. "the default model"; {@code null} for none
 * @param <T>          the type of the value
 */
public record Setting<T>(String name, SettingType<T> type, T defaultValue, String description, Host host,
                         boolean isSecret, List<String> aliases, List<String> formerNames,
                         String defaultText) {

    /** Where a setting is read. */
    public enum Host {
        /** Spring and Functions. */
        BOTH,
        /** Only the Spring starter (webhooks, Event Hubs processor, actuator). */
        SPRING
    }

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        aliases = List.copyOf(aliases);
        formerNames = List.copyOf(formerNames);
    }

    static <T> Setting<T> of(String name, SettingType<T> type, T defaultValue, String description) {
        return new Setting<>(name, type, defaultValue, description, Host.BOTH, false, List.of(), List.of(), null);
    }

    Setting<T> springOnly() {
        return new Setting<>(name, type, defaultValue, description, Host.SPRING, isSecret, aliases, formerNames,
                defaultText);
    }

    Setting<T> secret() {
        return new Setting<>(name, type, defaultValue, description, host, true, aliases, formerNames, defaultText);
    }

    Setting<T> alias(String... names) {
        return new Setting<>(name, type, defaultValue, description, host, isSecret, List.of(names), formerNames,
                defaultText);
    }

    Setting<T> renamedFrom(String... names) {
        return new Setting<>(name, type, defaultValue, description, host, isSecret, aliases, List.of(names),
                defaultText);
    }

    Setting<T> defaultText(String text) {
        return new Setting<>(name, type, defaultValue, description, host, isSecret, aliases, formerNames, text);
    }

    /** The environment variable, Spring's relaxed form: {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}. */
    public String environmentName() {
        return name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Spring's other accepted environment form: {@code DPS_TWIN_ALLOCATION_DEFAULT_MODEL}. */
    public String legacyEnvironmentName() {
        return name.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The default as a user writes it, or the declared text when the default is not a plain value. */
    public String defaultShown() {
        return defaultText != null ? defaultText : defaultValue == null ? "" : type.format(defaultValue);
    }

    @Override
    public String toString() {
        return name;
    }
}
