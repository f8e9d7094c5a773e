package io.dpstwin.spring.reconcile;

import io.dpstwin.core.testing.BlockingInventory;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.HTTP;
import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.JSON;
import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.awaitIdle;
import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.send;
import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run held in the middle of its listing (the inventory stops after one device until the test lets it go): reading
 * the endpoint answers at once with the run's progress, and a second start is refused.
 */
@SpringBootTest(classes = ReconcileEndpointLongRunHttpTest.LongRunApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "dps-twin.webhook.keys=test-key",
                "dps-twin.reconcile.device-models=" + THERMOSTAT,
                "management.endpoints.web.exposure.include=dpstwinreconcile"})
class ReconcileEndpointLongRunHttpTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReconcileFixtureBeans.class)
    static class LongRunApplication {

        @Bean
        BlockingInventory heldInventory(ReconcileFixture fixture) {
            return new BlockingInventory(fixture.hubs, 1);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    BlockingInventory held;

    @Test
    void whileARunIsInProgressGetAnswersWithinASecondShowingItsProgressAndASecondPostIsRefused() throws Exception {
        assertThat(send(port, "POST", "{}").statusCode()).isEqualTo(202);
        assertThat(held.listing.await(10, TimeUnit.SECONDS)).as("the run is listing").isTrue();
        try {
            // The run cannot finish until released: an answer at all shows that reading never waits for it.
            HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/dpstwinreconcile"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            JsonNode state = JSON.readTree(status.body());
            assertThat(state.path("running").asBoolean(false)).isTrue();
            assertThat(state.path("progress").path("phase").asText()).isEqualTo("listing");
            assertThat(state.path("progress").path("devicesListed").asInt()).isEqualTo(1);
            assertThat(state.path("progress").path("dryRun").asBoolean(false)).isTrue();

            HttpResponse<String> second = send(port, "POST", "{}");
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(second.body()).path("error").path("code").asText())
                    .isEqualTo("ReconcileInProgress");
        } finally {
            held.release.countDown();
        }
        JsonNode done = awaitIdle(port);
        assertThat(done.path("lastReport").path("status").asText()).isEqualTo("ok");
        assertThat(done.path("lastReport").path("counts").path("devices").asInt()).isEqualTo(2);
    }
}
