package io.dpstwin.docs.readme;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring Boot example: an application with the starter and exactly the README's YAML
 * ({@code readme/application.yaml}) serves the DPS webhook and the Event Grid endpoint at the documented paths. The
 * application's own {@link DigitalTwinsClient} (the testkit's HTTPS emulator) stands in for Azure.
 */
@SpringBootTest(classes = ReadmeSpringTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.location=classpath:readme/application.yaml",
                "DPSTWIN_WEBHOOK_KEYS=readme-key"})
class ReadmeSpringTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    AdtEmulator adt;

    @Test
    void theDocumentedEndpointsProvisionAndRetireADevice() throws Exception {
        HttpResponse<String> allocated = allocate("readme-key", "dev-7");

        assertThat(allocated.statusCode()).isEqualTo(200);
        assertThat(allocated.body()).contains("\"iotHubHostName\":\"hub-a.azure-devices.net\"");
        assertThat(adt.engine().twinCount()).isEqualTo(1);

        HttpResponse<String> retired = post("/api/iothub/events?code=readme-key",
                EventGridEvents.toJson(IotHubEvents.deviceDeleted("hub-a", "dev-7")),
                EventGridEvents.notificationHeaders());

        assertThat(retired.statusCode()).isEqualTo(200);
        assertThat(adt.engine().twinCount()).isZero();
    }

    @Test
    void aCallerWithoutTheKeyIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> refused = allocate("wrong-key", "dev-8");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(adt.engine().twinCount()).isZero();
    }

    /** A DPS allocation request for {@code registrationId} of group thermostats, linked to hub-a, with {@code key}. */
    private HttpResponse<String> allocate(String key, String registrationId) throws Exception {
        String register = DpsRequests.group("thermostats").registrationId(registrationId)
                .linkedHubs("hub-a.azure-devices.net").withoutPayload().toJson();
        return post("/api/dps/allocate?code=" + key, register, Map.of());
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean(destroyMethod = "close")
        AdtEmulator adtEmulator() {
            return AdtEmulator.builder().modelResources("readme/Thermostat.json").start();
        }

        @Bean
        DigitalTwinsClient digitalTwinsClient(AdtEmulator emulator) {
            return emulator.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries()).buildClient();
        }
    }
}
