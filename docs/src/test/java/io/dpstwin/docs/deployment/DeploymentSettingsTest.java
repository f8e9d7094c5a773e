package io.dpstwin.docs.deployment;

import io.dpstwin.docs.check.Repository;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.spring.autoconfigure.SpringSettingsSource;
import org.junit.jupiter.api.Test;
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
            Map.entry("DPSTWIN_ALLOCATION_DEFAULTMODEL", MODEL),
            Map.entry("DPSTWIN_CREDENTIAL_KIND", "managed-identity"),
            Map.entry("EVENTHUB_CONNECTIONSTRING", "Endpoint=sb://contoso-iot.servicebus.windows.net/;"
                    + "SharedAccessKeyName=functions-listen;SharedAccessKey=bm90LWEta2V5;EntityPath=lifecycleevents"),
            Map.entry("DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME", "lifecycleevents"),
            Map.entry("DPSTWIN_LIFECYCLE_REGISTRYGUARD_HUBHOSTNAMES", HUB),
            Map.entry("DPSTWIN_RECONCILE_SCHEDULE_CRON", "0 0 * * * *"),
            Map.entry("DPSTWIN_RECONCILE_HUBHOSTNAMES", HUB),
            Map.entry("DPSTWIN_RECONCILE_APPLY", "false"));

    /** The environment variables (App Service app settings) the guides give the Spring Boot sample. */
    private static final Map<String, Object> SPRING_ENVIRONMENT = Map.ofEntries(
            Map.entry("DPSTWIN_DIGITALTWINS_ENDPOINT", ADT_URL),
            Map.entry("DPSTWIN_WEBHOOK_KEYS", "new-7f3e9c,old-0c21d4"),
            Map.entry("DPSTWIN_LIFECYCLE_REGISTRYGUARD_HUBHOSTNAMES", HUB),
            Map.entry("DPSTWIN_RECONCILE_HUBHOSTNAMES", HUB),
            Map.entry("DPSTWIN_RECONCILE_SCHEDULE_CRON", "0 0 * * * *"),
            Map.entry("DPSTWIN_RECONCILE_APPLY", "false"),
            Map.entry("DPSTWIN_LIFECYCLE_EVENTHUBS_NAMESPACE", "contoso-iot.servicebus.windows.net"),
            Map.entry("DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME", "lifecycleevents"),
            Map.entry("DPSTWIN_LIFECYCLE_EVENTHUBS_CONSUMERGROUP", "dps-twin"),
            Map.entry("DPSTWIN_LIFECYCLE_EVENTHUBS_CHECKPOINTSTORE_CONTAINERURL",
                    "https://contosoiot.blob.core.windows.net/dps-twin-checkpoints"));

    private static final Pattern SETTING = Pattern.compile("\\b(ADT_SERVICE_URL|DPSTWIN_[A-Z0-9_]+)=");

    @Test
    void theFunctionsAppSettingsOfTheGuidesAreValidAndComplete() {
        FunctionsSettings settings = FunctionsSettings.from(FUNCTIONS_APP_SETTINGS);

        assertThat(settings.get(DpsTwinSettings.ADT_ENDPOINT)).isEqualTo(ADT_URL);
        assertThat(settings.get(DpsTwinSettings.CREDENTIAL_KIND)).isEqualTo("managed-identity");
        assertThat(settings.options().defaultModel()).contains(MODEL);
        assertThat(settings.get(DpsTwinSettings.GUARD_HOSTS)).containsExactly(HUB);
        assertThat(settings.options().reconcileConfigured()).isTrue();
        assertThat(settings.get(DpsTwinSettings.RECONCILE_APPLY)).isFalse();
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
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().forEach(p -> environment.getPropertySources().remove(p.getName()));
        sources.forEach(environment.getPropertySources()::addLast);

        CoreOptions options = SpringSettingsSource.read(environment);
        SettingValues values = options.values();

        assertThat(values.get(DpsTwinSettings.ADT_ENDPOINT)).isEqualTo(ADT_URL);
        assertThat(values.get(DpsTwinSettings.WEBHOOK_KEYS)).containsExactly("new-7f3e9c", "old-0c21d4");
        assertThat(options.defaultModel()).contains(MODEL);
        assertThat(values.get(DpsTwinSettings.GUARD_HOSTS)).containsExactly(HUB);
        assertThat(values.get(DpsTwinSettings.RECONCILE_HOSTS)).containsExactly(HUB);
        assertThat(values.get(DpsTwinSettings.SCHEDULE_CRON)).isEqualTo("0 0 * * * *");
        assertThat(values.get(DpsTwinSettings.RECONCILE_APPLY)).isFalse();
        assertThat(values.get(DpsTwinSettings.EH_NAMESPACE)).isEqualTo("contoso-iot.servicebus.windows.net");
        assertThat(values.get(DpsTwinSettings.EH_NAME)).isEqualTo("lifecycleevents");
        assertThat(values.get(DpsTwinSettings.EH_CONSUMER_GROUP)).isEqualTo("dps-twin");
        assertThat(values.get(DpsTwinSettings.CHECKPOINT_URL))
                .isEqualTo("https://contosoiot.blob.core.windows.net/dps-twin-checkpoints");
    }

    @Test
    void everySettingTheGuidesAssignIsCheckedHere() {
        Set<String> assigned = new TreeSet<>();
        for (String guide : new String[] {"docs/deployment.md", "docs/security.md"}) {
            collect(SETTING.matcher(Repository.read(Repository.root().resolve(guide))), assigned);
        }
        Set<String> checked = new TreeSet<>(FUNCTIONS_APP_SETTINGS.keySet());
        checked.addAll(SPRING_ENVIRONMENT.keySet());
        assertThat(assigned).as("settings the guides assign (Functions app settings or Spring environment)")
                .isNotEmpty().isSubsetOf(checked);
    }

    private static void collect(Matcher matcher, Set<String> names) {
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }
}
