package io.dpstwin.core;

import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.support.HostExecutor;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DpsTwin.Builder#executor}: the host's executor reaches the retire flow and the reconciler. */
class DpsTwinExecutorTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    /** A device deletion as IoT Hub routes it to Event Hubs. */
    private static ParsedEvent deletion(String deviceId) {
        return new EventHubsLifecycleParser().parse(
                Map.of("iothub-message-schema", "deviceLifecycleNotification", "opType", "deleteDeviceIdentity",
                        "hubName", "hub-a", "deviceId", deviceId, "operationTimestamp", "2026-11-26T10:15:30Z"),
                Map.of("iothub-connection-device-id", deviceId, "iothub-message-source", "deviceLifecycleEvents"),
                "{\"deviceId\":\"" + deviceId + "\",\"version\":2}");
    }

    @Test
    void theHostsExecutorRunsTheRetireFlowAndTheReconcilerAndOutlivesDpsTwin() throws Exception {
        HandFakeGateway adt = new HandFakeGateway();
        adt.createTwinIfAbsent(DigitalTwin.of("dev-1", THERMOSTAT));
        try (HostExecutor host = new HostExecutor()) {
            try (DpsTwin dpsTwin = DpsTwin.builder()
                    .gateway(adt)
                    .noRateLimits()
                    .defaultModelId(THERMOSTAT)
                    .deviceInventory(DpsTwinReconcilerTest.inventory("dev-2"))
                    .executor(host)
                    .build()) {

                assertThat(dpsTwin.lifecycle().process(List.of(deletion("dev-1")))
                        .count(LifecycleOutcome.RETIRED)).isEqualTo(1);
                int afterLifecycle = host.tasks();
                // the twins' query fails at once: only the listing of the devices matters here
                adt.failNext("query", new AdtException(403, "Forbidden", "no data reader role"));
                dpsTwin.reconciler().orElseThrow().run(true);

                assertThat(afterLifecycle).isEqualTo(1);
                // the reconciler listed the inventory's hub on the host's executor
                assertThat(host.tasks()).isGreaterThan(afterLifecycle);
            }
            assertThat(host.isShutdown()).isFalse();
            assertThat(host.stillRuns()).isTrue();
        }
    }
}
