package io.dpstwin.core.internal.twins;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.internal.support.EarlierMeters;
import io.dpstwin.core.twins.RetryBudget;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.micrometer.tagged.RetryMetricNames;
import io.github.resilience4j.micrometer.tagged.TagNames;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetricsPublisher;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The one retry loop of dps-twin, used for ADT calls ({@link RetryingDigitalTwinsGateway}), IoT Hub device queries
 * (the reconciler) and lifecycle events. It repeats an action that fails with a retryable failure within a
 * {@link RetryBudget}:
 *
 * <ul>
 *   <li>at most {@link RetryBudget#maxAttempts()} attempts (counted by a resilience4j {@link Retry});</li>
 *   <li>between attempts the service's {@code Retry-After} when it gave one (a {@code Retry-After} of 0, which ADT
 *       sends on many answers, counts as none), capped at {@link RetryBudget#maxRetryAfter()}; else exponential
 *       backoff with jitter from {@link RetryBudget#initialBackoff()} up to {@link RetryBudget#maxBackoff()};</li>
 *   <li>no wait that would end after {@link RetryBudget#maxTotalTime()}, measured from the first attempt;</li>
 *   <li>waits through an injectable {@link Sleeper} and measures time with an injectable monotonic clock, so tests
 *       neither sleep nor depend on timing.</li>
 * </ul>
 *
 * <p>With a {@link MeterRegistry}, resilience4j-micrometer's tagged retry metrics
 * ({@link TaggedRetryMetricsPublisher}, as {@code TaggedRetryMetrics} binds them for a registry) count the runs its
 * {@link Retry} sees in {@code resilience4j.retry.calls} (tags {@code name}: the retry's name, followed by
 * {@code .}<i>flow</i> when it has a {@link Builder#flow flow}, e.g. {@code adt.allocation}; {@code kind}:
 * {@code successful_without_retry}, {@code successful_with_retry},
 * {@code failed_without_retry} for a failure not worth retrying, {@code failed_with_retry} for the last allowed
 * attempt failing). resilience4j does not know the total-time budget, so a run stopped by the deadline, or by an
 * interrupted wait, ends unseen by it; those runs are counted in dps-twin's {@value DpsTwinMeters#RETRY_CALLS} (tags
 * {@code retry}, {@code outcome}: {@code deadline_reached}, {@code interrupted}). Every repeated attempt is counted in
 * {@value DpsTwinMeters#RETRY_RETRIES} (tags {@code retry}, {@code failure}, e.g. the HTTP status), which
 * resilience4j has no meter for. Thread-safe; one instance serves many concurrent runs.
 *
 * <p>The resilience4j {@link Retry} is made on the first failure, and a run takes its context only once it failed,
 * so that runs that succeed at once never touch resilience4j (neither its classes on a cold start nor a context per
 * run). Those runs are counted by this class, in the {@code successful_without_retry} kind of the same meter, which
 * exists from the start; the three other kinds, which count runs that failed once, appear with the first failure.
 *
 * <p>resilience4j's meters are per instance: of two live retries with the same name and flow on one registry, the
 * one built last is counted (give each a {@link Builder#flow flow} of its own). Only resilience4j's own tags are
 * used, so the meters sit beside an application's own resilience4j retries (registries such as Prometheus want one
 * set of tag keys per meter name).
 */
public final class BudgetedRetry {

    /** Why a run ended without a result. */
    public enum GiveUpReason {
        /** The failure is not retryable. */
        PERMANENT_FAILURE,
        /** The last allowed attempt failed. */
        ATTEMPTS_EXHAUSTED,
        /** The next wait would have overrun the total time budget. */
        DEADLINE_REACHED,
        /** The thread was interrupted while waiting. */
        INTERRUPTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The end of a run.
     *
     * @param <T> the action's result type
     */
    public sealed interface Outcome<T> {
        /** Attempts made, the last included. */
        int attempts();
    }

    /** The action succeeded on attempt {@code attempts}. */
    public record Succeeded<T>(T value, int attempts) implements Outcome<T> {
    }

    /** The run ended with {@code failure}, the last attempt's; an interruption is added to it as suppressed. */
    public record GaveUp<T>(RuntimeException failure, GiveUpReason reason, int attempts) implements Outcome<T> {
    }

    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;
    private static final String SUCCESSFUL_WITHOUT_RETRY = "successful_without_retry";

    private final String name;
    private final RetryBudget budget;
    private final Function<Throwable, Optional<Duration>> retryAfterOf;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final MeterRegistry meters;
    private final Function<Throwable, String> failureTag;
    private final Predicate<Throwable> retryable;
    /** resilience4j's name of the retry: the name, then {@code .}<i>flow</i> when there is one. */
    private final String retryName;
    private volatile Retry retry;
    /** The {@value DpsTwinMeters#RETRY_CALLS} counters by outcome, registered on first use. */
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    /** Runs whose first attempt succeeded: resilience4j never sees them (see {@link #run}). */
    private final LongAdder succeededWithoutRetry = new LongAdder();
    /** This retry's {@code successful_without_retry} meter, or {@code null} without a registry. */
    private volatile FunctionCounter succeededWithoutRetryMeter;

    private BudgetedRetry(Builder b) {
        this.name = b.name;
        this.budget = b.budget;
        this.retryAfterOf = b.retryAfter;
        this.sleeper = b.sleeper;
        this.nanoTime = b.nanoTime;
        this.meters = b.meters;
        this.failureTag = b.failureTag;
        this.retryable = b.retryable;
        this.retryName = b.flow == null ? name : name + "." + b.flow;
        this.succeededWithoutRetryMeter = meters == null ? null : registerSucceededWithoutRetry(null);
    }

    /**
     * Registers this retry's {@code successful_without_retry}, which counts {@link #succeededWithoutRetry}, after
     * removing the meters of that name of kind {@code kind} (every kind when {@code null}): those of an earlier retry
     * of the same name on this registry (a rebuilt flow), whose counters would otherwise be read instead, or
     * resilience4j's own {@code successful_without_retry}. Only Micrometer is touched: resilience4j is not loaded
     * until a run fails.
     */
    private FunctionCounter registerSucceededWithoutRetry(String kind) {
        if (kind == null) {
            EarlierMeters.remove(meters, RetryMetricNames.DEFAULT_RETRY_CALLS, TagNames.NAME, retryName);
        } else {
            EarlierMeters.remove(meters, RetryMetricNames.DEFAULT_RETRY_CALLS, TagNames.NAME, retryName,
                    TagNames.KIND, kind);
        }
        return FunctionCounter.builder(RetryMetricNames.DEFAULT_RETRY_CALLS, succeededWithoutRetry,
                        LongAdder::doubleValue)
                .description("The number of successful calls without a retry attempt")
                .tag(TagNames.NAME, retryName)
                .tag(TagNames.KIND, SUCCESSFUL_WITHOUT_RETRY)
                .register(meters);
    }

    /**
     * Binds resilience4j-micrometer's meters of {@code made}, the first time a run of this retry failed, unless a retry
     * of the same name built later replaced this one's meters. They replace every meter of that name, this retry's
     * {@code successful_without_retry} included, so that no meter is registered twice (Micrometer would log a
     * warning and ignore the second); resilience4j's {@code successful_without_retry}, which sees no run (a run
     * reaches resilience4j only once it failed), is then replaced by this retry's own again.
     */
    private void bindResilience4jMeters(Retry made) {
        FunctionCounter current = meters.find(RetryMetricNames.DEFAULT_RETRY_CALLS)
                .tag(TagNames.NAME, retryName)
                .tag(TagNames.KIND, SUCCESSFUL_WITHOUT_RETRY)
                .functionCounter();
        if (current != null && current != succeededWithoutRetryMeter) {
            return;
        }
        EarlierMeters.remove(meters, RetryMetricNames.DEFAULT_RETRY_CALLS, TagNames.NAME, retryName);
        new TaggedRetryMetricsPublisher(meters).publishMetrics(made);
        succeededWithoutRetryMeter = registerSucceededWithoutRetry(SUCCESSFUL_WITHOUT_RETRY);
    }

    /**
     * The resilience4j retry, made on the first failure: most runs succeed at once and never need it, so neither its
     * classes nor a per-run context are paid for then (on a cold start, or per call). With a {@link MeterRegistry}
     * its meters are bound then; the runs that succeed at once are counted by this class.
     */
    private Retry retry() {
        Retry made = retry;
        if (made == null) {
            synchronized (this) {
                made = retry;
                if (made == null) {
                    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(budget.initialBackoff(),
                            BACKOFF_MULTIPLIER, JITTER, budget.maxBackoff());
                    made = Retry.of(retryName, RetryConfig.custom()
                            .maxAttempts(budget.maxAttempts())
                            .retryOnException(retryable::test)
                            .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) ->
                                    waitMillis(attempt, outcome, backoff))
                            .failAfterMaxAttempts(false)
                            .build());
                    if (meters != null) {
                        bindResilience4jMeters(made);
                    }
                    retry = made;
                }
            }
        }
        return made;
    }

    /**
     * A builder.
     *
     * @param name   the {@code retry} tag of the meters and the name in debug logs, e.g. {@code adt}
     * @param budget attempts, total time and waits
     */
    public static Builder builder(String name, RetryBudget budget) {
        return new Builder(name, budget);
    }

    /** The budget this retry works within. */
    public RetryBudget budget() {
        return budget;
    }

    private long waitMillis(int attempt, Either<Throwable, Object> outcome, IntervalFunction backoff) {
        if (outcome.isLeft()) {
            Optional<Duration> retryAfter = retryAfterOf.apply(outcome.getLeft())
                    .filter(delay -> !delay.isZero() && !delay.isNegative());
            if (retryAfter.isPresent()) {
                return Math.min(retryAfter.get().toMillis(), budget.maxRetryAfter().toMillis());
            }
        }
        return Math.min(backoff.apply(attempt), budget.maxBackoff().toMillis());
    }

    /**
     * Runs {@code action} until it succeeds or the budget gives up; never throws what the action throws.
     *
     * @param action called with the attempt number, 1 for the first attempt
     */
    public <T> Outcome<T> run(IntFunction<T> action) {
        long start = nanoTime.getAsLong();
        // resilience4j sees a run from its first failure on; a first-attempt success is counted here
        Retry.AsyncContext<Object> context = null;
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                T value = action.apply(attempt);
                if (context == null) {
                    succeededWithoutRetry.increment();
                } else {
                    context.onComplete();
                }
                return new Succeeded<>(value, attempt);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (context == null) {
                context = retry().asyncContext();
            }
            long delayMillis = context.onError(failure);
            if (delayMillis < 0) {
                GiveUpReason reason = retryable.test(failure)
                        ? GiveUpReason.ATTEMPTS_EXHAUSTED : GiveUpReason.PERMANENT_FAILURE;
                return gaveUp(failure, reason, attempt);
            }
            Duration delay = Duration.ofMillis(delayMillis);
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            if (elapsed.plus(delay).compareTo(budget.maxTotalTime()) > 0) {
                return gaveUp(failure, GiveUpReason.DEADLINE_REACHED, attempt);
            }
            if (meters != null) {
                Counter.builder(DpsTwinMeters.RETRY_RETRIES)
                        .description("Attempts repeated after a retryable failure")
                        .tag("retry", name)
                        .tag("failure", failureTag.apply(failure))
                        .register(meters)
                        .increment();
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(interrupted);
                return gaveUp(failure, GiveUpReason.INTERRUPTED, attempt);
            }
        }
    }

    /**
     * Runs {@code action} like {@link #run} and returns its result.
     *
     * @param action called with the attempt number, 1 for the first attempt
     *
     * @throws RuntimeException the last attempt's failure when the budget gives up
     */
    public <T> T call(IntFunction<T> action) {
        Outcome<T> outcome = run(action);
        if (outcome instanceof GaveUp<T> gaveUp) {
            throw gaveUp.failure();
        }
        return ((Succeeded<T>) outcome).value();
    }

    private <T> Outcome<T> gaveUp(RuntimeException failure, GiveUpReason reason, int attempts) {
        if (reason == GiveUpReason.DEADLINE_REACHED || reason == GiveUpReason.INTERRUPTED) {
            // resilience4j saw a retry scheduled, never the end: count the end here (its meters have the others)
            count(reason.tag());
        }
        return new GaveUp<>(failure, reason, attempts);
    }

    private void count(String outcome) {
        if (meters != null) {
            calls.computeIfAbsent(outcome, key -> Counter.builder(DpsTwinMeters.RETRY_CALLS)
                    .description("Retried actions by how they ended")
                    .tag("retry", name)
                    .tag("outcome", key)
                    .register(meters)).increment();
        }
    }

    @Override
    public String toString() {
        return "BudgetedRetry[" + name + ", " + budget + "]";
    }

    /** Builder of {@link BudgetedRetry}. */
    public static final class Builder {

        private final String name;
        private final RetryBudget budget;
        private Predicate<Throwable> retryable = failure -> false;
        private Function<Throwable, Optional<Duration>> retryAfter = failure -> Optional.empty();
        private Sleeper sleeper = Sleeper.system();
        private LongSupplier nanoTime = System::nanoTime;
        private MeterRegistry meters;
        private Function<Throwable, String> failureTag = failure -> failure.getClass().getSimpleName();
        private String flow;

        private Builder(String name, RetryBudget budget) {
            this.name = Objects.requireNonNull(name, "name");
            this.budget = Objects.requireNonNull(budget, "budget");
        }

        /** Which failures are worth another attempt; none by default. */
        public Builder retryOn(Predicate<Throwable> retryable) {
            this.retryable = Objects.requireNonNull(retryable, "retryable");
            return this;
        }

        /** The wait a failure asks for ({@code Retry-After}), if any; none by default. */
        public Builder retryAfter(Function<Throwable, Optional<Duration>> retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
            return this;
        }

        /** How to wait between attempts; {@link Sleeper#system()} by default. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The monotonic clock the total time is measured with; {@link System#nanoTime()} by default. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Where to count runs and retries; no meters when {@code null} (the default). */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /**
         * The {@code failure} tag of {@value DpsTwinMeters#RETRY_RETRIES}, e.g. the HTTP status; the exception's simple
         * class name by default. Keep the set of values small.
         */
        public Builder failureTag(Function<Throwable, String> failureTag) {
            this.failureTag = Objects.requireNonNull(failureTag, "failureTag");
            return this;
        }

        /**
         * The flow this retry serves, which tells apart retries of one name in resilience4j's meters: their
         * {@code name} tag is {@code <name>.<flow>}, e.g. {@code adt.allocation}, {@code adt.lifecycle} and
         * {@code adt.reconcile} for the ADT retries of {@link io.dpstwin.core.DpsTwin}'s three flows. None by
         * default: the tag is the name. dps-twin's own meters are tagged with the name alone.
         */
        public Builder flow(String flow) {
            this.flow = Objects.requireNonNull(flow, "flow");
            return this;
        }

        public BudgetedRetry build() {
            return new BudgetedRetry(this);
        }
    }
}
