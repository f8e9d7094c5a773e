package io.dpstwin.core.twins;

import io.dpstwin.core.DpsTwinMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetedRetryTest {

    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Retries {@link Busy}; sleeping advances the clock by the slept time. */
    private BudgetedRetry retry(RetryBudget budget) {
        return BudgetedRetry.builder("test", budget)
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
                .build();
    }

    private static RetryBudget budget(int attempts, Duration total) {
        return RetryBudget.builder().maxAttempts(attempts).maxTotalTime(total)
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
                .maxRetryAfter(Duration.ofSeconds(5)).build();
    }

    private double calls(String outcome) {
        var counter = meters.find(DpsTwinMeters.RETRY_CALLS).tag("retry", "test").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFirstSuccessIsNotRetried() {
        BudgetedRetry.Outcome<String> outcome = retry(budget(3, Duration.ofSeconds(10))).run(attempt -> "ok");

        assertThat(outcome).isEqualTo(new BudgetedRetry.Succeeded<>("ok", 1));
        assertThat(sleeps).isEmpty();
        assertThat(calls("succeeded")).isEqualTo(1.0);
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
        assertThat(calls("succeeded_after_retry")).isEqualTo(1.0);
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
        assertThat(calls("attempts_exhausted")).isEqualTo(1.0);
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
    }

    @Test
    void otherFailuresAreNotRetriedAndCallRethrowsThem() {
        IllegalStateException broken = new IllegalStateException("broken");
        BudgetedRetry retry = retry(budget(5, Duration.ofMinutes(1)));

        assertThatThrownBy(() -> retry.call(attempt -> {
            throw broken;
        })).isSameAs(broken);
        assertThat(sleeps).isEmpty();
        assertThat(calls("permanent_failure")).isEqualTo(1.0);
    }

    @Test
    void anInterruptedWaitEndsTheRunAndKeepsTheInterruptFlag() {
        BudgetedRetry retry = BudgetedRetry.builder("test", budget(5, Duration.ofMinutes(1)))
                .retryOn(failure -> true)
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
        } finally {
            Thread.interrupted();
        }
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
