package io.dpstwin.core.allocation;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

class AllocationMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandFakeGateway adt = new HandFakeGateway();
    private final DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults(), registry);

    private double count(String outcome, String reason) {
        Counter counter = registry.find(DpsTwinMeters.ALLOCATIONS)
                .tag("outcome", outcome).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Each {@code outcome/reason} was counted once. */
    private void assertCountedOnce(String... outcomeAndReason) {
        for (String pair : outcomeAndReason) {
            String[] tags = pair.split("/");
            assertThat(count(tags[0], tags[1])).as(pair).isEqualTo(1);
        }
    }

    @Test
    void countsEveryOutcomeWithAStableReason() {
        handler.handle(text(group("dev-1", THERMOSTAT)));
        handler.handle(text(group("dev-1", THERMOSTAT)));
        handler.handle(text(group("Dev-2", THERMOSTAT)));
        handler.handle(new byte[96 * 1024 + 1]);
        adt.failNext("getTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down"));
        handler.handle(text(group("dev-3", THERMOSTAT)));
        adt.failNext("getTwin", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));
        handler.handle(text(group("dev-3", THERMOSTAT)));
        adt.failNext("getTwin", new IllegalStateException("bug"));
        handler.handle(text(group("dev-3", THERMOSTAT)));

        assertCountedOnce("allocated/created", "allocated/found", "rejected/invalid_registration_id",
                "too_large/body_too_large", "throttled/adt_throttled", "unavailable/adt_unavailable",
                "unavailable/internal_error");
    }

    @Test
    void timesEveryRequestByOutcome() {
        handler.handle(text(group("dev-1", THERMOSTAT)));
        handler.handle("{}");

        Timer allocated = registry.find(DpsTwinMeters.ALLOCATION_DURATION).tag("outcome", "allocated").timer();
        Timer rejected = registry.find(DpsTwinMeters.ALLOCATION_DURATION).tag("outcome", "rejected").timer();
        assertThat(allocated).isNotNull();
        assertThat(allocated.count()).isEqualTo(1);
        assertThat(rejected).isNotNull();
        assertThat(rejected.count()).isEqualTo(1);
    }

    @Test
    void reasonTagsAreSnakeCaseCodes() {
        assertThat(AllocationErrorCodes.toReasonTag(AllocationErrorCodes.INVALID_REGISTRATION_ID))
                .isEqualTo("invalid_registration_id");
        assertThat(AllocationErrorCodes.toReasonTag(AllocationErrorCodes.NO_MODEL)).isEqualTo("no_model");
        assertThat(AllocationErrorCodes.toReasonTag("DeviceBlocked")).isEqualTo("device_blocked");
    }
}
