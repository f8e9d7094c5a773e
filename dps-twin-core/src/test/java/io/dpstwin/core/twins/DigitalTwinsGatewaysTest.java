package io.dpstwin.core.twins;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link DigitalTwinsGateways}: the stack's order (rate limit → retry → metrics → base) and its options. */
class DigitalTwinsGatewaysTest {

    private static final String MODEL = "dtmi:com:example:Device;1";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> waits = new ArrayList<>();

    private long count(String operation, String status) {
        return MeteredDigitalTwinsGatewayTest.requests(registry, operation, status);
    }

    @Test
    void metersEveryAttemptInsideTheRetries() {
        fake.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        fake.failNext("getTwin", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));
        fake.failNext("getTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down",
                Duration.ofMillis(300), null));
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().retry(RetryBudget.lifecycle())
                .meterRegistry(registry).sleeper(waits::add).decorate(fake);

        assertThat(stack.getTwin("dev-1")).isPresent();

        assertThat(count("getTwin", "503")).isEqualTo(1);
        assertThat(count("getTwin", "429")).isEqualTo(1);
        assertThat(count("getTwin", "200")).isEqualTo(1);
        assertThat(waits).hasSize(2).endsWith(Duration.ofMillis(300));
    }

    @Test
    void admitsACallOnceBeforeRetryingAndMetering() {
        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.builder().perTwinWritesPerSecond(1)
                .maxWait(Duration.ZERO).build());
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().rateLimiters(limiters).meterRegistry(registry)
                .sleeper(waits::add).decorate(fake);
        fake.failNext("createTwinIfAbsent", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));

        stack.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        AdtException rejected = catchThrowableOfType(AdtException.class, () -> stack.deleteTwin("dev-1", null));

        // the retry of the create was not charged again; the rejected delete was neither retried nor sent
        assertThat(fake.calls("createTwinIfAbsent")).isEqualTo(2);
        assertThat(rejected.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
        assertThat(waits).hasSize(1);
        assertThat(fake.calls("deleteTwin")).isZero();
        assertThat(registry.find("dpstwin.adt.requests").tag("operation", "deleteTwin").timers()).isEmpty();
    }

    @Test
    void canLeaveRateLimitsOut() {
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().noRateLimits().meterRegistry(registry)
                .decorate(fake);

        assertThat(stack).isInstanceOf(RetryingDigitalTwinsGateway.class);
        for (int i = 0; i < 30; i++) {
            stack.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        }
        assertThat(count("createOrReplaceTwin", "200")).isEqualTo(30);
    }

    @Test
    void buildsTheSdkStackWithRateLimitsOutermost() {
        DigitalTwinsClient client = DigitalTwinsClients.create("https://example.api.weu.digitaltwins.azure.net",
                AdtWireMock.CREDENTIAL);

        DigitalTwinsGateway stack = DigitalTwinsGateways.sdk(client).retry(RetryBudget.allocation())
                .rateLimits(AdtRateLimits.defaults()).meterRegistry(registry).build();

        assertThat(stack).isInstanceOf(RateLimitedDigitalTwinsGateway.class);
    }

    @Test
    void needsABaseGateway() {
        assertThatThrownBy(() -> DigitalTwinsGateways.stack().build()).isInstanceOf(IllegalStateException.class);
    }
}
