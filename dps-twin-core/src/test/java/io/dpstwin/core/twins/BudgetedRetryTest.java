package io.dpstwin.core.twins;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.LogCapture;
import io.dpstwin.core.internal.twins.BudgetedRetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetedRetryTest {

    /** Micrometer's own log: it warns (once per registry, then at debug) when a meter is registered twice. */
    @RegisterExtension
    final LogCapture micrometerLog = LogCapture.of("io.micrometer", Level.DEBUG);

    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /**
     * The last retry built: Micrometer's function counters hold what they read weakly, so resilience4j's meters read
     * a retry only while it is alive, as the flows keep theirs.
     */
    private BudgetedRetry built;

    /** Retries {@link Busy}; sleeping advances the clock by the slept time. */
    private BudgetedRetry retry(RetryBudget budget) {
        built = BudgetedRetry.builder("test", budget)
                .retryOn(failure -> failure instanceof Busy)
                .retryAfter(failure -> failure instanceof Busy busy ? Optional.ofNullable(busy.retryAfter)
                        : Optional.empty())
                .failureTag(failure -> failure.getClass().getSimpleName().toLowerCase())
                .sleeper(duration -> {
                    sleeps.add(duration);
                    nanos.addAndGet(duration.toNanos());
                })
                .nanoTime(nanos::get)
                .meterRegistry(meters)
                .flow("testing")
                .build();
        return built;
    }

    private static RetryBudget budget(int attempts, Duration total) {
        return RetryBudget.builder().maxAttempts(attempts).maxTotalTime(total)
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
                .maxRetryAfter(Duration.ofSeconds(5)).build();
    }

    /** dps-twin's count of the runs resilience4j does not see end. */
    private double calls(String outcome) {
        var counter = meters.find(DpsTwinMeters.RETRY_CALLS).tag("retry", "test").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** resilience4j-micrometer's {@code resilience4j.retry.calls} of kind {@code kind}: name, then flow. */
    private double resilience4jCalls(String kind) {
        return meters.get("resilience4j.retry.calls").tag("name", "test.testing").tag("kind", kind)
                .functionCounter().count();
    }

    /** The four kinds of resilience4j's meter, in the order successful without/with retry, failed without/with. */
    private List<Double> resilience4jCalls() {
        return List.of(resilience4jCalls("successful_without_retry"), resilience4jCalls("successful_with_retry"),
                resilience4jCalls("failed_without_retry"), resilience4jCalls("failed_with_retry"));
    }

    @Test
    void aFirstSuccessIsNotRetried() {
        BudgetedRetry.Outcome<String> outcome = retry(budget(3, Duration.ofSeconds(10))).run(attempt -> "ok");

        assertThat(outcome).isEqualTo(new BudgetedRetry.Succeeded<>("ok", 1));
        assertThat(sleeps).isEmpty();
        assertThat(resilience4jCalls("successful_without_retry")).isEqualTo(1.0);
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "test.testing").meters())
                .as("no resilience4j Retry is made until a run fails, so only this kind exists").hasSize(1);
        assertThat(meters.find(DpsTwinMeters.RETRY_CALLS).meters()).as("counted once, in resilience4j's meter")
                .isEmpty();
    }

    @Test
    void theSuccessfulWithoutRetryKindExistsFromTheStartAndKeepsCountingOnceAFailureBoundResilience4j() {
        BudgetedRetry retry = retry(budget(3, Duration.ofSeconds(10)));
        assertThat(resilience4jCalls("successful_without_retry")).isZero();

        retry.run(attempt -> "ok");
        retry.run(failOnce());
        retry.run(attempt -> "ok");
        retry.run(attempt -> "ok");

        assertThat(resilience4jCalls()).containsExactly(3.0, 1.0, 0.0, 0.0);
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "test.testing").functionCounters()).hasSize(4);
    }

    @Test
    void bindingResilience4jsMetersOnTheFirstFailureRegistersNoMeterTwice() {
        BudgetedRetry retry = retry(budget(3, Duration.ofSeconds(10)));

        retry.run(attempt -> "ok");
        retry.run(failOnce());
        retry.run(failOnce());

        assertThat(micrometerLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("already registered"));
        assertThat(resilience4jCalls()).containsExactly(1.0, 2.0, 0.0, 0.0);
    }

    @Test
    void retryableFailuresAreRetriedWithBackoffUntilSuccess() {
        List<Integer> seen = new ArrayList<>();
        String value = retry(budget(5, Duration.ofSeconds(10))).call(attempt -> {
            seen.add(attempt);
            if (attempt < 3) {
                throw new Busy(null);
            }
            return "done";
        });

        assertThat(value).isEqualTo("done");
        assertThat(seen).containsExactly(1, 2, 3);
        assertThat(sleeps).hasSize(2).allSatisfy(wait ->
                assertThat(wait).isBetween(Duration.ofMillis(50), Duration.ofSeconds(1)));
        assertThat(resilience4jCalls()).containsExactly(0.0, 1.0, 0.0, 0.0);
        assertThat(meters.get(DpsTwinMeters.RETRY_RETRIES).tag("failure", "busy").counter().count()).isEqualTo(2.0);
    }

    @Test
    void retryAfterReplacesTheBackoffAndIsCapped() {
        BudgetedRetry retry = retry(budget(4, Duration.ofMinutes(1)));
        List<Duration> asked = List.of(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(30));

        retry.run(attempt -> {
            if (attempt <= asked.size()) {
                throw new Busy(asked.get(attempt - 1));
            }
            return "ok";
        });

        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(sleeps.get(1)).as("Retry-After: 0 counts as none").isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(sleeps.get(2)).as("capped at maxRetryAfter").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theLastAllowedAttemptEndsTheRunWithItsFailure() {
        Busy last = new Busy(null);
        BudgetedRetry.Outcome<Object> outcome = retry(budget(3, Duration.ofMinutes(1))).run(attempt -> {
            throw attempt == 3 ? last : new Busy(null);
        });

        assertThat(outcome).isEqualTo(new BudgetedRetry.GaveUp<>(last, BudgetedRetry.GiveUpReason.ATTEMPTS_EXHAUSTED,
                3));
        assertThat(sleeps).hasSize(2);
        assertThat(resilience4jCalls()).containsExactly(0.0, 0.0, 0.0, 1.0);
    }

    @Test
    void noWaitOverrunsTheTotalTime() {
        BudgetedRetry.Outcome<Object> outcome = retry(budget(10, Duration.ofSeconds(5))).run(attempt -> {
            throw new Busy(Duration.ofSeconds(2));
        });

        assertThat(outcome).isInstanceOfSatisfying(BudgetedRetry.GaveUp.class, gaveUp -> {
            assertThat(gaveUp.reason()).isEqualTo(BudgetedRetry.GiveUpReason.DEADLINE_REACHED);
            assertThat(gaveUp.attempts()).isEqualTo(3);
        });
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(calls("deadline_reached")).isEqualTo(1.0);
        // resilience4j saw two retries scheduled and never the end of the run
        assertThat(resilience4jCalls()).containsExactly(0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void otherFailuresAreNotRetriedAndCallRethrowsThem() {
        IllegalStateException broken = new IllegalStateException("broken");
        BudgetedRetry retry = retry(budget(5, Duration.ofMinutes(1)));

        assertThatThrownBy(() -> retry.call(attempt -> {
            throw broken;
        })).isSameAs(broken);
        assertThat(sleeps).isEmpty();
        assertThat(resilience4jCalls()).containsExactly(0.0, 0.0, 1.0, 0.0);
    }

    @Test
    void anInterruptedWaitEndsTheRunAndKeepsTheInterruptFlag() {
        BudgetedRetry retry = BudgetedRetry.builder("test", budget(5, Duration.ofMinutes(1)))
                .retryOn(failure -> true)
                .meterRegistry(meters)
                .sleeper(duration -> {
                    throw new InterruptedException("stop");
                })
                .build();
        try {
            BudgetedRetry.Outcome<Object> outcome = retry.run(attempt -> {
                throw new Busy(null);
            });

            assertThat(outcome).isInstanceOfSatisfying(BudgetedRetry.GaveUp.class, gaveUp -> {
                assertThat(gaveUp.reason()).isEqualTo(BudgetedRetry.GiveUpReason.INTERRUPTED);
                assertThat(gaveUp.failure().getSuppressed()).hasSize(1);
            });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            // resilience4j saw a retry scheduled and never the end; dps-twin counts it
            assertThat(calls("interrupted")).isEqualTo(1.0);
            assertThat(meters.get("resilience4j.retry.calls").tag("name", "test").tag("kind", "failed_with_retry")
                    .functionCounter().count()).isZero();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void retriesOfOneNameInTwoFlowsAreCountedApartAndARebuiltOneReplacesItsPredecessor() {
        BudgetedRetry first = BudgetedRetry.builder("test", budget(3, Duration.ofSeconds(10))).meterRegistry(meters)
                .retryOn(failure -> failure instanceof Busy).sleeper(duration -> { }).flow("testing").build();
        BudgetedRetry other = BudgetedRetry.builder("test", budget(3, Duration.ofSeconds(10))).meterRegistry(meters)
                .flow("other").build();
        first.run(attempt -> "ok");
        first.run(attempt -> "ok");
        first.run(failOnce());
        other.run(attempt -> "ok");

        assertThat(resilience4jCalls()).containsExactly(2.0, 1.0, 0.0, 0.0);
        assertThat(meters.get("resilience4j.retry.calls").tag("name", "test.other").tag("kind", "successful_without_retry")
                .functionCounter().count()).isEqualTo(1.0);

        BudgetedRetry rebuilt = BudgetedRetry.builder("test", budget(3, Duration.ofSeconds(10))).meterRegistry(meters)
                .retryOn(failure -> failure instanceof Busy).sleeper(duration -> { }).flow("testing").build();
        rebuilt.run(attempt -> "ok");

        assertThat(resilience4jCalls("successful_without_retry")).as("the rebuilt retry's own count").isEqualTo(1.0);
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "test.testing").functionCounters())
                .as("the predecessor's resilience4j meters are gone").hasSize(1);

        BudgetedRetry second = BudgetedRetry.builder("test", budget(3, Duration.ofSeconds(10))).meterRegistry(meters)
                .retryOn(failure -> failure instanceof Busy).sleeper(duration -> { }).flow("other").build();
        other.run(failOnce());
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "test.other").functionCounters())
                .as("a replaced retry's first failure binds none of its meters").hasSize(1);
        second.run(failOnce());
        assertThat(meters.get("resilience4j.retry.calls").tag("name", "test.other").tag("kind", "successful_with_retry")
                .functionCounter().count()).as("the latest retry's own count").isEqualTo(1.0);
        assertThat(List.of(first, other, rebuilt, second)).as("alive until here").hasSize(4);
    }

    /** An action that fails with {@link Busy} on its first attempt and succeeds on the next. */
    private static IntFunction<String> failOnce() {
        return attempt -> {
            if (attempt == 1) {
                throw new Busy(null);
            }
            return "ok";
        };
    }

    @Test
    void withoutARegistryNothingIsCounted() {
        BudgetedRetry retry = BudgetedRetry.builder("quiet", RetryBudget.none()).build();

        assertThat(retry.run(attempt -> attempt)).isEqualTo(new BudgetedRetry.Succeeded<>(1, 1));
        assertThat(meters.getMeters()).isEmpty();
    }

    private static final class Busy extends RuntimeException {
        private final transient Duration retryAfter;

        Busy(Duration retryAfter) {
            super("busy");
            this.retryAfter = retryAfter;
        }
    }
}
