package io.dpstwin.core.twins;

import io.dpstwin.core.support.Sleeper;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Retries ADT calls of any {@link DigitalTwinsGateway} that fail with a {@linkplain AdtException#isTransient()
 * transient} {@link AdtException} (429, 408, 5xx except 501/505, no answer), within a {@link RetryBudget}: it waits
 * the service's {@code Retry-After} when one is given (capped at {@link RetryBudget#maxRetryAfter()}; a
 * {@code Retry-After} of 0, which ADT sends on many answers, counts as none), else exponential backoff with jitter;
 * it stops after {@link RetryBudget#maxAttempts()} attempts, or as soon as the next wait would overrun
 * {@link RetryBudget#maxTotalTime()}, and then rethrows the last failure. Other failures are never retried.
 *
 * <p>Attempt counting and backoff come from a resilience4j {@link Retry}. Every method of the gateway is retried,
 * including the non-idempotent ones; their consequences are handled where they are understood: a create with
 * {@code If-None-Match: *} whose first attempt succeeded unseen answers 412 on the retry, and
 * {@link FindOrCreateTwin} reads the twin again on 412; a delete whose first attempt succeeded unseen answers 404,
 * which retirement treats as success.
 *
 * <p>Put it outside {@link MeteredDigitalTwinsGateway} (so every attempt is measured) and inside
 * {@link RateLimitedDigitalTwinsGateway}; {@link DigitalTwinsGateways} builds that order. The SDK client underneath
 * must not retry itself (see {@link DigitalTwinsClients}).
 */
public final class RetryingDigitalTwinsGateway implements DigitalTwinsGateway {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingDigitalTwinsGateway.class);
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final DigitalTwinsGateway delegate;
    private final RetryBudget budget;
    private final Retry retry;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    public RetryingDigitalTwinsGateway(DigitalTwinsGateway delegate, RetryBudget budget) {
        this(delegate, budget, Sleeper.system(), System::nanoTime);
    }

    /**
     * @param sleeper  how to wait between attempts
     * @param nanoTime the monotonic clock the total time budget is measured with, like {@link System#nanoTime()}
     */
    public RetryingDigitalTwinsGateway(DigitalTwinsGateway delegate, RetryBudget budget, Sleeper sleeper,
                                       LongSupplier nanoTime) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(budget.initialBackoff(),
                BACKOFF_MULTIPLIER, JITTER, budget.maxBackoff());
        this.retry = Retry.of("adt", RetryConfig.custom()
                .maxAttempts(budget.maxAttempts())
                .retryOnException(RetryingDigitalTwinsGateway::isRetryable)
                .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) ->
                        waitMillis(attempt, outcome, backoff))
                .failAfterMaxAttempts(false)
                .build());
    }

    /** The budget this gateway retries within. */
    public RetryBudget budget() {
        return budget;
    }

    private static boolean isRetryable(Throwable failure) {
        return failure instanceof AdtException adt && adt.isTransient();
    }

    private long waitMillis(int attempt, Either<Throwable, Object> outcome, IntervalFunction backoff) {
        if (outcome.isLeft() && outcome.getLeft() instanceof AdtException adt) {
            Optional<Duration> retryAfter = adt.retryAfter().filter(delay -> !delay.isZero());
            if (retryAfter.isPresent()) {
                Duration capped = retryAfter.get().compareTo(budget.maxRetryAfter()) > 0
                        ? budget.maxRetryAfter()
                        : retryAfter.get();
                return capped.toMillis();
            }
        }
        return Math.min(backoff.apply(attempt), budget.maxBackoff().toMillis());
    }

    private <T> T execute(String operation, Supplier<T> call) {
        long start = nanoTime.getAsLong();
        Retry.AsyncContext<Object> context = retry.asyncContext();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.get();
                context.onComplete();
                return result;
            } catch (RuntimeException failure) {
                long delayMillis = context.onError(failure);
                if (delayMillis < 0) {
                    throw failure;
                }
                Duration delay = Duration.ofMillis(delayMillis);
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
                if (elapsed.plus(delay).compareTo(budget.maxTotalTime()) > 0) {
                    LOG.debug("ADT {} failed ({}); a retry in {} ms would overrun the {} ms budget, giving up",
                            operation, summary(failure), delayMillis, budget.maxTotalTime().toMillis());
                    throw failure;
                }
                LOG.debug("ADT {} failed ({}); attempt {} of {} in {} ms", operation, summary(failure),
                        attempt + 1, budget.maxAttempts(), delayMillis);
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(interrupted);
                    throw failure;
                }
            }
        }
    }

    private void executeVoid(String operation, Runnable call) {
        execute(operation, () -> {
            call.run();
            return null;
        });
    }

    private static String summary(RuntimeException failure) {
        return failure instanceof AdtException adt
                ? adt.statusCode() + " " + adt.errorCode()
                : failure.getClass().getSimpleName();
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return execute("getTwin", () -> delegate.getTwin(twinId));
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return execute("createTwinIfAbsent", () -> delegate.createTwinIfAbsent(twin));
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return execute("createOrReplaceTwin", () -> delegate.createOrReplaceTwin(twin));
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        executeVoid("updateTwin", () -> delegate.updateTwin(twinId, patch, ifMatch));
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        executeVoid("deleteTwin", () -> delegate.deleteTwin(twinId, ifMatch));
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return execute("createRelationshipIfAbsent", () -> delegate.createRelationshipIfAbsent(relationship));
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return execute("createOrReplaceRelationship", () -> delegate.createOrReplaceRelationship(relationship));
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return execute("getRelationship", () -> delegate.getRelationship(sourceTwinId, relationshipId));
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        executeVoid("deleteRelationship", () -> delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch));
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        return execute("listRelationships", () -> delegate.listRelationships(twinId, relationshipName));
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        return execute("listIncomingRelationships", () -> delegate.listIncomingRelationships(twinId));
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        return execute("query", () -> delegate.query(query, continuationToken));
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        return execute("createModels", () -> delegate.createModels(dtdlModels));
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        return execute("getModel", () -> delegate.getModel(modelId));
    }
}
