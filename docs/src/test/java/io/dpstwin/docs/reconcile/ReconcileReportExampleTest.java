package io.dpstwin.docs.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.docs.retirement.Contoso;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.ManualClock;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.dpstwin.docs.retirement.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * reconciliation.md §7 shows the JSON report of an applied run ({@code reconcile/report.json}, included in the
 * Markdown). This test makes that run happen and compares what {@link ReconcileReport#toJson()} writes with it; only
 * the run id and the end of the run differ.
 */
class ReconcileReportExampleTest {

    static final String HUB = "contoso-hub-1.azure-devices.net";

    @Test
    void theReportInTheDocumentationIsWhatTheRunItDescribesWrites() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(AdtEngine.builder().clock(clock).build());
        adt.uploadModels(Contoso.MODELS);
        InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.builder().hubs(HUB).clock(clock).build();
        for (String id : new String[] {"thermostat-1", "thermostat-2"}) {
            hubs.add(HUB, id, Map.of("dtId", id, "dtmi", THERMOSTAT), null);
            adt.createOrReplaceTwin(DigitalTwin.of(id, THERMOSTAT));
        }
        hubs.add(HUB, "thermostat-42", Map.of("dtId", "thermostat-42", "dtmi", THERMOSTAT), null);
        hubs.add(HUB, "sensor-7", Map.of(), null);
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-17", THERMOSTAT));           // its device is gone
        clock.advance(Duration.ofHours(3));                                               // 13:00
        adt.createOrReplaceTwin(DigitalTwin.of("thermostat-99", THERMOSTAT));           // made by DPS just now
        clock.advance(Duration.ofSeconds(30));                                            // 13:00:30
        adt.engine().faults().throttle(1.0, Duration.ofSeconds(1), Duration.ofSeconds(1), AdtOperation.PUT_TWIN);
        DigitalTwinsGateway gateway = DigitalTwinsGateways.stack()
                .retry(RetryBudget.builder().maxAttempts(3).build())
                .sleeper(duration -> clock.advance(duration))
                .noRateLimits()
                .decorate(adt);
        Reconciler reconciler = Reconciler.builder(gateway, hubs)
                .options(ReconcileOptions.builder().deviceModels(THERMOSTAT).clock(clock).build())
                .build();

        ReconcileReport report = reconciler.run(false);

        ObjectMapper json = new ObjectMapper();
        JsonNode documented;
        try (InputStream in = getClass().getResourceAsStream("/reconcile/report.json")) {
            documented = json.readTree(in);
        }
        ObjectNode written = (ObjectNode) json.readTree(report.toJson());
        assertThat(UUID.fromString(written.get("runId").asText())).isNotNull();
        assertThat(Instant.parse(written.get("finishedAt").asText())).isAfterOrEqualTo(Instant.parse(
                written.get("startedAt").asText()));
        assertThat(written.get("durationMillis").asLong()).isNotNegative();
        for (String varying : new String[] {"runId", "finishedAt", "durationMillis"}) {
            written.set(varying, documented.get(varying));
        }
        assertThat(written).isEqualTo(documented);
    }
}
