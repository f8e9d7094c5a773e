package io.dpstwin.core.internal.twins;

import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.core.twins.RetryBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>The loop is the shared {@link BudgetedRetry}. Every method of the gateway is retried,
 * including the non-idempotent ones; their consequences are handled where they are understood: a create with
 * {@code If-None-Match: *} whose first attempt succeeded unseen answers 412 on the retry, and
 * {@link FindOrCreateTwin} reads the twin again on 412; a delete whose first attempt succeeded unseen answers 404,
 * which retirement treats as success.
 *
 * A refusal of dps-twin's own client-side limiter (no permit within its maximum wait) is retried like a 429 of the
 * service, after the budget's backoff rather than its {@code Retry-After}: the call waits for the limiter within its
 * own budget instead of failing at once (into DPS's much longer backoff, or the lifecycle's redelivery).
 *
 * <p>Put it outside the rate-limiting layer (so every attempt is admitted and its 429 seen by the
 * limiter) and {@link MeteredDigitalTwinsGateway} (so every attempt is measured); {@link DigitalTwinsGateways}
 * builds that order. The SDK client underneath
 * must not retry itself (see {@link DigitalTwinsClients}).
 */
public final class RetryingDigitalTwinsGateway implements DigitalTwinsGateway {

    /** The {@code retry} tag of this gateway's retry meters. */
    public static final String RETRY_NAME = "adt";

    private static final Logger LOG = LoggerFactory.getLogger(RetryingDigitalTwinsGateway.class);

    private final DigitalTwinsGateway delegate;
    private final BudgetedRetry retry;

    public RetryingDigitalTwinsGateway(DigitalTwinsGateway delegate, RetryBudget budget) {
        this(delegate, budget, Sleeper.system(), System::nanoTime);
    }

    /**
     * @param sleeper  how to wait between attempts
     * @param nanoTime the monotonic clock the total time budget is measured with, like {@link System#nanoTime()}
     */
    public RetryingDigitalTwinsGateway(DigitalTwinsGateway delegate, RetryBudget budget, Sleeper sleeper,
                                       LongSupplier nanoTime) {
        this(delegate, retryFor(budget).sleeper(sleeper).nanoTime(nanoTime).build());
    }

    /** @param retry a retry made from {@link #retryFor(RetryBudget)}, e.g. with a meter registry */
    public RetryingDigitalTwinsGateway(DigitalTwinsGateway delegate, BudgetedRetry retry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /**
     * The retry this gateway uses, ready to be completed (sleeper, clock, meters): transient {@link AdtException}s
     * are retried, honouring their {@code Retry-After}.
     */
    public static BudgetedRetry.Builder retryFor(RetryBudget budget) {
        return BudgetedRetry.builder(RETRY_NAME, budget)
                .retryOn(failure -> failure instanceof AdtException adt && adt.isTransient())
                .retryAfter(failure -> failure instanceof AdtException adt
                        && !(failure instanceof ClientSideThrottleException) ? adt.retryAfter() : Optional.empty())
                .failureTag(failure -> failure instanceof AdtException adt
                        ? String.valueOf(adt.statusCode()) : failure.getClass().getSimpleName());
    }

    /** The gateway each attempt goes to (in {@link DigitalTwinsGateways}' stack, the rate limiter). */
    public DigitalTwinsGateway delegate() {
        return delegate;
    }

    /** The budget this gateway retries within. */
    public RetryBudget budget() {
        return retry.budget();
    }

    private <T> T execute(String operation, Supplier<T> call) {
        BudgetedRetry.Outcome<T> outcome = retry.run(attempt -> call.get());
        if (outcome instanceof BudgetedRetry.GaveUp<T> gaveUp) {
            if (gaveUp.reason() != BudgetedRetry.GiveUpReason.PERMANENT_FAILURE) {
                LOG.debug("ADT {} failed ({}) after {} attempt(s); giving up: {}", operation,
                        summary(gaveUp.failure()), gaveUp.attempts(), gaveUp.reason());
            }
            throw gaveUp.failure();
        }
        return ((BudgetedRetry.Succeeded<T>) outcome).value();
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
