package io.dpstwin.docs.configuration;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.ParentTwinResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.docs.check.SpringMetadata;
import io.dpstwin.functions.FunctionsDpsTwinFactory;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.functions.FunctionsSettingsException;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinConfigurationException;
import io.dpstwin.spring.autoconfigure.DpsTwinProperties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code docs/configuration.md} is generated from, and tested against, the code: the catalog names every Spring
 * property and every Functions setting once, the defaults of the hosts and of core agree, the tables are the ones
 * the catalog renders, and the examples of both hosts start and configure the same deployment.
 */
class ConfigurationReferenceTest {

    private static final Path CONFIGURATION_MD = Repository.root().resolve("docs/configuration.md");
    private static final TokenCredential NO_CREDENTIAL =
            request -> Mono.just(new AccessToken("not-used", OffsetDateTime.now().plusHours(1)));

    private final Map<String, SpringMetadata.Property> properties =
            ConfigurationReference.springProperties(SpringMetadata.load());
    private final List<OptionCatalog.Section> catalog = OptionCatalog.sections();

    // ---------------------------------------------------------------- the catalog against the code

    @Test
    void theCatalogNamesEveryPropertyAndSettingOnceAndOnlyWhatExists() {
        assertThat(properties).as("the starter's metadata is on the classpath")
                .containsKeys("dps-twin.lifecycle.parallelism", "management.health.dps-twin.enabled",
                        "management.endpoint.dpstwinreconcile.access");
        assertThat(ConfigurationReference.coverageProblems(catalog, properties,
                ConfigurationReference.functionsSettings())).isEmpty();
    }

    @Test
    void theDefaultsOfSpringFunctionsAndCoreAgree() {
        assertThat(ConfigurationReference.defaultProblems(catalog, properties,
                ConfigurationReference.functionsDefaults())).isEmpty();
    }

    @Test
    void theTablesOfConfigurationMdAreTheOnesTheCatalogRenders() {
        Assumptions.assumeTrue(Repository.markdownFiles().stream()
                        .anyMatch(f -> f.getFileName().toString().equals("configuration.md")),
                "configuration.md is not among the checked files (-Ddocs.only)");
        String markdown = Repository.read(CONFIGURATION_MD);
        String expected = ConfigurationReference.withRegion(markdown, ConfigurationReference.markdown(catalog,
                properties, ConfigurationReference.functionsDefaults()));
        if (Repository.updating() && !expected.equals(markdown)) {
            Repository.write(CONFIGURATION_MD, expected);
            System.out.println("docs.update rewrote docs/configuration.md");
            markdown = expected;
        }
        assertThat(markdown)
                .as("docs/configuration.md between the GENERATED markers; run ./mvnw -pl docs -am test "
                        + "-Ddocs.update=true -Dtest=ConfigurationReferenceTest "
                        + "-Dsurefire.failIfNoSpecifiedTests=false to generate it again")
                .isEqualTo(expected);
    }

    // ---------------------------------------------------------------- the checks catch drift

    @Test
    void aPropertyOrSettingLeftOutIsCaught() {
        List<OptionCatalog.Section> doctored = doctor(option ->
                "dps-twin.lifecycle.parallelism".equals(option.springProperty()) ? List.of()
                        : FunctionsSettings.HUB_STICKY.equals(option.functionsSetting()) ? List.of()
                        : List.of(option));
        assertThat(ConfigurationReference.coverageProblems(doctored, properties,
                ConfigurationReference.functionsSettings())).containsExactlyInAnyOrder(
                "Spring property dps-twin.lifecycle.parallelism is missing from the catalog",
                "Functions setting DPSTWIN_PARALLELISM is missing from the catalog",
                "Functions setting DPSTWIN_HUB_STICKY is missing from the catalog");
    }

