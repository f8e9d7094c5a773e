package io.dpstwin.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One option of dps-twin, declared once in {@link DpsTwinSettings}: its name, type (with bounds), default and
 * description. Spring binds it by {@link #name()}, a Functions app reads it as {@link #environmentName()} (Spring's
 * relaxed form of the same name), and the docs table and the Spring metadata are generated from it. Immutable.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {

    /** Where a setting is read. */
    public enum Host {
        /** Spring and Functions. */
        BOTH,
        /** Only the Spring starter (webhooks, Event Hubs processor, actuator). */
        SPRING
    }

    private final String name;
    private final SettingType<T> type;
    private final T defaultValue;
    private final String description;
    private final Host host;
    private final boolean secret;
    private final List<String> aliases;
    private final String defaultText;

    private Setting(String name, SettingType<T> type, T defaultValue, String description, Host host, boolean secret,
                    List<String> aliases, String defaultText) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.host = host;
        this.secret = secret;
        this.aliases = List.copyOf(aliases);
        this.defaultText = defaultText;
    }

    static <T> Setting<T> of(String name, SettingType<T> type, T defaultValue, String description) {
        return new Setting<>(name, type, defaultValue, description, Host.BOTH, false, List.of(), null);
    }

    Setting<T> springOnly() {
        return new Setting<>(name, type, defaultValue, description, Host.SPRING, secret, aliases, defaultText);
    }

    Setting<T> secret() {
        return new Setting<>(name, type, defaultValue, description, host, true, aliases, defaultText);
    }

    /** Another name a Functions app may use for this setting, e.g. the reference sample's {@code ADT_SERVICE_URL}. */
    Setting<T> alias(String alias) {
        return new Setting<>(name, type, defaultValue, description, host, secret,
                Stream.concat(aliases.stream(), Stream.of(alias)).toList(), defaultText);
    }

    /** What the docs say instead of the default value, e.g. "the allocation's default model". */
    Setting<T> defaultText(String text) {
        return new Setting<>(name, type, defaultValue, description, host, secret, aliases, text);
    }

    /** The Spring property name, e.g. {@code dps-twin.allocation.default-model}. */
    public String name() {
        return name;
    }

    /** The environment variable, Spring's relaxed form: {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}. */
    public String environmentName() {
        return name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Spring's other accepted environment form: {@code DPS_TWIN_ALLOCATION_DEFAULT_MODEL}. */
    public String legacyEnvironmentName() {
        return name.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public SettingType<T> type() {
        return type;
    }

    /** The value when the setting is not given; {@code null} for none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as a user writes it, or the declared text when the default is not a plain value. */
    public String defaultShown() {
        return defaultText != null ? defaultText : defaultValue == null ? "" : type.format(defaultValue);
    }

    /** Whether the docs show {@link #defaultShown()} as text rather than as a value. */
    public boolean defaultIsText() {
        return defaultText != null;
    }

    public String description() {
        return description;
    }

    public Host host() {
        return host;
    }

    /** Whether the value is a secret: never logged, never quoted in an error. */
    public boolean isSecret() {
        return secret;
    }

    /** Other names a Functions app may use (the reference sample's), not deprecated. */
    public List<String> aliases() {
        return aliases;
    }

    @Override
    public String toString() {
        return name;
    }
}
