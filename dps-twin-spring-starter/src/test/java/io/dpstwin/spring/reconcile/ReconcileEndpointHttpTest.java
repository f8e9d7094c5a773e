package io.dpstwin.spring.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.dpstwin.spring.reconcile.ReconcileFixture.MISSING;
import static io.dpstwin.spring.reconcile.ReconcileFixture.ORPHAN;
import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/** The actuator endpoint over real HTTP, with the defaults: dry runs only. */
@SpringBootTest(classes = ReconcileTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "dps-twin.webhook.keys=test-key",
                "dps-twin.reconcile.device-models=" + THERMOSTAT,
                "management.endpoints.web.exposure.include=health,dpstwinreconcile"})
class ReconcileEndpointHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;
    @Autowired
    ReconcileFixture fixture;

    @Test
    void getRunsADryRunAndAnswersWithTheReportAsJson() throws Exception {
        HttpResponse<String> answer = send(port, "GET");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("json"));
        JsonNode report = JSON.readTree(answer.body());
        assertThat(report.path("dryRun").asBoolean(false)).isTrue();
        assertThat(report.path("status").asText()).isEqualTo("ok");
        assertThat(report.path("hubs").get(0).asText()).isEqualTo(ReconcileFixture.HUB);
        assertThat(report.path("counts").path("orphans").asInt()).isEqualTo(1);
        assertThat(report.path("counts").path("missing").asInt()).isEqualTo(1);
        assertThat(report.path("orphans").get(0).path("twinId").asText()).isEqualTo(ORPHAN);
        assertThat(report.path("missing").get(0).path("deviceId").asText()).isEqualTo(MISSING);
        assertThat(report.path("planned")).hasSize(2);
        assertThat(report.path("applied")).isEmpty();
        assertThat(fixture.twinExists(ORPHAN)).as("a dry run changes nothing").isTrue();
        assertThat(fixture.twinExists(MISSING)).isFalse();
    }

    @Test
    void postIsRefusedByDefaultAndChangesNothing() throws Exception {
        HttpResponse<String> answer = send(port, "POST");

        assertThat(answer.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("ApplyNotAllowed");
        assertThat(error.path("message").asText()).contains("dps-twin.reconcile.endpoint.allow-apply=true");
        assertThat(fixture.twinExists(ORPHAN)).isTrue();
        assertThat(fixture.twinExists(MISSING)).isFalse();
    }

    @Test
    void theActuatorIndexLinksTheEndpoint() throws Exception {
        HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(index.body()).path("_links").path("dpstwinreconcile").path("href").asText())
                .endsWith("/actuator/dpstwinreconcile");
    }

    static HttpResponse<String> send(int port, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/dpstwinreconcile"))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
