package io.dpstwin.testkit.iothub;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * azure-messaging-eventhubs is optional: every builder except {@link EventHubsEvents} must work with only the
 * testkit's classes and Jackson on the class path.
 */
class WorksWithoutEventHubsSdkTest {

    private static URL locationOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static URLClassLoader withoutAzure() {
        URL[] urls = {locationOf(IotHubEvents.class), locationOf(ObjectMapper.class), locationOf(JsonFactory.class),
                locationOf(JsonProperty.class)};
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void eventBuildersRenderEveryNonSdkShapeWithoutTheEventHubsSdk() throws Exception {
        try (URLClassLoader loader = withoutAzure()) {
            assertThatThrownBy(() -> loader.loadClass("com.azure.messaging.eventhubs.EventData"))
                    .isInstanceOf(ClassNotFoundException.class);

            Class<?> events = loader.loadClass(IotHubEvents.class.getName());
            Object deleted = events.getMethod("deviceDeleted", String.class, String.class).invoke(null, "hub", "dev-1");
            Class<?> eventType = deleted.getClass();
            Object array = java.lang.reflect.Array.newInstance(eventType, 1);
            java.lang.reflect.Array.set(array, 0, deleted);
            Object batch = loader.loadClass(IotHubEventBatch.class.getName())
                    .getMethod("of", array.getClass()).invoke(null, array);
            Object binding = batch.getClass().getMethod("functionsBinding").invoke(batch);

            assertThat((String) eventType.getMethod("toEventGridJson").invoke(deleted))
                    .contains("Microsoft.Devices.DeviceDeleted");
            assertThat((String) eventType.getMethod("toCloudEventJson").invoke(deleted)).contains("\"specversion\"");
            assertThat((String[]) binding.getClass().getMethod("messages").invoke(binding)).hasSize(1);
            assertThat(binding.getClass().getMethod("systemPropertiesArray").invoke(binding)).isNotNull();
            assertThat((String) batch.getClass().getMethod("toEventGridJson").invoke(batch)).startsWith("[");
        }
    }

    @Test
    void dpsBuildersWorkWithoutTheAzureSdks() throws Exception {
        try (URLClassLoader loader = withoutAzure()) {
            Class<?> requests = loader.loadClass("io.dpstwin.testkit.dps.DpsRequests");
            Object builder = requests.getMethod("group", String.class).invoke(null, "g");

            assertThat((String) builder.getClass().getMethod("toJson").invoke(builder)).contains("\"enrollmentGroup\"");
        }
    }

    @Test
    void onlyTheEventDataFactoryNeedsTheSdk() throws Exception {
        try (URLClassLoader loader = withoutAzure()) {
            Class<?> factory = loader.loadClass(EventHubsEvents.class.getName());

            assertThatThrownBy(() -> factory.getMethods()).isInstanceOf(NoClassDefFoundError.class);
        }
    }
}
