package io.dpstwin.core.twins;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/** {@link DigitalTwinsGateways}: the stack's order (retry → rate limit → metrics → base) and its options. */
class DigitalTwinsGatewaysTest {

    private static final String MODEL = "dtmi:com:example:Device;1";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Micrometer's own log: it warns (once per registry, then at debug) when a meter is registered twice. */
    @RegisterExtension
    final LogCapture micrometerLog = LogCapture.of("io.micrometer", Level.DEBUG);
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
    void admitsEveryAttemptAndRetriesAClientSideRefusalWithinTheBudgetAfterItsBackoff() {
        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.builder().perTwinWritesPerSecond(2)
                .maxWait(Duration.ZERO).build());
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().retry(RetryBudget.allocation())
                .rateLimiters(limiters).meterRegistry(registry).sleeper(waits::add).decorate(fake);
        fake.failNext("createTwinIfAbsent", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));

        stack.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        AdtException rejected = catchThrowableOfType(AdtException.class, () -> stack.deleteTwin("dev-1", null));

        // both attempts of the create spent a permit of the twin (it spends ADT's quota twice); the delete found the
        // twin's limiter full on each of the budget's 3 attempts, waited the budget's backoff (200 ms, then 400 ms)
        // rather than the refusal's Retry-After in between, and was never sent
        assertThat(fake.calls("createTwinIfAbsent")).isEqualTo(2);
        assertThat(rejected.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
        assertThat(rejected.isTransient()).isTrue();
        assertThat(waits).hasSize(3);
        assertThat(waits.subList(1, 3)).allSatisfy(wait -> assertThat(wait).isLessThan(Duration.ofSeconds(1)));
        assertThat(fake.calls("deleteTwin")).isZero();
        assertThat(registry.find("dpstwin.adt.requests").tag("operation", "deleteTwin").timers()).isEmpty();
    }

    @Test
    void aThrottleOfTheServiceLowersTheAdaptiveAllowanceAndShowsItAsAGauge() {
        AtomicLong nanos = new AtomicLong();
        AdtRateLimiters limiters = new AdtRateLimiters(
                AdtRateLimits.builder().adaptive(true).createDeletesPerSecond(160).build(), nanos::get);
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().retry(RetryBudget.none()).rateLimiters(limiters)
                .meterRegistry(registry).decorate(fake);
        // a fresh limiter starts at its ceiling (it limits below it only after ADT's first 429)
        assertThat(allowedCreateDeletes()).isEqualTo(160.0);
        for (int i = 0; i < 20; i++) {
            stack.createTwinIfAbsent(DigitalTwin.of("dev-" + i, MODEL));
            nanos.addAndGet(Duration.ofMillis(7).toNanos());  // paced: one every 6.4 ms, nothing waits
        }
        nanos.set(AdtRateLimiters.WINDOW.toNanos() - 1);  // busy for a window (less a nanosecond)
        fake.failNext("createTwinIfAbsent", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down",
                Duration.ZERO, null));

        assertThatThrownBy(() -> stack.createTwinIfAbsent(DigitalTwin.of("dev-x", MODEL)))
                .isInstanceOf(AdtException.class);

        // 21 admitted in the window when the 429 came, 1 of them throttled: the allowance drops to 0.8 x the 20
        // that ADT accepted
        assertThat(allowedCreateDeletes()).isCloseTo(16.0, within(1e-6));
        assertThat(limiters.allowedCreateDeletesPerSecond()).isCloseTo(16.0, within(1e-6));
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        // idle, it resumes at the rate of the cut (it grows back once ADT stops answering 429, not in a burst)
        assertThat(allowedCreateDeletes()).isCloseTo(16.0, within(1e-6));
    }

    @Test
    void byDefaultTheLimitsAreStaticAndAThrottleOfTheServiceLeavesThemAsConfigured() {
        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.builder().createDeletesPerSecond(160).build());
        DigitalTwinsGateway stack = DigitalTwinsGateways.stack().retry(RetryBudget.none()).rateLimiters(limiters)
                .meterRegistry(registry).decorate(fake);
        fake.failNext("deleteTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down",
                Duration.ofMillis(500), null));

        assertThatThrownBy(() -> stack.deleteTwin("dev-1", null)).isInstanceOf(AdtException.class);

        assertThat(limiters.limits().adaptive()).isFalse();
        assertThat(allowedCreateDeletes()).as("an adaptive limiter would cut to 0.7 x its rate").isEqualTo(160.0);
    }

    @Test
    void theLimitersOfARebuiltStackReplaceTheEarlierOnesInTheGaugesWithoutAWarning() {
        AdtRateLimiters earlier = new AdtRateLimiters(AdtRateLimits.builder().createDeletesPerSecond(160).build());
        AdtRateLimiters rebuilt = new AdtRateLimiters(AdtRateLimits.builder().createDeletesPerSecond(90).build());

        earlier.bindTo(registry);
        rebuilt.bindTo(registry);
        earlier.bindTo(registry);  // bound before: nothing changes

        assertThat(allowedCreateDeletes()).isEqualTo(90.0);
        assertThat(registry.find(DpsTwinMeters.ADT_ALLOWED_RATE).gauges()).hasSize(5);
        assertThat(micrometerLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("already registered"));
    }

    @Test
    void theGaugesShowEachAllowanceAndHowManyInstancesShareTheLimits() {
        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.builder().createDeletesPerSecond(160).build(),
                InstanceRegistry.fixed(4));

        limiters.bindTo(registry);

        assertThat(registry.get(DpsTwinMeters.ADT_INSTANCES).gauge().value()).isEqualTo(4.0);
        assertThat(allowedCreateDeletes()).as("160 between 4").isEqualTo(40.0);
        new AdtRateLimiters(AdtRateLimits.defaults()).bindTo(registry);  // a rebuilt stack, alone
        assertThat(registry.find(DpsTwinMeters.ADT_INSTANCES).gauges()).hasSize(1);
        assertThat(registry.get(DpsTwinMeters.ADT_INSTANCES).gauge().value()).isEqualTo(1.0);
    }

    private double allowedCreateDeletes() {
        return registry.get(DpsTwinMeters.ADT_ALLOWED_RATE).tag("limit", "create-delete").gauge().value();
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
    void buildsTheSdkStackWithRetriesOutermost() {
        DigitalTwinsClient client = DigitalTwinsClients.create("https://example.api.weu.digitaltwins.azure.net",
                AdtWireMock.CREDENTIAL);

        DigitalTwinsGateway stack = DigitalTwinsGateways.sdk(client).retry(RetryBudget.allocation())
                .rateLimits(AdtRateLimits.defaults()).meterRegistry(registry).build();

        assertThat(stack).isInstanceOfSatisfying(RetryingDigitalTwinsGateway.class,
                retrying -> assertThat(retrying.delegate()).isInstanceOf(RateLimitedDigitalTwinsGateway.class));
    }

    @Test
    void needsABaseGateway() {
        assertThatThrownBy(() -> DigitalTwinsGateways.stack().build()).isInstanceOf(IllegalStateException.class);
    }
}
