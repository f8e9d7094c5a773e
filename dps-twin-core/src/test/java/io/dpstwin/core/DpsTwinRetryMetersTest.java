package io.dpstwin.core;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** resilience4j-micrometer's retry meters of every flow, on the registry {@link DpsTwin} is given. */
class DpsTwinRetryMetersTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    @Test
    void aThrottledTwinCreationRetriedByTheAllocationFlowShowsInResilience4jsRetryCallsOfThatFlow() {
        HandFakeGateway adt = new HandFakeGateway();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        adt.failNext("createTwinIfAbsent", new AdtException(429, "TooManyRequests", "slow down",
                Duration.ofMillis(1), null));
        try (DpsTwin dpsTwin = DpsTwin.builder().gateway(adt).noRateLimits().meterRegistry(meters).build()) {
            WebhookResponse answer = dpsTwin.allocation().handle("{\"deviceRuntimeContext\":{\"registrationId\":"
                    + "\"dev-1\",\"symmetricKey\":{},\"payload\":{\"modelId\":\"" + THERMOSTAT + "\"}},"
                    + "\"linkedHubs\":[\"hub-a.azure-devices.net\"],\"individualEnrollment\":{\"registrationId\":"
                    + "\"dev-1\"}}");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(adt.calls("createTwinIfAbsent")).isEqualTo(2);
            assertThat(meters.get("resilience4j.retry.calls").tag("name", "adt.allocation")
                    .tag("kind", "successful_with_retry").functionCounter().count()).isEqualTo(1.0);
            assertThat(meters.get("resilience4j.retry.calls").tag("name", "adt.allocation")
                    .tag("kind", "successful_without_retry").functionCounter().count())
                    .as("the first registration's GET").isEqualTo(1.0);
            // the retire flow, built on first use, counts its ADT calls apart, and saw nothing
            dpsTwin.lifecycle();
            assertThat(meters.get("resilience4j.retry.calls").tag("name", "adt.lifecycle")
                    .tag("kind", "successful_without_retry").functionCounter().count()).isZero();
            assertThat(meters.get(DpsTwinMeters.RETRY_RETRIES).tag("retry", "adt").tag("failure", "429").counter()
                    .count()).isEqualTo(1.0);
        }
    }
}
