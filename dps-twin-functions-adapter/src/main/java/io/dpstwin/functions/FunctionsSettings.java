package io.dpstwin.functions;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.core.config.SettingsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

    private final CoreOptions options;
    private final Set<String> unknownSettings;

    private FunctionsSettings(CoreOptions options, Set<String> unknown) {
        this.options = options;
        this.unknownSettings = Set.copyOf(unknown);
    }

    /** Reads the settings of this process (its environment variables, which carry the app settings). */
    public static FunctionsSettings fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the settings from a map of app settings; blank values count as unset.
     *
     * @throws FunctionsSettingsException naming every missing or invalid setting, and every 0.x name with its new one
     */
    public static FunctionsSettings from(Map<String, String> settings) {
        AppSettingsSource source = new AppSettingsSource(Objects.requireNonNull(settings, "settings"));
        SettingValues values = SettingValues.read(source, Setting.Host.BOTH);
        if (!values.isGiven(DpsTwinSettings.ADT_ENDPOINT) && !values.failed(DpsTwinSettings.ADT_ENDPOINT)) {
            values.problem(DpsTwinSettings.ADT_ENDPOINT, "is missing: set it (or "
                    + DpsTwinSettings.ADT_ENDPOINT.environmentName() + ") to the URL of the Azure Digital Twins instance, "
                    + "e.g. https://my-instance.api.weu.digitaltwins.azure.net");
        }
        List<SettingsException.Problem> problems = new ArrayList<>(source.renamedInUse());
        CoreOptions options = null;
        try {
            options = CoreOptions.from(values);
        } catch (SettingsException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new FunctionsSettingsException(problems);
        }
        return new FunctionsSettings(options, source.unknown());
    }

    /** Core's options these settings describe. */
    public CoreOptions options() {
        return options;
    }

    /** The value of a setting, or its default. */
    public <T> T get(Setting<T> setting) {
        return options.values().get(setting);
    }

    /** The ADT instance URL, without a trailing slash. */
    public String adtServiceUrl() {
        return get(DpsTwinSettings.ADT_ENDPOINT);
    }

    /** Whether the reconcile timer repairs drift (else it only reports it). */
    public boolean reconcileApply() {
        return get(DpsTwinSettings.RECONCILE_APPLY);
    }

    /** {@code DPSTWIN_*} names no Functions setting has (typos, or Spring-only settings); logged as a warning. */
    public Set<String> unknownSettings() {
        return unknownSettings;
    }

    /** Every name of dps-twin 0.x, refused now, with the names that replace it (bare durations were seconds). */
    public static Map<String, List<String>> renamedSettings() {
        return AppSettingsSource.renamed();
    }

    /** The settings as given (secrets counted, never shown). */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("FunctionsSettings[");
        for (Setting<?> setting : DpsTwinSettings.all()) {
            if (options.values().isGiven(setting)) {
                out.append(out.length() > 18 ? ", " : "").append(setting.environmentName()).append('=')
                        .append(setting.isSecret() ? "(set, not shown)" : shown(setting));
            }
        }
        return out.append(']').toString();
    }

    private <T> String shown(Setting<T> setting) {
        return setting.type().format(get(setting));
    }
}
