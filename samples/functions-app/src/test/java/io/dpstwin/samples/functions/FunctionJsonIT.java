package io.dpstwin.samples.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads what {@code azure-functions-maven-plugin:package} staged in {@code target/azure-functions/<appName>} (bound
 * to the {@code package} phase; this failsafe test runs in {@code integration-test}, after it): the
 * {@code function.json} the Functions host will read for each function, generated from the sample's annotations.
 */
class FunctionJsonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STAGING = Path.of(System.getProperty("functions.staging.directory",
            "target/azure-functions/dps-twin-functions"));

    private static JsonNode functionJson(String functionName) throws IOException {
        Path file = STAGING.resolve(functionName).resolve("function.json");
        assertThat(file).as("function.json of " + functionName + " (run `package` first)").isRegularFile();
        return JSON.readTree(file.toFile());
    }

    private static JsonNode trigger(JsonNode functionJson) {
        JsonNode bindings = functionJson.get("bindings");
        List<JsonNode> triggers = Stream.iterate(0, i -> i < bindings.size(), i -> i + 1).map(bindings::get)
                .filter(b -> b.get("type").asText().endsWith("Trigger")).toList();
        assertThat(triggers).hasSize(1);
        return triggers.get(0);
    }

    @Test
    void theStagedAppHasExactlyTheFourFunctionsTheJarAndHostJson() throws IOException {
        try (Stream<Path> entries = Files.list(STAGING)) {
            assertThat(entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("DpsAdtAllocationFunc", "DeviceLifecycleEventHubFunc",
                            "DeviceLifecycleEventGridFunc", "DpsTwinReconcileFunc", "lib");
        }
        JsonNode host = JSON.readTree(STAGING.resolve("host.json").toFile());
        assertThat(host.at("/version").asText()).isEqualTo("2.0");
        assertThat(host.at("/extensionBundle/id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat(host.at("/extensionBundle/version").asText()).isEqualTo("[4.*, 5.0.0)");
        assertThat(STAGING.resolve("lib")).isDirectoryContaining(p -> p.getFileName().toString()
                .startsWith("dps-twin-functions-adapter-"));
    }

    @Test
    void theAllocationWebhookIsAPostOnlyHttpTriggerBehindAFunctionKey() throws IOException {
        JsonNode function = functionJson("DpsAdtAllocationFunc");

        assertThat(function.get("entryPoint").asText())
                .isEqualTo("io.dpstwin.samples.functions.DpsAllocationFunction.run");
        assertThat(function.get("scriptFile").asText()).matches("\\.\\./functions-app-.*\\.jar");
        JsonNode trigger = trigger(function);
        assertThat(trigger.get("type").asText()).isEqualTo("httpTrigger");
        assertThat(trigger.get("direction").asText()).isEqualTo("in");
        assertThat(trigger.get("authLevel").asText()).isEqualTo("FUNCTION");
        assertThat(trigger.get("methods")).hasSize(1);
        assertThat(trigger.get("methods").get(0).asText()).isEqualTo("POST");
        assertThat(function.get("bindings")).anySatisfy(binding -> {
            assertThat(binding.get("type").asText()).isEqualTo("http");
            assertThat(binding.get("direction").asText()).isEqualTo("out");
            assertThat(binding.get("name").asText()).isEqualTo("$return");
        });
        assertThat(function.has("retry")).isFalse();
    }

    @Test
    void theEventHubsFunctionTakesBatchesOfStringsWithTheReferenceConnectionAndARetryPolicy() throws IOException {
        JsonNode function = functionJson("DeviceLifecycleEventHubFunc");

        assertThat(function.get("entryPoint").asText())
                .isEqualTo("io.dpstwin.samples.functions.LifecycleEventHubFunction.run");
        JsonNode trigger = trigger(function);
        assertThat(trigger.get("type").asText()).isEqualTo("eventHubTrigger");
        assertThat(trigger.get("cardinality").asText()).isEqualTo("MANY");
        assertThat(trigger.get("dataType").asText()).isEqualTo("string");
        assertThat(trigger.get("connection").asText()).isEqualTo("EVENTHUB_CONNECTIONSTRING");
        assertThat(trigger.get("eventHubName").asText()).isEqualTo("%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%");
        JsonNode retry = function.get("retry");
        assertThat(retry.get("strategy").asText()).isEqualTo("exponentialBackoff");
        assertThat(retry.get("maxRetryCount").asInt()).isEqualTo(5);
        assertThat(retry.get("minimumInterval").asText()).isEqualTo("00:00:10");
        assertThat(retry.get("maximumInterval").asText()).isEqualTo("00:05:00");
    }

    @Test
    void theEventGridFunctionTakesOneEventAsAString() throws IOException {
        JsonNode function = functionJson("DeviceLifecycleEventGridFunc");

        assertThat(function.get("entryPoint").asText())
                .isEqualTo("io.dpstwin.samples.functions.LifecycleEventGridFunction.run");
        JsonNode trigger = trigger(function);
        assertThat(trigger.get("type").asText()).isEqualTo("eventGridTrigger");
        assertThat(trigger.get("dataType").asText()).isEqualTo("string");
        assertThat(function.get("bindings")).hasSize(1);
    }

    @Test
    void theReconcileFunctionIsATimerOnTheScheduleAppSettingWithoutRetries() throws IOException {
        JsonNode function = functionJson("DpsTwinReconcileFunc");

        assertThat(function.get("entryPoint").asText())
                .isEqualTo("io.dpstwin.samples.functions.ReconcileTimerFunction.run");
        JsonNode trigger = trigger(function);
        assertThat(trigger.get("type").asText()).isEqualTo("timerTrigger");
        assertThat(trigger.get("direction").asText()).isEqualTo("in");
        assertThat(trigger.get("name").asText()).isEqualTo("timer");
        assertThat(trigger.get("schedule").asText()).isEqualTo("%DPSTWIN_RECONCILE_SCHEDULE_CRON%");
        assertThat(trigger.path("runOnStartup").asBoolean(false)).as("never on every start and scale-out").isFalse();
        assertThat(function.get("bindings")).hasSize(1);
        assertThat(function.has("retry")).isFalse();
    }

    @Test
    void theStagedLibrariesHoldExactlyOneSlf4jProviderAndTheAppJarItsLogbackXml() throws IOException {
        List<String> jars;
        try (Stream<Path> lib = Files.list(STAGING.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).toList();
        }
        List<String> providers = List.of("logback-classic-", "slf4j-simple-", "slf4j-jdk14-", "slf4j-nop-",
                "slf4j-reload4j-", "slf4j-log4j12-", "log4j-slf4j-impl-", "log4j-slf4j2-impl-", "slf4j-jdk-platform-");

        assertThat(jars.stream().filter(jar -> providers.stream().anyMatch(jar::startsWith)))
                .singleElement().asString().startsWith("logback-classic-");
        assertThat(jars).anyMatch(jar -> jar.startsWith("slf4j-api-2."));
        Path appJar;
        try (Stream<Path> staged = Files.list(STAGING)) {
            appJar = staged.filter(p -> p.getFileName().toString().matches("functions-app-.*\\.jar"))
                    .findFirst().orElseThrow();
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(appJar.toFile())) {
            assertThat(zip.getEntry("logback.xml")).isNotNull();
            assertThat(zip.getEntry("logback-test.xml")).isNull();
        }
    }
}