    @Test
    void aPropertyOrSettingListedTwiceIsCaught() {
        List<OptionCatalog.Section> doctored = doctor(option ->
                "dps-twin.reconcile.apply".equals(option.springProperty())
                        ? List.of(option, Option.spring("dps-twin.reconcile.apply"),
                        Option.functionsOnly(FunctionsSettings.RECONCILE_APPLY, "again"))
                        : List.of(option));
        assertThat(ConfigurationReference.coverageProblems(doctored, properties,
                ConfigurationReference.functionsSettings())).containsExactlyInAnyOrder(
                "Spring property dps-twin.reconcile.apply is listed 2 times",
                "Functions setting DPSTWIN_RECONCILE_APPLY is listed 2 times");
    }

    @Test
    void aNameTheCodeDoesNotHaveIsCaught() {
        List<OptionCatalog.Section> doctored = doctor(option ->
                "dps-twin.lifecycle.max-attempts".equals(option.springProperty())
                        ? List.of(option, Option.spring("dps-twin.lifecycle.max-attempt"),
                        Option.functionsOnly("DPSTWIN_MAX_ATTEMPT", "a typo"),
                        Option.functionsOnly("DPSTWIN_NO_MEANING", " "),
                        Option.spring("dps-twin.lifecycle.event-budget").functions(null)
                                .java(LifecycleOptions.Builder.class, "maxAttempt"))
                        : List.of(option));
        assertThat(ConfigurationReference.coverageProblems(doctored, properties,
                ConfigurationReference.functionsSettings())).containsExactlyInAnyOrder(
                "the catalog names Spring property dps-twin.lifecycle.max-attempt, which the metadata does not have",
                "the catalog names Functions setting DPSTWIN_MAX_ATTEMPT, which FunctionsSettings does not have",
                "the catalog names Functions setting DPSTWIN_NO_MEANING, which FunctionsSettings does not have",
                "DPSTWIN_NO_MEANING has no Spring property, so it needs a meaning of its own",
                "Spring property dps-twin.lifecycle.event-budget is listed 2 times",
                "dps-twin.lifecycle.event-budget names LifecycleOptions.Builder#maxAttempt, which does not exist");
    }

    @Test
    void aDefaultThatDriftsIsCaught() {
        List<OptionCatalog.Section> doctored = List.of(new OptionCatalog.Section("drift", "", List.of(
                Option.spring("dps-twin.lifecycle.parallelism").functions(FunctionsSettings.PARALLELISM)
                        .functionsDefault(s -> 8).coreDefault(() -> 16),
                Option.spring("dps-twin.reconcile.grace-period").coreDefault(() -> Duration.ofSeconds(60)),
                Option.spring("dps-twin.allocation.model-mismatch-policy")
                        .functionsDefault(s -> io.dpstwin.core.twins.ModelMismatchPolicy.KEEP),
                Option.spring("dps-twin.lifecycle.event-budget").differs("declared, but not true")
                        .functionsDefault(s -> Duration.ofSeconds(60)),
                Option.spring("dps-twin.lifecycle.served-hubs").functionsDefault(s -> List.of("hub-a"))
                        .coreDefault(() -> List.of()))));
        assertThat(ConfigurationReference.defaultProblems(doctored, properties,
                ConfigurationReference.functionsDefaults())).containsExactlyInAnyOrder(
                "dps-twin.lifecycle.parallelism defaults to 16 but DPSTWIN_PARALLELISM to 8",
                "DPSTWIN_PARALLELISM (dps-twin.lifecycle.parallelism) defaults to 8 but core to 16",
                "dps-twin.reconcile.grace-period defaults to PT2M but core to PT1M",
                "dps-twin.allocation.model-mismatch-policy defaults to reject but a Functions app to keep",
                "dps-twin.lifecycle.event-budget declares a difference between the hosts' defaults, but both are PT1M",
                "dps-twin.lifecycle.served-hubs defaults to (none) but a Functions app to [hub-a]",
                "a Functions app (dps-twin.lifecycle.served-hubs) defaults to [hub-a] but core to (none)");
    }

