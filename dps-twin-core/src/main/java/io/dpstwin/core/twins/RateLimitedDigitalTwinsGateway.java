package io.dpstwin.core.twins;

import io.dpstwin.core.internal.twins.ClientSideThrottleException;
import io.dpstwin.core.internal.support.SlidingWindowLimiter;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps calls of any {@link DigitalTwinsGateway} under Azure Digital Twins' rate limits ({@link AdtRateLimits})
 * with sliding-window limiters ({@link AdtRateLimiters}), instead of bouncing off them with 429s:
 *
 * <ul>
 *   <li>a create, update or delete of a twin takes a permit of that twin's write limiter;</li>
 *   <li>a relationship create or replace takes a permit of its source twin and of its target twin, and so does a
 *       relationship delete that names its target (retirement always does); one that does not, of its source
 *       twin;</li>
 *   <li>creates and deletes of twins and relationships also take a permit of the instance-wide create/delete
 *       limiter; updates of the patch limiter; reads and lists of the read limiter; query pages of the query
 *       limiter; model calls of the model limiter.</li>
 * </ul>
 *
 * A call waits up to {@link AdtRateLimits#maxWait()} for its permits, then fails with a transient
 * {@link AdtException} 429 {@link AdtErrorCodes#TOO_MANY_REQUESTS} without reaching ADT, which
 * {@link RetryingDigitalTwinsGateway} retries within the call's budget.
 * A 429 of the service is reported to the instance-wide limiter the call took, which in adaptive mode lowers its
 * allowance (the {@code Retry-After} is the retry's to wait for). It sits inside {@link RetryingDigitalTwinsGateway} (see
 * {@link DigitalTwinsGateways}): every attempt, retries included, is admitted, since every attempt spends ADT's quota,
 * and every attempt's answer is seen.
 */
final class RateLimitedDigitalTwinsGateway implements DigitalTwinsGateway {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final DigitalTwinsGateway delegate;
    private final AdtRateLimiters limiters;

    /** With limiters of its own; prefer {@link #RateLimitedDigitalTwinsGateway(DigitalTwinsGateway, AdtRateLimiters)} with limiters shared per process. */
    public RateLimitedDigitalTwinsGateway(DigitalTwinsGateway delegate, AdtRateLimits limits) {
        this(delegate, new AdtRateLimiters(limits));
    }

    public RateLimitedDigitalTwinsGateway(DigitalTwinsGateway delegate, AdtRateLimiters limiters) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.limiters = Objects.requireNonNull(limiters, "limiters");
    }

    public AdtRateLimiters limiters() {
        return limiters;
    }

    /** The description of what was refused is only built when a permit is refused. */
    private SlidingWindowLimiter acquire(SlidingWindowLimiter limiter, Supplier<String> what) {
        if (!limiter.acquirePermission()) {
            throw new ClientSideThrottleException("client-side rate limit: no permit for " + what.get() + " within "
                    + limiters.limits().maxWait().toMillis() + " ms (dps-twin keeps under Azure Digital "
                    + "Twins' limits; try again later)", RETRY_AFTER);
        }
        return limiter;
    }

    /**
     * Calls ADT after {@code limiter} admitted the call, and reports how ADT answered to it: a 429 of the service, or
     * anything else (a result, another error, no answer at all).
     */
    private static <T> T send(SlidingWindowLimiter limiter, Supplier<T> call) {
        long admittedAt = limiter.now();
        boolean throttled = false;
        try {
            return call.get();
        } catch (AdtException e) {
            throttled = e.statusCode() == 429 && !(e instanceof ClientSideThrottleException);
            throw e;
        } finally {
            if (throttled) {
                limiter.onThrottled(admittedAt);
            } else {
                limiter.onAnswered(admittedAt);
            }
        }
    }

    private static void sendVoid(SlidingWindowLimiter limiter, Runnable call) {
        send(limiter, () -> {
            call.run();
            return null;
        });
    }

    private void twinWrite(String twinId) {
        Objects.requireNonNull(twinId, "twinId");
        acquire(limiters.twinWrites(twinId), () -> "a write on twin '" + twinId + "' (at most "
                + limiters.limits().perTwinWritesPerSecond() + " per second)");
    }

    private SlidingWindowLimiter createDelete() {
        return acquire(limiters.createDeletes(), () -> "a create or delete (at most "
                + limiters.limits().createDeletesPerSecond() + " per second)");
    }

    private SlidingWindowLimiter read() {
        return acquire(limiters.reads(), () -> "a read (at most " + limiters.limits().readsPerSecond()
                + " per second)");
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return send(read(), () -> delegate.getTwin(twinId));
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        Objects.requireNonNull(twin, "twin");
        twinWrite(twin.id());
        return send(createDelete(), () -> delegate.createTwinIfAbsent(twin));
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        Objects.requireNonNull(twin, "twin");
        twinWrite(twin.id());
        return send(createDelete(), () -> delegate.createOrReplaceTwin(twin));
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        twinWrite(twinId);
        sendVoid(acquire(limiters.patches(), () -> "a twin update (at most " + limiters.limits().patchesPerSecond()
                + " per second)"), () -> delegate.updateTwin(twinId, patch, ifMatch));
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        twinWrite(twinId);
        sendVoid(createDelete(), () -> delegate.deleteTwin(twinId, ifMatch));
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return send(relationshipWrite(relationship), () -> delegate.createRelationshipIfAbsent(relationship));
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return send(relationshipWrite(relationship), () -> delegate.createOrReplaceRelationship(relationship));
    }

    private SlidingWindowLimiter relationshipWrite(Relationship relationship) {
        Objects.requireNonNull(relationship, "relationship");
        twinWrite(relationship.sourceId());
        if (!relationship.targetId().equals(relationship.sourceId())) {
            twinWrite(relationship.targetId());
        }
        return createDelete();
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return send(read(), () -> delegate.getRelationship(sourceTwinId, relationshipId));
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        twinWrite(sourceTwinId);
        sendVoid(createDelete(), () -> delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch));
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String targetTwinId, String ifMatch) {
        twinWrite(sourceTwinId);
        if (targetTwinId != null && !targetTwinId.equals(sourceTwinId)) {
            twinWrite(targetTwinId);
        }
        sendVoid(createDelete(), () -> delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch));
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        return send(read(), () -> delegate.listRelationships(twinId, relationshipName));
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        return send(read(), () -> delegate.listIncomingRelationships(twinId));
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        return send(acquire(limiters.queries(), () -> "a query page (at most " + limiters.limits().queriesPerSecond()
                + " per second)"), () -> delegate.query(query, continuationToken));
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        return send(model(), () -> delegate.createModels(dtdlModels));
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        return send(model(), () -> delegate.getModel(modelId));
    }

    private SlidingWindowLimiter model() {
        return acquire(limiters.models(), () -> "a model request (at most " + limiters.limits().modelRequestsPerSecond()
                + " per second)");
    }
}
