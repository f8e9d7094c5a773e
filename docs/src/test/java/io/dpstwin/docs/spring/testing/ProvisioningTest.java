package io.dpstwin.docs.spring.testing;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

// tag::provisioning-test[]
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "dps-twin.webhook.keys=test-key")
class ProvisioningTest {

    @TestConfiguration
    static class Adt {
        @Bean(destroyMethod = "close")
        AdtEmulator adtEmulator() {
            return AdtEmulator.builder().modelResources("models/Thermostat.json").start();
        }

        @Bean
        DigitalTwinsClient digitalTwinsClient(AdtEmulator emulator) {
            return emulator.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries()).buildClient();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    AdtEmulator adt;

    @Test
    void aRegisteringDeviceGetsATwin() throws Exception {
        String body = DpsRequests.group("thermostats").registrationId("dev-1")
                .modelId("dtmi:contosocom:DigitalTwins:Thermostat;1").toJson();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/dps/allocate?code=test-key"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(adt.engine().twinIds()).containsExactly("dev-1");
    }
}
// end::provisioning-test[]
