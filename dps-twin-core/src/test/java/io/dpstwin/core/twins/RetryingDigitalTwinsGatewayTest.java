package io.dpstwin.core.twins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link RetryingDigitalTwinsGateway} over the hand fake, with a fake monotonic clock that only the sleeper
 * advances: which failures are retried, how long it waits, and where the budget stops it.
 */
class RetryingDigitalTwinsGatewayTest {

    private static final String MODEL = "dtmi:com:example:Device;1";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> waits = new ArrayList<>();

    private RetryingDigitalTwinsGateway retrying(RetryBudget budget) {
        return new RetryingDigitalTwinsGateway(fake, budget, duration -> {
            waits.add(duration);
            nanos.addAndGet(duration.toNanos());
        }, nanos::get);
    }

    private static AdtException throttled(Duration retryAfter) {
        return new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down", retryAfter, null);
    }

    private static AdtException unavailable() {
        return new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy");
    }

    @BeforeEach
    void seed() {
        fake.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
    }

    @Test
    void retriesATransientFailureAndReturnsTheAnswer() {
        fake.failNext("getTwin", unavailable());
        fake.failNext("getTwin", new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR, "reset"));

        assertThat(retrying(RetryBudget.lifecycle()).getTwin("dev-1")).isPresent();

        assertThat(fake.calls("getTwin")).isEqualTo(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void waitsWhatRetryAfterAsksFor() {
        fake.failNext("createTwinIfAbsent", throttled(Duration.ofSeconds(2)));

        retrying(RetryBudget.lifecycle()).createTwinIfAbsent(DigitalTwin.of("dev-2", MODEL));

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(fake.twinCount()).isEqualTo(2);
    }

    @Test
    void capsRetryAfterAtMaxRetryAfter() {
        fake.failNext("getTwin", throttled(Duration.ofSeconds(40)));
        RetryBudget budget = RetryBudget.builder().maxRetryAfter(Duration.ofSeconds(3)).build();

        retrying(budget).getTwin("dev-1");

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aZeroRetryAfterFallsBackToBackoff() {
        fake.failNext("getTwin", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy", Duration.ZERO, null));
        RetryBudget budget = RetryBudget.builder().initialBackoff(Duration.ofMillis(400)).build();

        retrying(budget).getTwin("dev-1");

        assertThat(waits).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofMillis(200), Duration.ofMillis(600)));
    }

    @Test
    void backsOffExponentiallyWithJitterUpToMaxBackoff() {
        for (int i = 0; i < 5; i++) {
            fake.failNext("getTwin", unavailable());
        }
        RetryBudget budget = RetryBudget.builder().maxAttempts(6).initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(400)).maxTotalTime(Duration.ofMinutes(1)).build();

        retrying(budget).getTwin("dev-1");

        assertThat(waits).hasSize(5);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(waits.subList(3, 5)).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(400)));
    }

    @Test
    void stopsAfterMaxAttemptsAndRethrowsTheLastFailure() {
        AdtException last = new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "third");
        fake.failNext("deleteTwin", unavailable());
        fake.failNext("deleteTwin", unavailable());
        fake.failNext("deleteTwin", last);
        fake.failNext("deleteTwin", unavailable());

        Throwable thrown = catchThrowable(() -> retrying(RetryBudget.allocation()).deleteTwin("dev-1", null));

        assertThat(thrown).isSameAs(last);
        assertThat(fake.calls("deleteTwin")).isEqualTo(3);
        assertThat(fake.twinCount()).isEqualTo(1);
    }

    @Test
    void givesUpWhenRetryAfterExceedsTheRemainingBudget() {
        AdtException second = throttled(Duration.ofSeconds(4));
        fake.failNext("getTwin", throttled(Duration.ofSeconds(4)));
        fake.failNext("getTwin", second);
        RetryBudget budget = RetryBudget.builder().maxAttempts(8).maxTotalTime(Duration.ofSeconds(5))
                .maxRetryAfter(Duration.ofSeconds(10)).build();

        Throwable thrown = catchThrowable(() -> retrying(budget).getTwin("dev-1"));

        assertThat(thrown).isSameAs(second);
        assertThat(waits).containsExactly(Duration.ofSeconds(4));
        assertThat(fake.calls("getTwin")).isEqualTo(2);
    }

    @Test
    void countsTheTimeAttemptsTakeAgainstTheBudget() {
        DigitalTwinsGateway slowFailing = new HandFakeGateway() {
            @Override
            public java.util.Optional<DigitalTwin> getTwin(String twinId) {
                nanos.addAndGet(Duration.ofSeconds(3).toNanos());
                throw new AdtException(0, AdtErrorCodes.TIMEOUT, "no answer in time");
            }
        };
        RetryBudget budget = RetryBudget.builder().maxTotalTime(Duration.ofSeconds(5))
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(200)).build();
        RetryingDigitalTwinsGateway gateway = new RetryingDigitalTwinsGateway(slowFailing, budget, duration -> {
            waits.add(duration);
            nanos.addAndGet(duration.toNanos());
        }, nanos::get);

        assertThatThrownBy(() -> gateway.getTwin("dev-1")).isInstanceOf(AdtException.class);

        assertThat(waits).hasSize(1);
    }

    @Test
    void neverRetriesPermanentFailures() {
        fake.failNext("createTwinIfAbsent", new AdtException(400, AdtErrorCodes.VALIDATION_FAILED, "invalid"));
        fake.failNext("getModel", new AdtException(401, AdtErrorCodes.UNKNOWN, "unauthorized"));
        RetryingDigitalTwinsGateway gateway = retrying(RetryBudget.lifecycle());

        assertThatThrownBy(() -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-2", MODEL)))
                .isInstanceOf(AdtException.class).hasMessage("invalid");
        assertThatThrownBy(() -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> gateway.getModel("dtmi:a:B;1")).isInstanceOf(AdtException.class);
        assertThatThrownBy(() -> gateway.deleteRelationship("dev-1", "none", null))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.statusCode()).isEqualTo(404));

        assertThat(waits).isEmpty();
        assertThat(fake.calls("createTwinIfAbsent")).isEqualTo(3);
        assertThat(fake.calls("getModel")).isEqualTo(1);
    }

    @Test
    void neverRetriesProgrammingErrors() {
        fake.failNext("updateTwin", new IllegalArgumentException("bad patch"));

        assertThatThrownBy(() -> retrying(RetryBudget.lifecycle()).updateTwin("dev-1", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(fake.calls("updateTwin")).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitEndsTheCallAndKeepsTheInterrupt() {
        AdtException failure = unavailable();
        fake.failNext("listRelationships", failure);
        RetryingDigitalTwinsGateway gateway = new RetryingDigitalTwinsGateway(fake, RetryBudget.lifecycle(),
                duration -> {
                    throw new InterruptedException("shutdown");
                }, nanos::get);

        try {
            assertThat(catchThrowable(() -> gateway.listRelationships("dev-1", null))).isSameAs(failure);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(fake.calls("listRelationships")).isEqualTo(1);
    }

    @Test
    void retriesEveryOperation() {
        RetryingDigitalTwinsGateway gateway = retrying(RetryBudget.lifecycle());
        for (String operation : List.of("createOrReplaceTwin", "createRelationshipIfAbsent",
                "createOrReplaceRelationship", "getRelationship", "listIncomingRelationships", "query",
                "createModels", "updateTwin")) {
            fake.failNext(operation, unavailable());
        }

        gateway.createOrReplaceTwin(DigitalTwin.of("gw-1", MODEL));
        gateway.createRelationshipIfAbsent(Relationship.of("r1", "dev-1", "gw-1", "connectedTo"));
        gateway.createOrReplaceRelationship(Relationship.of("r1", "dev-1", "gw-1", "connectedTo"));
        assertThat(gateway.getRelationship("dev-1", "r1")).isPresent();
        assertThat(gateway.listIncomingRelationships("gw-1")).hasSize(1);
        // the hand fake evaluates no queries: the retry reaches it and gets its refusal
        assertThatThrownBy(() -> gateway.query("SELECT * FROM DIGITALTWINS", null))
                .isInstanceOf(UnsupportedOperationException.class);
        gateway.createModels(List.of("{\"@id\":\"dtmi:a:B;1\"}"));
        gateway.updateTwin("dev-1", List.of(JsonPatchOperation.add("/x", 1)), null);

        assertThat(waits).hasSize(8);
        assertThat(fake.calls("query")).isEqualTo(2);
    }

    @Test
    void aBudgetOfOneAttemptNeverRetries() {
        fake.failNext("getTwin", unavailable());

        assertThatThrownBy(() -> retrying(RetryBudget.none()).getTwin("dev-1")).isInstanceOf(AdtException.class);

        assertThat(fake.calls("getTwin")).isEqualTo(1);
    }

    @Test
    void presetsMatchTheirPurpose() {
        assertThat(RetryBudget.allocation().maxAttempts()).isEqualTo(3);
        assertThat(RetryBudget.allocation().maxTotalTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryBudget.lifecycle().maxAttempts()).isEqualTo(8);
        assertThat(RetryBudget.lifecycle().maxTotalTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryBudget.allocation().toBuilder().maxAttempts(4).build().maxTotalTime())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsABudgetThatCannotWork() {
        assertThatThrownBy(() -> RetryBudget.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryBudget.builder().initialBackoff(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryBudget.builder().maxTotalTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryBudget.builder().initialBackoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(1)).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
