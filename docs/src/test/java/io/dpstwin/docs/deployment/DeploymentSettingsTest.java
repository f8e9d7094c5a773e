package io.dpstwin.docs.deployment;

import io.dpstwin.docs.check.Repository;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.spring.autoconfigure.DpsTwinProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings docs/deployment.md and docs/security.md give each host do what the guides say: the Functions app
 * settings make valid {@link FunctionsSettings}, and the environment variables of the Spring Boot sample bind, with
 * the sample's application.yml, to the intended {@code dps-twin.*} properties. A setting the guides name must be one
 * of the settings checked here.
 */
class DeploymentSettingsTest {

    private static final String ADT_URL = "https://contoso-adt.api.weu.digitaltwins.azure.net";
    private static final String HUB = "contoso-hub.azure-devices.net";
    private static final String MODEL = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    /** The app settings the guides give the Functions sample (values as the guides build them). */
    private static final Map<String, String> FUNCTIONS_APP_SETTINGS = Map.ofEntries(
            Map.entry("ADT_SERVICE_URL", ADT_URL),
            Map.entry("DPSTWIN_DEFAULT_MODEL", MODEL),
            Map.entry("DPSTWIN_CREDENTIAL", "managed-identity"),
            Map.entry("EVENTHUB_CONNECTIONSTRING", "Endpoint=sb://contoso-iot.servicebus.windows.net/;"
                    + "SharedAccessKeyName=functions-listen;SharedAccessKey=bm90LWEta2V5;EntityPath=lifecycleevents"),
            Map.entry("DPSTWIN_EVENTHUB_NAME", "lifecycleevents"),
            Map.entry("DPSTWIN_REGISTRY_GUARD_HUBS", HUB),
            Map.entry("DPSTWIN_RECONCILE_SCHEDULE", "0 0 * * * *"),
            Map.entry("DPSTWIN_RECONCILE_HUBS", HUB),
            Map.entry("DPSTWIN_RECONCILE_APPLY", "false"));

    /** The environment variables (App Service app settings) the guides give the Spring Boot sample. */
    private static final Map<String, Object> SPRING_ENVIRONMENT = Map.ofEntries(
            Map.entry("ADT_ENDPOINT", ADT_URL),
            Map.entry("DPS_TWIN_WEBHOOK_KEYS", "new-7f3e9c,old-0c21d4"),
            Map.entry("DPS_TWIN_LIFECYCLE_REGISTRY_GUARD_HUB_HOST_NAMES", HUB),
            Map.entry("IOT_HUB_HOST_NAMES", HUB),
            Map.entry("DPS_TWIN_RECONCILE_CRON", "0 0 * * * *"),
            Map.entry("DPS_TWIN_RECONCILE_APPLY", "false"),
            Map.entry("DPS_TWIN_LIFECYCLE_EVENT_HUBS_NAMESPACE", "contoso-iot.servicebus.windows.net"),
            Map.entry("DPS_TWIN_LIFECYCLE_EVENT_HUBS_EVENT_HUB_NAME", "lifecycleevents"),
            Map.entry("DPS_TWIN_LIFECYCLE_EVENT_HUBS_CONSUMER_GROUP", "dps-twin"),
            Map.entry("DPS_TWIN_LIFECYCLE_EVENT_HUBS_CHECKPOINT_STORE_CONTAINER_URL",
                    "https://contosoiot.blob.core.windows.net/dps-twin-checkpoints"));

    private static final Pattern FUNCTIONS_SETTING = Pattern.compile("\\b(ADT_SERVICE_URL|DPSTWIN_[A-Z0-9_]+)=");
    private static final Pattern SPRING_VARIABLE =
            Pattern.compile("\\b(ADT_ENDPOINT|IOT_HUB_HOST_NAMES|DPS_TWIN_[A-Z0-9_]+)=");

    @Test
    void theFunctionsAppSettingsOfTheGuidesAreValidAndComplete() {
        FunctionsSettings settings = FunctionsSettings.from(FUNCTIONS_APP_SETTINGS);

        assertThat(settings.adtServiceUrl()).isEqualTo(ADT_URL);
        assertThat(settings.get(DpsTwinSettings.CREDENTIAL_KIND)).isEqualTo("managed-identity");
        assertThat(settings.options().defaultModel()).contains(MODEL);
        assertThat(settings.get(DpsTwinSettings.GUARD_HOSTS)).containsExactly(HUB);
        assertThat(settings.options().reconcileConfigured()).isTrue();
        assertThat(settings.reconcileApply()).isFalse();
        assertThat(settings.unknownSettings()).isEmpty();
    }

    @Test
    void theSpringSampleBindsTheEnvironmentOfTheGuides() throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, SPRING_ENVIRONMENT));
        for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yml", new FileSystemResource(
                Repository.root().resolve("samples/spring-boot-app/src/main/resources/application.yml")))) {
            sources.addLast(yaml);
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources));

        DpsTwinProperties properties = binder.bind("dps-twin", DpsTwinProperties.class).get();

        assertThat(properties.getDigitalTwins().getEndpoint()).isEqualTo(ADT_URL);
        assertThat(properties.getWebhook().getKeys()).containsExactly("new-7f3e9c", "old-0c21d4");
        assertThat(properties.getAllocation().getDefaultModel()).isEqualTo(MODEL);
        assertThat(properties.getLifecycle().getRegistryGuard().getHubHostNames()).containsExactly(HUB);
        assertThat(properties.getReconcile().getHubHostNames()).containsExactly(HUB);
        assertThat(properties.getReconcile().getSchedule().getCron()).isEqualTo("0 0 * * * *");
        assertThat(properties.getReconcile().isApply()).isFalse();
        DpsTwinProperties.EventHubs eventHubs = properties.getLifecycle().getEventHubs();
        assertThat(eventHubs.getNamespace()).isEqualTo("contoso-iot.servicebus.windows.net");
        assertThat(eventHubs.getEventHubName()).isEqualTo("lifecycleevents");
        assertThat(eventHubs.getConsumerGroup()).isEqualTo("dps-twin");
        assertThat(eventHubs.getCheckpointStore().getContainerUrl())
                .isEqualTo("https://contosoiot.blob.core.windows.net/dps-twin-checkpoints");
    }

    @Test
    void everySettingTheGuidesAssignIsCheckedHere() {
        Set<String> functions = new TreeSet<>();
        Set<String> spring = new TreeSet<>();
        for (String guide : new String[] {"docs/deployment.md", "docs/security.md"}) {
            String text = Repository.read(Repository.root().resolve(guide));
            collect(FUNCTIONS_SETTING.matcher(text), functions);
            collect(SPRING_VARIABLE.matcher(text), spring);
        }

        assertThat(functions).as("Functions app settings the guides assign").isNotEmpty()
                .isSubsetOf(FUNCTIONS_APP_SETTINGS.keySet());
        assertThat(spring).as("Spring Boot environment variables the guides assign").isNotEmpty()
                .isSubsetOf(SPRING_ENVIRONMENT.keySet());
    }

    private static void collect(Matcher matcher, Set<String> names) {
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }
}
