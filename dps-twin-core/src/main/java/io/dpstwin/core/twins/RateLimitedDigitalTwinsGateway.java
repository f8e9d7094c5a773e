package io.dpstwin.core.twins;

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
 * {@link AdtException} 429 {@link AdtErrorCodes#TOO_MANY_REQUESTS} without reaching ADT. It is the outermost
 * decorator (see {@link DigitalTwinsGateways}): a call is admitted once, its retries follow the service's
 * {@code Retry-After}.
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
    private void acquire(SlidingWindowLimiter limiter, Supplier<String> what) {
        if (!limiter.acquirePermission()) {
            throw new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS,
                    "client-side rate limit: no permit for " + what.get() + " within "
                            + limiters.limits().maxWait().toMillis() + " ms (dps-twin keeps under Azure Digital "
                            + "Twins' limits; try again later)",
                    RETRY_AFTER, null);
        }
    }

    private void twinWrite(String twinId) {
        Objects.requireNonNull(twinId, "twinId");
        acquire(limiters.twinWrites(twinId), () -> "a write on twin '" + twinId + "' (at most "
                + limiters.limits().perTwinWritesPerSecond() + " per second)");
    }

    private void createDelete() {
        acquire(limiters.createDeletes(), () -> "a create or delete (at most "
                + limiters.limits().createDeletesPerSecond() + " per second)");
    }

    private void read() {
        acquire(limiters.reads(), () -> "a read (at most " + limiters.limits().readsPerSecond() + " per second)");
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        read();
        return delegate.getTwin(twinId);
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        Objects.requireNonNull(twin, "twin");
        twinWrite(twin.id());
        createDelete();
        return delegate.createTwinIfAbsent(twin);
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        Objects.requireNonNull(twin, "twin");
        twinWrite(twin.id());
        createDelete();
        return delegate.createOrReplaceTwin(twin);
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        twinWrite(twinId);
        acquire(limiters.patches(), () -> "a twin update (at most " + limiters.limits().patchesPerSecond() + " per second)");
        delegate.updateTwin(twinId, patch, ifMatch);
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        twinWrite(twinId);
        createDelete();
        delegate.deleteTwin(twinId, ifMatch);
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        relationshipWrite(relationship);
        return delegate.createRelationshipIfAbsent(relationship);
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        relationshipWrite(relationship);
        return delegate.createOrReplaceRelationship(relationship);
    }

    private void relationshipWrite(Relationship relationship) {
        Objects.requireNonNull(relationship, "relationship");
        twinWrite(relationship.sourceId());
        if (!relationship.targetId().equals(relationship.sourceId())) {
            twinWrite(relationship.targetId());
        }
        createDelete();
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        read();
        return delegate.getRelationship(sourceTwinId, relationshipId);
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        twinWrite(sourceTwinId);
        createDelete();
        delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String targetTwinId, String ifMatch) {
        twinWrite(sourceTwinId);
        if (targetTwinId != null && !targetTwinId.equals(sourceTwinId)) {
            twinWrite(targetTwinId);
        }
        createDelete();
        delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        read();
        return delegate.listRelationships(twinId, relationshipName);
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        read();
        return delegate.listIncomingRelationships(twinId);
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        acquire(limiters.queries(), () -> "a query page (at most " + limiters.limits().queriesPerSecond() + " per second)");
        return delegate.query(query, continuationToken);
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        acquire(limiters.models(), () -> "a model request (at most " + limiters.limits().modelRequestsPerSecond()
                + " per second)");
        return delegate.createModels(dtdlModels);
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        acquire(limiters.models(), () -> "a model request (at most " + limiters.limits().modelRequestsPerSecond()
                + " per second)");
        return delegate.getModel(modelId);
    }
}
