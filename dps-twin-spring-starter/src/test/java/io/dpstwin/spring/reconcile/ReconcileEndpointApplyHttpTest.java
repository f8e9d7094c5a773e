package io.dpstwin.spring.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;

import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.JSON;
import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.awaitIdle;
import static io.dpstwin.spring.reconcile.ReconcileEndpointHttpTest.send;
import static io.dpstwin.spring.reconcile.ReconcileFixture.MISSING;
import static io.dpstwin.spring.reconcile.ReconcileFixture.ORPHAN;
import static io.dpstwin.spring.reconcile.ReconcileFixture.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/** The actuator endpoint over real HTTP with {@code dps-twin.reconcile.endpoint.allow-apply=true}. */
@SpringBootTest(classes = ReconcileTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "dps-twin.webhook.keys=test-key",
                "dps-twin.reconcile.device-models=" + THERMOSTAT,
                "dps-twin.reconcile.endpoint.allow-apply=true",
                "management.endpoints.web.exposure.include=dpstwinreconcile"})
class ReconcileEndpointApplyHttpTest {

    @LocalServerPort
    int port;
    @Autowired
    ReconcileFixture fixture;

    @Test
    void postWithApplyRepairsTheDriftWhenAllowedAndTheNextDryRunFindsNone() throws Exception {
        HttpResponse<String> applied = send(port, "POST", "{\"apply\": true}");

        assertThat(applied.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(applied.body()).path("dryRun").asBoolean(true)).isFalse();
        JsonNode report = awaitIdle(port).path("lastReport");
        assertThat(report.path("dryRun").asBoolean(true)).isFalse();
        assertThat(report.path("status").asText()).isEqualTo("ok");
        assertThat(report.path("counts").path("outcomes").path("retired").asInt()).isEqualTo(1);
        assertThat(report.path("counts").path("outcomes").path("created").asInt()).isEqualTo(1);
        assertThat(fixture.twinExists(ORPHAN)).isFalse();
        assertThat(fixture.twinExists(MISSING)).isTrue();

        assertThat(send(port, "POST", "{}").statusCode()).isEqualTo(202);
        JsonNode again = awaitIdle(port).path("lastReport");
        assertThat(again.path("runId").asText()).isNotEqualTo(report.path("runId").asText());
        assertThat(again.path("counts").path("orphans").asInt()).isZero();
        assertThat(again.path("counts").path("missing").asInt()).isZero();
        assertThat(again.path("planned")).isEmpty();
    }
}
