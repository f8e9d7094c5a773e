package io.dpstwin.functions;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.core.config.SettingsException;
import io.dpstwin.core.config.SettingsSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dps-twin settings of an Azure Functions app, read from its app settings (environment variables) by the names
 * Spring reads from the environment: {@code DPSTWIN_ALLOCATION_DEFAULTMODEL} is
 * {@code dps-twin.allocation.default-model} (the table: {@code docs/configuration.md}). The reference sample's
 * {@value #ADT_SERVICE_URL} and {@value #EVENTHUB_CONNECTIONSTRING} keep working; the {@code DPSTWIN_*} names of 0.x
 * are refused, each with the name that replaced it ({@link #renamedSettings()}).
 *
 * <p>{@link #from(Map)} reads and checks all settings at once and throws a {@link FunctionsSettingsException} naming
 * every missing, invalid or renamed one. Secrets are never quoted, here or in {@link #toString()}. Immutable.
 */
public final class FunctionsSettings {

    /** The ADT instance URL (the reference sample's name for {@code DPSTWIN_DIGITALTWINS_ENDPOINT}). */
    public static final String ADT_SERVICE_URL = "ADT_SERVICE_URL";
    /** The Event Hubs connection of the lifecycle trigger, read by the host's binding (the reference name). */
    public static final String EVENTHUB_CONNECTIONSTRING = "EVENTHUB_CONNECTIONSTRING";

    /** Each name of dps-twin 0.x, with the settings that replaced it, in the order of the declarations. */
    private static final Map<String, List<Setting<?>>> RENAMED = DpsTwinSettings.all().stream()
            .flatMap(s -> s.formerNames().stream().map(old -> Map.entry(old, s))).collect(Collectors.groupingBy(
                    Map.Entry::getKey, LinkedHashMap::new, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));

    private final CoreOptions options;
    private final Set<String> unknownSettings;

    private FunctionsSettings(CoreOptions options, Set<String> unknown) {
        this.options = options;
        this.unknownSettings = Set.copyOf(unknown);
    }

    /**
     * Reads the settings from a map of app settings; blank values count as unset.
     *
     * @throws FunctionsSettingsException naming every missing or invalid setting, and every 0.x name with its new one
     */
    public static FunctionsSettings from(Map<String, String> settings) {
        AppSettings source = new AppSettings(Objects.requireNonNull(settings, "settings"));
        SettingValues values = SettingValues.read(source, Setting.Host.BOTH);
        if (!values.isGiven(DpsTwinSettings.ADT_ENDPOINT) && !values.failed(DpsTwinSettings.ADT_ENDPOINT)) {
            values.problem(DpsTwinSettings.ADT_ENDPOINT, "is missing: set it (or " + DpsTwinSettings.ADT_ENDPOINT
                    .environmentName() + ") to the URL of the Azure Digital Twins instance, e.g. "
                    + "https://my-instance.api.weu.digitaltwins.azure.net");
        }
        List<SettingsException.Problem> problems = new ArrayList<>(source.renamedInUse());
        try {
            CoreOptions options = CoreOptions.from(values);
            if (problems.isEmpty()) {
                return new FunctionsSettings(options, source.unknown());
            }
        } catch (SettingsException e) {
            problems.addAll(e.problems());
        }
        throw new FunctionsSettingsException(problems);
    }

    /** Core's options these settings describe. */
    public CoreOptions options() {
        return options;
    }

    /** The value of a setting, or its default. */
    public <T> T get(Setting<T> setting) {
        return options.values().get(setting);
    }

    /** {@code DPSTWIN_*} names no Functions setting has (typos, or Spring-only settings); logged as a warning. */
    public Set<String> unknownSettings() {
        return unknownSettings;
    }

    /** Every name of dps-twin 0.x, refused now, with the names that replace it (bare durations were seconds). */
    public static Map<String, List<String>> renamedSettings() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        RENAMED.forEach((old, replaced) -> names.put(old, replaced.stream().map(Setting::environmentName).toList()));
        return names;
    }

    /** The settings as given (secrets counted, never shown). */
    @Override
    public String toString() {
        return DpsTwinSettings.all().stream().filter(options.values()::isGiven).map(s -> s.environmentName() + "="
                + (s.isSecret() ? "(set, not shown)" : shown(s)))
                .collect(Collectors.joining(", ", "FunctionsSettings[", "]"));
    }

    private <T> String shown(Setting<T> setting) {
        return setting.type().format(get(setting));
    }

    /**
     * The app settings by the names Spring binds from the environment ({@code DPS_TWIN_ALLOCATION_DEFAULT_MODEL} too),
     * then the aliases; the names of 0.x are not read, only found to be refused.
     */
    private static final class AppSettings implements SettingsSource {

        private static final Map<String, Setting<?>> BY_NAME = DpsTwinSettings.all().stream()
                .collect(Collectors.toMap(Setting::name, s -> s));

        private final Map<String, String> settings;
        private final Map<String, String> used = new HashMap<>();

        AppSettings(Map<String, String> settings) {
            this.settings = settings;
        }

        @Override
        public Optional<String> value(String name) {
            Setting<?> setting = BY_NAME.get(name);
            List<String> given = Stream.concat(Stream.of(setting.environmentName(), setting.legacyEnvironmentName(),
                    name), setting.aliases().stream()).filter(this::isSet).toList();
            given.stream().findFirst().ifPresent(first -> used.put(name, first));
            if (given.stream().map(n -> settings.get(n).trim()).distinct().count() > 1) {
                throw new IllegalArgumentException("is given twice with different values, also as " + given.get(1));
            }
            return given.stream().findFirst().map(settings::get);
        }

        private boolean isSet(String name) {
            String value = settings.get(name);
            return value != null && !value.isBlank();
        }

        @Override
        public String nameOf(String name) {
            Setting<?> setting = BY_NAME.get(name);
            return used.getOrDefault(name, setting.aliases().isEmpty() ? setting.environmentName()
                    : setting.aliases().get(0));
        }

        /** A problem for each 0.x name this app sets, naming what to set instead. */
        List<SettingsException.Problem> renamedInUse() {
            return RENAMED.entrySet().stream().filter(e -> isSet(e.getKey())).map(e -> {
                List<String> instead = e.getValue().stream().map(s -> s.environmentName()
                        + (s.defaultValue() instanceof Duration ? " (with a unit, e.g. 20s: a bare number was seconds)"
                        : "")).toList();
                return new SettingsException.Problem(e.getKey(), e.getKey() + " is a dps-twin 0.x name and no longer "
                        + "read: set " + String.join(" and ", instead) + " instead "
                        + "(docs/migration-from-the-reference-sample.md#renamed-settings)");
            }).toList();
        }

        /** {@code DPSTWIN_*} and {@code DPS_TWIN_*} names that no setting a Functions app reads has (likely typos). */
        Set<String> unknown() {
            return settings.keySet().stream().filter(n -> n.startsWith("DPSTWIN_") || n.startsWith("DPS_TWIN_"))
                    .filter(n -> !RENAMED.containsKey(n) && BY_NAME.values().stream().noneMatch(s -> s.host() ==
                            Setting.Host.BOTH && List.of(s.environmentName(), s.legacyEnvironmentName()).contains(n)))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