    @Test
    void onlyTheRegionBetweenTheMarkersIsReplaced() {
        String markdown = "# Title\n\nbefore\n" + ConfigurationReference.BEGIN + "\nold table\n"
                + ConfigurationReference.END + "\nafter\n";
        assertThat(ConfigurationReference.withRegion(markdown, "new table\n")).isEqualTo("# Title\n\nbefore\n"
                + ConfigurationReference.BEGIN + "\nnew table\n" + ConfigurationReference.END + "\nafter\n");
        assertThatThrownBy(() -> ConfigurationReference.withRegion("# no markers\n", "table\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ConfigurationReference.BEGIN);
    }

    @Test
    void theTablesShowDefaultsInEachHostsFormAndTheValuesOfChoices() {
        String tables = ConfigurationReference.markdown(catalog, properties,
                ConfigurationReference.functionsDefaults());
        assertThat(tables)
                .contains("| `dps-twin.lifecycle.parallelism` | `DPSTWIN_PARALLELISM` | "
                        + "`LifecycleOptions.Builder#parallelism` | `16` |")
                .contains("| `dps-twin.lifecycle.event-budget` | `DPSTWIN_EVENT_BUDGET` | "
                        + "`LifecycleOptions.Builder#eventBudget` | `60s` (Functions: `60`) |")
                .contains("Values: `delete`, `detach`.")
                .contains("Functions values: `first`, `hashing`, `weighted`.")
                .contains("| — | `DPSTWIN_CREDENTIAL` | — | `default` |");
    }

    private List<OptionCatalog.Section> doctor(java.util.function.Function<Option, List<Option>> change) {
        List<OptionCatalog.Section> doctored = new ArrayList<>();
        for (OptionCatalog.Section section : catalog) {
            List<Option> options = new ArrayList<>();
            section.options().forEach(option -> options.addAll(change.apply(option)));
            doctored.add(new OptionCatalog.Section(section.title(), section.intro(), options));
        }
        return doctored;
    }

    // ---------------------------------------------------------------- the examples of configuration.md

    @Test
    void theSpringTheFunctionsAndThePlainJavaExamplesConfigureTheSameDeployment() throws Exception {
        List<CodeBlock> blocks = CodeBlock.parse(CONFIGURATION_MD, Repository.read(CONFIGURATION_MD).lines().toList());
        CodeBlock yaml = only(blocks, "yaml");
        CodeBlock bash = only(blocks, "bash");

        List<PropertySource<?>> yamlSources = new YamlPropertySourceLoader().load("configuration.md",
                new ByteArrayResource(yaml.text().getBytes(StandardCharsets.UTF_8)));
        DpsTwinProperties springProperties = new Binder(ConfigurationPropertySources.from(yamlSources))
                .bind("dps-twin", Bindable.of(DpsTwinProperties.class)).get();
        Map<String, String> appSettings = appSettings(bash);
        FunctionsSettings functionsSettings = FunctionsSettings.from(appSettings);

        assertThat(functionsSettings.unknownSettings()).isEmpty();
        assertThat(functionsSettings.reconcileApply()).isEqualTo(springProperties.getReconcile().isApply());
        assertThat(appSettings.get(FunctionsSettings.RECONCILE_SCHEDULE))
                .isEqualTo(springProperties.getReconcile().getSchedule().getCron());
        assertThat(appSettings.get(FunctionsSettings.EVENTHUB_NAME))
                .isEqualTo(springProperties.getLifecycle().getEventHubs().getEventHubName());
        assertThat(functionsSettings.adtServiceUrl()).isEqualTo(springProperties.getDigitalTwins().getEndpoint());

        AtomicReference<DpsTwin> spring = new AtomicReference<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class))
                .withInitializer(context -> yamlSources.forEach(
                        context.getEnvironment().getPropertySources()::addFirst))
                .withBean(TokenCredential.class, () -> NO_CREDENTIAL)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DpsTwin dpsTwin = context.getBean(DpsTwin.class);
                    try (DpsTwin functions = FunctionsDpsTwinFactory.builder().settings(appSettings)
                            .credential(NO_CREDENTIAL).build().create();
                         DpsTwin plainJava = plainJava(NO_CREDENTIAL)) {
                        assertSameDeployment(functions, dpsTwin);
                        assertSameDeployment(plainJava, dpsTwin);
                    }
                    spring.set(dpsTwin);
                });
        assertThat(spring.get().lifecycle().options().parallelism()).isEqualTo(32);
        assertThat(spring.get().allocation().options().hubSelection()).hasToString("consistentHashing");
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

    private static void assertSameDeployment(DpsTwin actual, DpsTwin expected) {
        AllocationOptions a = actual.allocation().options();
        AllocationOptions e = expected.allocation().options();
        assertThat(a.globalDefaultModel()).isEqualTo(e.globalDefaultModel());
        assertThat(a.twinIdStrategy().twinIdFor("thermostat-1"))
                .isEqualTo(e.twinIdStrategy().twinIdFor("thermostat-1"));
        assertThat(a.hubSelection()).hasToString(e.hubSelection().toString());
        assertThat(a.placement()).isPresent();
        assertThat(a.placement().orElseThrow().relationshipName())
                .isEqualTo(e.placement().orElseThrow().relationshipName());
        assertThat(a.placement().orElseThrow().missingParentPolicy())
                .isEqualTo(e.placement().orElseThrow().missingParentPolicy());
        assertThat(a.modelMismatchPolicy()).isEqualTo(e.modelMismatchPolicy());
        assertThat(a.maxBodyBytes()).isEqualTo(e.maxBodyBytes());

        LifecycleOptions al = actual.lifecycle().options();
        LifecycleOptions el = expected.lifecycle().options();
        assertThat(al.parallelism()).isEqualTo(el.parallelism());
        assertThat(al.eventBudget()).isEqualTo(el.eventBudget());
        assertThat(al.maxAttempts()).isEqualTo(el.maxAttempts());
        assertThat(al.retirementPolicy()).isSameAs(el.retirementPolicy());
        assertThat(al.defaultModelId()).isEqualTo(el.defaultModelId());
        assertThat(al.servedHubs()).isEqualTo(el.servedHubs());
        assertThat(al.deviceRegistry()).isPresent();
        assertThat(el.deviceRegistry()).isPresent();

        ReconcileOptions ar = actual.reconciler().orElseThrow().options();
        ReconcileOptions er = expected.reconciler().orElseThrow().options();
        assertThat(ar.effectiveDeviceModels()).isEqualTo(er.effectiveDeviceModels());
        assertThat(ar.gracePeriod()).isEqualTo(er.gracePeriod());
        assertThat(ar.maxRetirements()).isEqualTo(er.maxRetirements());
        assertThat(ar.deviceIdOfTwin().apply("device-thermostat-1"))
                .isEqualTo(er.deviceIdOfTwin().apply("device-thermostat-1"));
        assertThat(ar.registryGuard()).isPresent();
    }

    private static CodeBlock only(List<CodeBlock> blocks, String language) {
        List<CodeBlock> matching = blocks.stream().filter(b -> b.language().equals(language)).toList();
        assertThat(matching).as("configuration.md has one %s example", language).hasSize(1);
        return matching.get(0);
    }

    /**
     * The app settings the bash example sets: the script runs with {@code az} replaced by a function that prints
     * its arguments, so the shell variables are expanded as they would be.
     */
    private static Map<String, String> appSettings(CodeBlock bash) throws Exception {
        String script = "az() { printf '%s\\0' \"$@\"; }\n" + bash.text();
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-s").redirectErrorStream(false).start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the bash example runs: %s", errors).isZero();
        List<String> arguments = List.of(out.toString(StandardCharsets.UTF_8).split("\0"));
        assertThat(arguments).as("az functionapp config appsettings set ... --settings").startsWith("functionapp",
                "config", "appsettings", "set").contains("--settings");
        Map<String, String> settings = new LinkedHashMap<>();
        for (String argument : arguments.subList(arguments.indexOf("--settings") + 1, arguments.size())) {
            if (argument.startsWith("--")) {
                break;
            }
            int eq = argument.indexOf('=');
            assertThat(eq).as("an app setting is NAME=value: %s", argument).isPositive();
            settings.put(argument.substring(0, eq), argument.substring(eq + 1));
        }
        return settings;
    }

    // ---------------------------------------------------------------- what the prose says about validation

    @Test
    void aFunctionsAppNamesEveryBadSettingAtOnce() {
        assertThatThrownBy(() -> FunctionsSettings.from(Map.of(FunctionsSettings.PARALLELISM, "0",
                FunctionsSettings.EVENT_BUDGET, "20s", FunctionsSettings.HUB_SELECTION, "consistent-hash")))
                .isInstanceOfSatisfying(FunctionsSettingsException.class, e -> assertThat(e.settingNames())
                        .containsExactlyInAnyOrder(FunctionsSettings.ADT_SERVICE_URL, FunctionsSettings.PARALLELISM,
                                FunctionsSettings.EVENT_BUDGET, FunctionsSettings.HUB_SELECTION));
        FunctionsSettings typo = FunctionsSettings.from(Map.of(FunctionsSettings.ADT_SERVICE_URL,
                ConfigurationReference.ADT_URL, "DPSTWIN_PARALELISM", "32"));
        assertThat(typo.unknownSettings()).containsExactly("DPSTWIN_PARALELISM");
        assertThat(typo.parallelism()).isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
    }

    @Test
    void aSpringApplicationFailsAtStartNamingTheFirstBadProperty() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class))
                .withBean(TokenCredential.class, () -> NO_CREDENTIAL)
                .withPropertyValues("dps-twin.digital-twins.endpoint=" + ConfigurationReference.ADT_URL);
        runner.withPropertyValues("dps-twin.lifecycle.parallelism=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).isInstanceOfSatisfying(
                    DpsTwinConfigurationException.class,
                    e -> assertThat(e.property()).isEqualTo("dps-twin.lifecycle.parallelism"));
        });
        runner.withPropertyValues("dps-twin.lifecycle.event-budget=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("dps-twin.lifecycle.event-budget");
        });
        runner.withPropertyValues("dps-twin.lifecycle.paralelism=32",
                        "dps-twin.allocation.hub-selection.policy=CONSISTENT_HASH")
                .run(context -> {
                    assertThat(context).as("unknown keys are ignored; enum values bind in any case")
                            .hasNotFailed();
                    DpsTwin dpsTwin = context.getBean(DpsTwin.class);
                    assertThat(dpsTwin.lifecycle().options().parallelism())
                            .isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
                    assertThat(dpsTwin.allocation().options().hubSelection()).hasToString("consistentHashing");
                });
    }

    @Test
    void springReadsEnvironmentVariablesByRelaxedNamesButNotTheFunctionsNames() {
        for (String name : List.of("DPS_TWIN_LIFECYCLE_PARALLELISM", "DPSTWIN_LIFECYCLE_PARALLELISM")) {
            assertThat(bindEnvironment(Map.of(name, "32")).getLifecycle().getParallelism()).as(name).isEqualTo(32);
        }
        assertThat(bindEnvironment(Map.of(FunctionsSettings.PARALLELISM, "32")).getLifecycle().getParallelism())
                .isEqualTo(LifecycleOptions.DEFAULT_PARALLELISM);
    }

    @Test
    void aBareNumberIsMillisecondsInSpringAndSecondsInFunctions() {
        assertThat(bindEnvironment(Map.of("DPS_TWIN_LIFECYCLE_EVENT_BUDGET", "20")).getLifecycle().getEventBudget())
                .isEqualTo(Duration.ofMillis(20));
        assertThat(FunctionsSettings.from(Map.of(FunctionsSettings.ADT_SERVICE_URL, ConfigurationReference.ADT_URL,
                FunctionsSettings.EVENT_BUDGET, "20")).eventBudget()).isEqualTo(Duration.ofSeconds(20));
    }

    private static DpsTwinProperties bindEnvironment(Map<String, String> variables) {
        PropertySource<?> environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(variables));
        return new Binder(ConfigurationPropertySources.from(environment))
                .bind("dps-twin", Bindable.of(DpsTwinProperties.class)).orElseGet(DpsTwinProperties::new);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof DpsTwinConfigurationException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
