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
import static org.awaitility.Awaitility.await;

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
    @Autowired
    ReconcileRunner runner;

    @Test
    void postStartsADryRunAnswering202AndGetThenShowsItsProgressAndReport() throws Exception {
        HttpResponse<String> started = send(port, "POST", "{}");

        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(started.body());
        assertThat(accepted.path("dryRun").asBoolean(false)).isTrue();
        assertThat(accepted.path("location").asText()).isEqualTo("/actuator/dpstwinreconcile");
        JsonNode state = awaitIdle(port);
        JsonNode report = state.path("lastReport");
        assertThat(report.path("dryRun").asBoolean(false)).isTrue();
        assertThat(report.path("status").asText()).isEqualTo("ok");
        assertThat(report.path("hubs").get(0).asText()).isEqualTo(ReconcileFixture.HUB);
        assertThat(report.path("counts").path("orphans").asInt()).isEqualTo(1);
        assertThat(report.path("counts").path("missing").asInt()).isEqualTo(1);
        assertThat(report.path("orphans").get(0).path("twinId").asText()).isEqualTo(ORPHAN);
        assertThat(report.path("missing").get(0).path("deviceId").asText()).isEqualTo(MISSING);
        assertThat(report.path("planned")).hasSize(2);
        assertThat(report.path("applied")).isEmpty();
        assertThat(state.path("progress").path("phase").asText()).isEqualTo("done");
        assertThat(state.path("progress").path("runId").asText()).isEqualTo(report.path("runId").asText());
        assertThat(state.path("progress").path("devicesListed").asInt()).isEqualTo(2);
        assertThat(state.path("progress").path("actionsPlanned").asInt()).isEqualTo(2);
        assertThat(fixture.twinExists(ORPHAN)).as("a dry run changes nothing").isTrue();
        assertThat(fixture.twinExists(MISSING)).isFalse();
    }

    @Test
    void getStartsNothing() throws Exception {
        String before = runner.lastReport().map(r -> r.runId()).orElse("none");

        HttpResponse<String> answer = send(port, "GET", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("json"));
        JsonNode state = JSON.readTree(answer.body());
        assertThat(state.path("running").asBoolean(true)).isFalse();
        assertThat(state.path("applyAllowed").asBoolean(true)).isFalse();
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.lastReport().map(r -> r.runId()).orElse("none")).as("no run started").isEqualTo(before);
    }

    @Test
    void postWithApplyIsRefusedByDefaultAndChangesNothing() throws Exception {
        HttpResponse<String> answer = send(port, "POST", "{\"apply\": true}");

        assertThat(answer.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("ApplyNotAllowed");
        assertThat(error.path("message").asText()).contains("dps-twin.reconcile.endpoint.allow-apply=true");
        assertThat(runner.isRunning()).isFalse();
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

    /** GETs the endpoint until no run is in progress and a report is there; returns that state. */
    static JsonNode awaitIdle(int port) {
        JsonNode[] state = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            HttpResponse<String> answer = send(port, "GET", null);
            assertThat(answer.statusCode()).isEqualTo(200);
            state[0] = JSON.readTree(answer.body());
            assertThat(state[0].path("running").asBoolean(true)).isFalse();
            assertThat(state[0].path("lastReport").isObject()).isTrue();
        });
        return state[0];
    }

    static HttpResponse<String> send(int port, String method, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/dpstwinreconcile"))
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
