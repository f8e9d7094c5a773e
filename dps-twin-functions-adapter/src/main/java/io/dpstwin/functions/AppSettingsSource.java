package io.dpstwin.functions;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingsException;
import io.dpstwin.core.config.SettingsSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.dpstwin.core.config.DpsTwinSettings.*;

/**
 * A Functions app's settings by the names Spring binds from the environment: {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}
 * (or {@code DPS_TWIN_ALLOCATION_DEFAULT_MODEL}) is {@code dps-twin.allocation.default-model}. The reference
 * sample's names ({@code ADT_SERVICE_URL}) are aliases. The names of dps-twin 0.x ({@code DPSTWIN_DEFAULT_MODEL}) are
 * no longer read: {@link #renamedInUse()} names each one set with the name that replaced it.
 */
final class AppSettingsSource implements SettingsSource {

    /** Each name of dps-twin 0.x, without its {@code DPSTWIN_} prefix, with the settings that replaced it. */
    private static final Map<String, List<Setting<?>>> RENAMED = renamed(
            "CREDENTIAL", CREDENTIAL_KIND,
            "DEFAULT_MODEL", DEFAULT_MODEL,
            "TWIN_ID_PREFIX", TWIN_ID_PREFIX,
            "ALLOWED_MODELS", ALLOWED_MODELS,
            "HUB_SELECTION", HUB_POLICY,
            "HUB_STICKY", HUB_STICKY,
            "HUB_WEIGHTS", HUB_WEIGHTS,
            "MODEL_MISMATCH", MODEL_MISMATCH,
            "PLACEMENT_PAYLOAD_FIELD", PLACEMENT_FIELD,
            "PLACEMENT_PAYLOAD_FIELD", PLACEMENT_ENABLED,
            "PLACEMENT_RELATIONSHIP", PLACEMENT_RELATIONSHIP,
            "PLACEMENT_MISSING_PARENT", PLACEMENT_MISSING_PARENT,
            "PAYLOAD_TWIN_ID", RETURN_TWIN_ID,
            "MERGE_ENROLLMENT_INITIAL_TWIN", MERGE_ENROLLMENT_INITIAL_TWIN,
            "ACCEPT_UPPERCASE_REGISTRATION_IDS", ACCEPT_UPPERCASE_IDS,
            "SERVED_HUBS", SERVED_HUBS,
            "RETIREMENT_POLICY", RETIREMENT_POLICY,
            "CREATE_DEVICE_IDENTITY", CREATE_DEVICE_IDENTITY,
            "PARALLELISM", LIFECYCLE_PARALLELISM,
            "EVENT_BUDGET", EVENT_BUDGET,
            "MAX_ATTEMPTS", LIFECYCLE_MAX_ATTEMPTS,
            "REGISTRY_GUARD_HUBS", GUARD_HOSTS,
            "REGISTRY_GUARD_CONNECTION_STRINGS", GUARD_CONNECTION_STRINGS,
            "RECONCILE_HUBS", RECONCILE_HOSTS,
            "RECONCILE_CONNECTION_STRINGS", RECONCILE_CONNECTION_STRINGS,
            "RECONCILE_DEVICE_MODELS", RECONCILE_DEVICE_MODELS,
            "RECONCILE_GRACE_PERIOD", GRACE_PERIOD,
            "RECONCILE_MAX_RETIREMENTS", MAX_RETIREMENTS,
            "RECONCILE_MAX_RETIREMENT_SHARE", MAX_RETIREMENT_SHARE,
            "RECONCILE_QUERIES_PER_MINUTE", QUERIES_PER_MINUTE,
            "RECONCILE_REGISTRY_READS_PER_MINUTE", REGISTRY_READS_PER_MINUTE,
            "RATE_LIMITS_ENABLED", RATE_LIMITS_ENABLED,
            "RATE_LIMIT_CREATE_DELETES_PER_SECOND", CREATE_DELETES,
            "RATE_LIMIT_PER_TWIN_WRITES_PER_SECOND", PER_TWIN_WRITES,
            "RATE_LIMIT_PATCHES_PER_SECOND", PATCHES,
            "RATE_LIMIT_READS_PER_SECOND", READS,
            "RATE_LIMIT_QUERIES_PER_SECOND", QUERIES,
            "EVENTHUB_NAME", EH_NAME,
            "RECONCILE_SCHEDULE", SCHEDULE_CRON);

    private final Map<String, String> settings;
    private final Map<String, String> used = new LinkedHashMap<>();

    AppSettingsSource(Map<String, String> settings) {
        this.settings = settings;
    }

    /** Pairs of a 0.x name and a setting that replaced it, in the order of the migration guide. */
    private static Map<String, List<Setting<?>>> renamed(Object... pairs) {
        Map<String, List<Setting<?>>> renamed = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Setting<?> setting = (Setting<?>) pairs[i + 1];
            renamed.merge("DPSTWIN_" + pairs[i], List.of(setting), (a, b) -> Stream.concat(a.stream(), b.stream())
                    .toList());
        }
        return renamed;
    }

    @Override
    public Optional<String> value(String name) {
        Setting<?> setting = DpsTwinSettings.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a setting: " + name));
        return Stream.concat(Stream.of(setting.environmentName(), setting.legacyEnvironmentName(), name),
                setting.aliases().stream()).filter(this::isSet).findFirst().map(candidate -> {
                    used.put(name, candidate);
                    return settings.get(candidate);
                });
    }

    private boolean isSet(String name) {
        String value = settings.get(name);
        return value != null && !value.isBlank();
    }

    @Override
    public String nameOf(String name) {
        return used.computeIfAbsent(name, n -> DpsTwinSettings.all().stream().filter(s -> s.name().equals(n))
                .map(s -> s.aliases().isEmpty() ? s.environmentName() : s.aliases().get(0)).findFirst().orElse(n));
    }

    /** Every name of 0.x, with the environment names that replace it. */
    static Map<String, List<String>> renamed() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        RENAMED.forEach((old, replaced) -> names.put(old, replaced.stream().map(Setting::environmentName).toList()));
        return names;
    }

    /** A problem for each 0.x name this app sets, naming what to set instead. */
    List<SettingsException.Problem> renamedInUse() {
        return RENAMED.entrySet().stream().filter(e -> isSet(e.getKey())).map(e -> new SettingsException.Problem(
                e.getKey(), e.getKey() + " is a dps-twin 0.x name and no longer read: set " + String.join(" and ",
                        e.getValue().stream().map(s -> s.environmentName() + (s.type().javaType().endsWith("Duration")
                                ? " (with a unit, e.g. 20s: a bare number was seconds)" : "")).toList())
                        + " instead (docs/migration-from-the-reference-sample.md#renamed-settings)")).toList();
    }

    /** {@code DPSTWIN_*} and {@code DPS_TWIN_*} names that no setting a Functions app reads has (likely typos). */
    Set<String> unknown() {
        Set<String> known = Stream.concat(DpsTwinSettings.all().stream()
                        .filter(s -> s.host() == Setting.Host.BOTH)
                        .flatMap(s -> Stream.of(s.environmentName(), s.legacyEnvironmentName())),
                RENAMED.keySet().stream()).collect(Collectors.toSet());
        return settings.keySet().stream().filter(n -> n.startsWith("DPSTWIN_") || n.startsWith("DPS_TWIN_"))
                .filter(n -> !known.contains(n)).collect(Collectors.toCollection(TreeSet::new));
    }
}
