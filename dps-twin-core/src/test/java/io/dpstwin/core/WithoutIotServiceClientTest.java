package io.dpstwin.core;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code iot-service-client} is optional in core: the allocation webhook and the retire flow work without it, and
 * asking for a registry check without it fails at start with a message that names the dependency. The scenario runs
 * in a class loader over the test class path less that SDK, which also refuses and records every request for a class of
 * the SDK's packages.
 */
class WithoutIotServiceClientTest {

    private static final String SDK_PACKAGE = "com.microsoft.azure.sdk.iot.";

    /** The test class path without the SDK; loads everything itself (only the JDK comes from its parent). */
    static final class WithoutTheSdk extends URLClassLoader {
        final Set<String> asked = ConcurrentHashMap.newKeySet();

        WithoutTheSdk(URL[] urls) {
            super("without-iot-service-client", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(SDK_PACKAGE)) {
                asked.add(name);
                throw new ClassNotFoundException(name + " (hidden by the test)");
            }
            return super.loadClass(name, resolve);
        }
    }

    private static WithoutTheSdk loaderWithoutTheSdk() throws MalformedURLException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        List<String> hidden = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.replace('\\', '/').contains("/com/microsoft/azure/sdk/iot/")) {
                hidden.add(entry);
            } else if (!entry.isBlank()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(hidden).as("the SDK's jars on the test class path").anySatisfy(jar ->
                assertThat(new File(jar).getName()).startsWith("iot-service-client-"));
        return new WithoutTheSdk(urls.toArray(URL[]::new));
    }

    private static Object call(ClassLoader loader, String method) throws Exception {
        Class<?> scenario = Class.forName(WithoutIotServiceClientScenario.class.getName(), true, loader);
        assertThat(scenario.getClassLoader()).isSameAs(loader);
        return scenario.getMethod(method).invoke(null);
    }

    @Test
    void theAllocationWebhookAndTheRetireFlowWorkWithoutIotServiceClientAndNeverAskForIt() throws Exception {
        try (WithoutTheSdk loader = loaderWithoutTheSdk()) {
            List<Object> results = List.copyOf((List<?>) call(loader, "allocateAndRetire"));

            assertThat(results).containsExactly("200", results.get(1), WithoutIotServiceClientScenario.THERMOSTAT,
                    "RETIRED", "twin gone");
            assertThat((String) results.get(1)).contains("\"iotHubHostName\":\""
                    + WithoutIotServiceClientScenario.HUB + "\"");
            assertThat(loader.asked).as("classes of iot-service-client asked for").isEmpty();
        }
    }

    @Test
    void aRegistryGuardWithoutIotServiceClientFailsAtStartNamingTheSettingAndTheDependency() throws Exception {
        try (WithoutTheSdk loader = loaderWithoutTheSdk()) {
            String error = (String) call(loader, "registryGuardWithoutTheSdk");

            assertThat(error).contains("dps-twin.lifecycle.registry-guard.hub-host-names")
                    .contains("com.microsoft.azure.sdk.iot:iot-service-client")
                    .doesNotContain("unclear failure");
        }
    }

    @Test
    void withTheSdkTheSameScenarioBuildsTheRegistryGuard() {
        // the control: on the full class path the same settings build a guard, so the error above is the SDK's absence
        assertThat(WithoutIotServiceClientScenario.registryGuardWithoutTheSdk())
                .startsWith("no error: Optional[").contains(WithoutIotServiceClientScenario.HUB);
        assertThat(WithoutIotServiceClientScenario.allocateAndRetire()).contains("RETIRED");
    }
}
