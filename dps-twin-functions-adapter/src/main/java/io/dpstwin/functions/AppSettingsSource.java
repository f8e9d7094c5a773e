package io.dpstwin.functions;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingsSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Functions app's settings by the names Spring binds from the environment: {@code DPSTWIN_ALLOCATION_DEFAULTMODEL}
 * (or {@code DPS_TWIN_ALLOCATION_DEFAULT_MODEL}) is {@code dps-twin.allocation.default-model}. The reference
 * sample's names ({@code ADT_SERVICE_URL}) are aliases; the names of dps-twin 0.x ({@code DPSTWIN_DEFAULT_MODEL})
 * still work, deprecated: {@link #deprecated()} maps each one used to its new name.
 */
final class AppSettingsSource implements SettingsSource {

    /** A 0.x name, the setting it meant, and how its value reads today (bare numbers were seconds). */
    private record Legacy(String name, Setting<?> setting, UnaryOperator<String> value) {
    }

    private static final UnaryOperator<String> SAME = v -> v;
    private static final UnaryOperator<String> SECONDS = v -> v.trim().matches("\\d+") ? v.trim() + "s" : v;
    private static final List<Legacy> LEGACY = Stream.of(
            legacy("CREDENTIAL", DpsTwinSettings.CREDENTIAL_KIND),
            legacy("DEFAULT_MODEL", DpsTwinSettings.DEFAULT_MODEL),
            legacy("TWIN_ID_PREFIX", DpsTwinSettings.TWIN_ID_PREFIX),
            legacy("ALLOWED_MODELS", DpsTwinSettings.ALLOWED_MODELS),
            new Legacy("DPSTWIN_HUB_SELECTION", DpsTwinSettings.HUB_POLICY,
                    v -> v.trim().equalsIgnoreCase("hashing") ? "consistent-hash" : v),
            legacy("HUB_STICKY", DpsTwinSettings.HUB_STICKY),
            legacy("HUB_WEIGHTS", DpsTwinSettings.HUB_WEIGHTS),
            legacy("MODEL_MISMATCH", DpsTwinSettings.MODEL_MISMATCH),
            legacy("PLACEMENT_PAYLOAD_FIELD", DpsTwinSettings.PLACEMENT_FIELD),
            new Legacy("DPSTWIN_PLACEMENT_PAYLOAD_FIELD", DpsTwinSettings.PLACEMENT_ENABLED, v -> "true"),
            legacy("PLACEMENT_RELATIONSHIP", DpsTwinSettings.PLACEMENT_RELATIONSHIP),
            legacy("PLACEMENT_MISSING_PARENT", DpsTwinSettings.PLACEMENT_MISSING_PARENT),
            legacy("PAYLOAD_TWIN_ID", DpsTwinSettings.RETURN_TWIN_ID),
            legacy("MERGE_ENROLLMENT_INITIAL_TWIN", DpsTwinSettings.MERGE_ENROLLMENT_INITIAL_TWIN),
            legacy("ACCEPT_UPPERCASE_REGISTRATION_IDS", DpsTwinSettings.ACCEPT_UPPERCASE_IDS),
            legacy("SERVED_HUBS", DpsTwinSettings.SERVED_HUBS),
            legacy("RETIREMENT_POLICY", DpsTwinSettings.RETIREMENT_POLICY),
            legacy("CREATE_DEVICE_IDENTITY", DpsTwinSettings.CREATE_DEVICE_IDENTITY),
            legacy("PARALLELISM", DpsTwinSettings.LIFECYCLE_PARALLELISM),
            new Legacy("DPSTWIN_EVENT_BUDGET", DpsTwinSettings.EVENT_BUDGET, SECONDS),
            legacy("MAX_ATTEMPTS", DpsTwinSettings.LIFECYCLE_MAX_ATTEMPTS),
            legacy("REGISTRY_GUARD_HUBS", DpsTwinSettings.GUARD_HOSTS),
            legacy("REGISTRY_GUARD_CONNECTION_STRINGS", DpsTwinSettings.GUARD_CONNECTION_STRINGS),
            legacy("RECONCILE_HUBS", DpsTwinSettings.RECONCILE_HOSTS),
            legacy("RECONCILE_CONNECTION_STRINGS", DpsTwinSettings.RECONCILE_CONNECTION_STRINGS),
            legacy("RECONCILE_DEVICE_MODELS", DpsTwinSettings.RECONCILE_DEVICE_MODELS),
            new Legacy("DPSTWIN_RECONCILE_GRACE_PERIOD", DpsTwinSettings.GRACE_PERIOD, SECONDS),
            legacy("RECONCILE_MAX_RETIREMENTS", DpsTwinSettings.MAX_RETIREMENTS),
            legacy("RECONCILE_MAX_RETIREMENT_SHARE", DpsTwinSettings.MAX_RETIREMENT_SHARE),
            legacy("RECONCILE_QUERIES_PER_MINUTE", DpsTwinSettings.QUERIES_PER_MINUTE),
            legacy("RECONCILE_REGISTRY_READS_PER_MINUTE", DpsTwinSettings.REGISTRY_READS_PER_MINUTE),
            legacy("RATE_LIMITS_ENABLED", DpsTwinSettings.RATE_LIMITS_ENABLED),
            legacy("RATE_LIMIT_CREATE_DELETES_PER_SECOND", DpsTwinSettings.CREATE_DELETES),
            legacy("RATE_LIMIT_PER_TWIN_WRITES_PER_SECOND", DpsTwinSettings.PER_TWIN_WRITES),
            legacy("RATE_LIMIT_PATCHES_PER_SECOND", DpsTwinSettings.PATCHES),
            legacy("RATE_LIMIT_READS_PER_SECOND", DpsTwinSettings.READS),
            legacy("RATE_LIMIT_QUERIES_PER_SECOND", DpsTwinSettings.QUERIES),
            legacy("EVENTHUB_NAME", DpsTwinSettings.EH_NAME),
            legacy("RECONCILE_SCHEDULE", DpsTwinSettings.SCHEDULE_CRON)).toList();

    private final Map<String, String> settings;
    private final Map<String, String> used = new LinkedHashMap<>();
    private final Map<String, String> deprecated = new LinkedHashMap<>();

    AppSettingsSource(Map<String, String> settings) {
        this.settings = settings;
    }

    private static Legacy legacy(String name, Setting<?> setting) {
        return new Legacy("DPSTWIN_" + name, setting, SAME);
    }

    @Override
    public Optional<String> value(String name) {
        Setting<?> setting = DpsTwinSettings.all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a setting: " + name));
        for (String candidate : Stream.concat(Stream.of(setting.environmentName(), setting.legacyEnvironmentName(),
                name), setting.aliases().stream()).toList()) {
            if (isSet(candidate)) {
                used.put(name, candidate);
                LEGACY.stream().filter(l -> l.setting() == setting && isSet(l.name())).forEach(l -> deprecated.merge(
                        l.name(), setting.environmentName() + " (ignored: " + candidate + " is set)", this::and));
                return Optional.of(settings.get(candidate));
            }
        }
        for (Legacy legacy : LEGACY) {
            if (legacy.setting() == setting && isSet(legacy.name())) {
                used.put(name, legacy.name());
                deprecated.merge(legacy.name(), setting.environmentName(), this::and);
                return Optional.of(legacy.value().apply(settings.get(legacy.name())));
            }
        }
        return Optional.empty();
    }

    private String and(String a, String b) {
        return a + " and " + b;
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

    /** Every deprecated name of 0.x, with the names that replace it. */
    static Map<String, List<String>> renamed() {
        return LEGACY.stream().collect(Collectors.groupingBy(Legacy::name, LinkedHashMap::new,
                Collectors.mapping(l -> l.setting().environmentName(), Collectors.toList())));
    }

    /** The deprecated names this app used, each with its new name. */
    Map<String, String> deprecated() {
        return Map.copyOf(deprecated);
    }

    /** {@code DPSTWIN_*} and {@code DPS_TWIN_*} names that no setting a Functions app reads has (likely typos). */
    Set<String> unknown() {
        Set<String> known = Stream.concat(DpsTwinSettings.all().stream()
                        .filter(s -> s.host() == Setting.Host.BOTH)
                        .flatMap(s -> Stream.of(s.environmentName(), s.legacyEnvironmentName())),
                LEGACY.stream().map(Legacy::name)).collect(Collectors.toSet());
        return settings.keySet().stream().filter(n -> n.startsWith("DPSTWIN_") || n.startsWith("DPS_TWIN_"))
                .filter(n -> !known.contains(n)).collect(Collectors.toCollection(TreeSet::new));
    }
}
