package io.dpstwin.docs.configuration;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingType;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.functions.FunctionsSettingsException;
import io.dpstwin.spring.autoconfigure.DpsTwinConfigurationException;
import io.dpstwin.spring.autoconfigure.SpringSettingsSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same settings, given as Spring properties, as environment variables to Spring and as Functions app settings,
 * build equal core options; and each host refuses every bad value at start, naming the setting.
 */
class HostAgreementTest {

    private static final Map<String, String> SETTINGS = settings();

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dps-twin.digital-twins.endpoint", "https://my-instance.api.weu.digitaltwins.azure.net");
        s.put("dps-twin.digital-twins.rate-limits.create-deletes-per-second", "250");
        s.put("dps-twin.digital-twins.rate-limits.max-wait", "500ms");
        s.put("dps-twin.digital-twins.rate-limits.mode", "adaptive");
        s.put("dps-twin.digital-twins.allocation-retry.max-attempts", "4");
        s.put("dps-twin.allocation.default-model", "dtmi:com:example:Thermostat;1");
        s.put("dps-twin.allocation.allowed-models", "dtmi:com:example:Thermostat;1,dtmi:com:example:Sensor;2");
        s.put("dps-twin.allocation.hub-selection.policy", "weighted");
        s.put("dps-twin.allocation.hub-selection.sticky", "true");
        s.put("dps-twin.allocation.hub-selection.weights", "hub-a.azure-devices.net=2,hub-b.azure-devices.net=0");
        s.put("dps-twin.allocation.initial-properties", "{\"dtmi:com:example:Thermostat;1\":{\"Temperature\":0.0}}");
        s.put("dps-twin.allocation.twin-id-prefix", "device-");
        s.put("dps-twin.allocation.model-mismatch-policy", "migrate");
        s.put("dps-twin.allocation.placement.enabled", "true");
        s.put("dps-twin.allocation.placement.missing-parent-policy", "skip");
        s.put("dps-twin.allocation.max-body-size", "64KB");
        s.put("dps-twin.lifecycle.retirement-policy", "detach");
        s.put("dps-twin.lifecycle.default-model", "dtmi:com:example:Sensor;2");
        s.put("dps-twin.lifecycle.served-hubs", "hub-a,hub-b.azure-devices.net");
        s.put("dps-twin.lifecycle.parallelism", "32");
        s.put("dps-twin.lifecycle.event-budget", "20s");
        s.put("dps-twin.lifecycle.backoff.initial", "100ms");
        s.put("dps-twin.reconcile.grace-period", "3m");
        s.put("dps-twin.reconcile.max-retirement-share", "0.25");
        s.put("dps-twin.reconcile.parallelism", "8");
        return s;
    }

    private static String env(String name) {
        return DpsTwinSettings.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()
                .environmentName();
    }

    private static CoreOptions spring(Map<String, String> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.copyOf(properties)));
        return SpringSettingsSource.read(environment);
    }

    private static CoreOptions springEnvironment(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.copyOf(variables)));
        return SpringSettingsSource.read(environment);
    }

    private static Map<String, String> asEnvironment(Map<String, String> properties) {
        Map<String, String> variables = new LinkedHashMap<>();
        properties.forEach((name, value) -> variables.put(env(name), value));
        return variables;
    }

    /** Everything core's options say, in a comparable form. */
    private static List<Object> view(CoreOptions o) {
        var a = o.allocation();
        var l = o.lifecycle();
        var r = o.reconcile();
        return Arrays.asList(a.hubSelection().toString(), a.globalDefaultModel(), a.allowedModelsFor(java.util.Optional.empty()),
                a.twinIdStrategy().twinIdFor("d1"), a.modelMismatchPolicy(), a.maxBodyBytes(),
                a.placement().map(p -> p.relationshipName() + "/" + p.missingParentPolicy()).orElse("none"),
                a.mergeEnrollmentInitialTwin(), l.retirementPolicy(), l.servedHubs(), l.parallelism(),
                l.eventBudget(), l.maxAttempts(), l.initialBackoff(), l.maxBackoff(), l.defaultModelId(),
                r.gracePeriod(), r.maxRetirementShare(), r.parallelism(), r.maxPlanAge(),
                o.rateLimits().orElseThrow().toString(), o.allocationRetry().toString(),
                o.values().get(DpsTwinSettings.ADT_ENDPOINT), o.values().get(DpsTwinSettings.INITIAL_PROPERTIES));
    }

    @Test
    void springPropertiesSpringEnvironmentAndFunctionsAppSettingsBuildEqualCoreOptions() {
        List<Object> fromProperties = view(spring(SETTINGS));
        assertThat(view(springEnvironment(asEnvironment(SETTINGS)))).isEqualTo(fromProperties);
        assertThat(view(FunctionsSettings.from(asEnvironment(SETTINGS)).options())).isEqualTo(fromProperties);
        assertThat(fromProperties.get(0).toString()).startsWith("sticky(");
        assertThat(fromProperties).contains(32, java.time.Duration.ofSeconds(20), 64 * 1024);
        assertThat(spring(SETTINGS).rateLimits().orElseThrow().adaptive()).as("mode=adaptive").isTrue();
        assertThat(view(spring(Map.of("dps-twin.digital-twins.endpoint", SETTINGS.get(
                "dps-twin.digital-twins.endpoint"))))).as("the settings changed something").isNotEqualTo(fromProperties);
    }

    /** A value the setting's type refuses; none for free text. */
    static Stream<Setting<?>> checkedSettings() {
        return DpsTwinSettings.all().stream().filter(s -> bad(s) != null);
    }

    static String bad(Setting<?> setting) {
        SettingType<?> type = setting.type().isList() ? setting.type().element() : setting.type();
        String expected = type.expected();
        if (setting.type().isKeyed() || expected.equals("text")) {
            return null;
        }
        if (expected.startsWith("a duration")) {
            return "20"; // a bare number
        }
        if (expected.startsWith("a size")) {
            return "96";
        }
        return expected.startsWith("a whole number") || expected.startsWith("a decimal") ? "-7" : "not valid!";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkedSettings")
    void eachHostRefusesABadValueAtStartNamingTheSetting(Setting<?> setting) {
        assertEachHostRefuses(setting, bad(setting));
    }

    private static void assertEachHostRefuses(Setting<?> setting, String value) {
        Map<String, String> properties = new LinkedHashMap<>(SETTINGS);
        properties.put(setting.name(), value);
        assertThatThrownBy(() -> spring(properties)).as("Spring properties")
                .isInstanceOfSatisfying(DpsTwinConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo(setting.name()));
        assertThatThrownBy(() -> springEnvironment(asEnvironment(properties))).as("Spring environment")
                .isInstanceOfSatisfying(DpsTwinConfigurationException.class,
                        e -> assertThat(e.getMessage()).contains(setting.name()));
        if (setting.host() == Setting.Host.BOTH) {
            assertThatThrownBy(() -> FunctionsSettings.from(asEnvironment(properties))).as("Functions")
                    .isInstanceOfSatisfying(FunctionsSettingsException.class,
                            e -> assertThat(e.settingNames()).containsExactly(setting.environmentName()));
        }
    }

    /** Durations a host would otherwise pass on to a client or core builder that refuses zero later, or not at all. */
    static Stream<Setting<?>> positiveDurations() {
        return DpsTwinSettings.all().stream().filter(s -> s.type().expected().startsWith("a duration above zero"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positiveDurations")
    void eachHostRefusesAZeroDurationAtStartNamingTheSetting(Setting<?> setting) {
        assertEachHostRefuses(setting, "0s");
    }

    @Test
    void zeroIsAcceptedOnlyWhereItMeansNoWait() {
        assertThat(positiveDurations()).contains(DpsTwinSettings.ADT_REQUEST_TIMEOUT,
                DpsTwinSettings.EH_LOAD_BALANCING, DpsTwinSettings.BACKOFF_INITIAL, DpsTwinSettings.RETRY_INITIAL_BACKOFF);
        Map<String, String> properties = new LinkedHashMap<>(SETTINGS);
        properties.put("dps-twin.digital-twins.rate-limits.max-wait", "0s");
        properties.put("dps-twin.digital-twins.allocation-retry.max-total-time", "0s");
        properties.put("dps-twin.digital-twins.allocation-retry.max-retry-after", "0s");
        assertThat(spring(properties).allocationRetry().maxTotalTime()).isZero();
        assertThat(FunctionsSettings.from(asEnvironment(properties)).options().rateLimits().orElseThrow().maxWait())
                .isZero();
    }

    @Test
    void severalBadValuesAreAllReportedAtOnceByBothHosts() {
        Map<String, String> properties = new LinkedHashMap<>(SETTINGS);
        properties.put("dps-twin.lifecycle.parallelism", "0");
        properties.put("dps-twin.lifecycle.event-budget", "20");
        properties.put("dps-twin.allocation.hub-selection.policy", "sticky");
        assertThatThrownBy(() -> spring(properties)).hasMessageContainingAll("dps-twin.lifecycle.parallelism",
                "dps-twin.lifecycle.event-budget", "dps-twin.allocation.hub-selection.policy");
        assertThatThrownBy(() -> FunctionsSettings.from(asEnvironment(properties)))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.settingNames())
                        .contains("DPSTWIN_LIFECYCLE_PARALLELISM", "DPSTWIN_LIFECYCLE_EVENTBUDGET",
                                "DPSTWIN_ALLOCATION_HUBSELECTION_POLICY"));
    }

    // ---------------------------------------------------------------- the examples of configuration.md

    @Test
    void theSpringTheFunctionsAndThePlainJavaExamplesOfConfigurationMdConfigureTheSameDeployment() throws Exception {
        Path file = Repository.root().resolve("docs/configuration.md");
        List<CodeBlock> blocks = CodeBlock.parse(file, Repository.read(file).lines().toList());
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("configuration.md", new ByteArrayResource(only(blocks, "yaml").text()
                .replace("${DPSTWIN_WEBHOOK_KEYS}", "key").getBytes(StandardCharsets.UTF_8)))
                .forEach(environment.getPropertySources()::addFirst);
        CoreOptions spring = SpringSettingsSource.read(environment);
        FunctionsSettings functions = FunctionsSettings.from(appSettings(only(blocks, "bash")));
        assertThat(functions.unknownSettings()).isEmpty();
        assertThat(view(functions.options())).isEqualTo(view(spring));
        assertThat(functions.get(DpsTwinSettings.RECONCILE_APPLY)).isTrue().isEqualTo(spring.values().get(DpsTwinSettings.RECONCILE_APPLY));
        assertThat(functions.get(DpsTwinSettings.SCHEDULE_CRON)).isEqualTo(spring.values().get(
                DpsTwinSettings.SCHEDULE_CRON));
        assertThat(functions.get(DpsTwinSettings.EH_NAME)).isEqualTo(spring.values().get(DpsTwinSettings.EH_NAME));
        TokenCredential credential = request -> Mono.empty();
        try (DpsTwin plainJava = plainJava(credential)) {
            AllocationOptions a = plainJava.allocation().options();
            assertThat(a.globalDefaultModel()).isEqualTo(spring.allocation().globalDefaultModel());
            assertThat(a.twinIdStrategy().twinIdFor("t-1")).isEqualTo(spring.twinIdStrategy().twinIdFor("t-1"));
            assertThat(a.hubSelection()).hasToString(spring.allocation().hubSelection().toString());
            assertThat(a.placement().orElseThrow().relationshipName())
                    .isEqualTo(spring.allocation().placement().orElseThrow().relationshipName());
            LifecycleOptions l = plainJava.lifecycle().options();
            assertThat(List.of(l.parallelism(), l.eventBudget(), l.deviceRegistry().isPresent())).isEqualTo(List.of(
                    spring.lifecycle().parallelism(), spring.lifecycle().eventBudget(),
                    spring.registryGuard(() -> credential).isPresent()));
            assertThat(plainJava.reconciler()).isPresent();
            assertThat(spring.deviceInventory(() -> credential)).isPresent();
        }
    }

    private static DpsTwin plainJava(TokenCredential credential) {
        // tag::plain-java[]
        List<String> hubs = List.of("my-hub.azure-devices.net");
        DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(DigitalTwinsClients.create(
                        "https://my-instance.api.weu.digitaltwins.azure.net", credential))
                .defaultModelId("dtmi:contosocom:DigitalTwins:Thermostat;1")
                .twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .allocationOptions(AllocationOptions.builder()
                        .hubSelection(HubSelectionPolicy.consistentHashing())
                        .placement(Placement.under(ParentTwinResolver.payloadField("parentTwinId")))
                        .build())
                .lifecycleOptions(LifecycleOptions.builder()
                        .parallelism(32)
                        .eventBudget(Duration.ofSeconds(20))
                        .deviceRegistry(IotHubDeviceRegistry.fromCredential(hubs, credential))
                        .build())
                .deviceInventory(IotHubDeviceInventory.fromCredential(hubs, credential))
                .build();
        // end::plain-java[]
        return dpsTwin;
    }

    private static CodeBlock only(List<CodeBlock> blocks, String language) {
        List<CodeBlock> matching = blocks.stream().filter(b -> b.language().equals(language)).toList();
        assertThat(matching).as("configuration.md has one %s example", language).hasSize(1);
        return matching.get(0);
    }

    /** The app settings the bash example sets: it runs with {@code az} replaced by a function printing its arguments. */
    private static Map<String, String> appSettings(CodeBlock bash) throws Exception {
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-s").start();
        process.getOutputStream().write(("az() { printf '%s\\0' \"$@\"; }\n" + bash.text())
                .getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the bash example runs").isZero();
        List<String> arguments = List.of(out.toString(StandardCharsets.UTF_8).split("\0"));
        Map<String, String> settings = new LinkedHashMap<>();
        for (String argument : arguments.subList(arguments.indexOf("--settings") + 1, arguments.size())) {
            int eq = argument.indexOf('=');
            assertThat(eq).as("an app setting is NAME=value: %s", argument).isPositive();
            settings.put(argument.substring(0, eq), argument.substring(eq + 1));
        }
        return settings;
    }
}
