package io.dpstwin.core.internal.twins;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Times every call of any {@link DigitalTwinsGateway} with the Micrometer timer {@value #DpsTwinMeters.ADT_REQUESTS}, tagged
 * {@code operation} (the gateway method, e.g. {@code getTwin}) and {@code status}: the HTTP status of the answer as
 * a string — {@code 200}, {@code 201} (models) or {@code 204} (updates, deletes) on success, {@code 404} for a read
 * that found nothing, the {@link AdtException#statusCode()} on failure, {@code 0} when no answer arrived, and
 * {@code error} for any other exception. The tag values stay few, whatever the twin ids.
 *
 * <p>Placed inside {@link RetryingDigitalTwinsGateway}, it records every attempt (see {@link DigitalTwinsGateways}).
 */
public final class MeteredDigitalTwinsGateway implements DigitalTwinsGateway {


    private final DigitalTwinsGateway delegate;
    private final MeterRegistry registry;
    /** Timers by operation, then status: two lookups and no string built per call. */
    private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();

    public MeteredDigitalTwinsGateway(DigitalTwinsGateway delegate, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private Timer timer(String operation, String status) {
        return timers.computeIfAbsent(operation, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, key -> Timer.builder(DpsTwinMeters.ADT_REQUESTS)
                        .description("Azure Digital Twins requests (every attempt)")
                        .tag("operation", operation)
                        .tag("status", key)
                        .register(registry));
    }

    private <T> T record(String operation, Function<T, String> successStatus, Supplier<T> call) {
        long start = System.nanoTime();
        String status = "error";
        try {
            T result = call.get();
            status = successStatus.apply(result);
            return result;
        } catch (AdtException e) {
            status = Integer.toString(e.statusCode());
            throw e;
        } finally {
            timer(operation, status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private <T> T record(String operation, String successStatus, Supplier<T> call) {
        return record(operation, result -> successStatus, call);
    }

    private void recordVoid(String operation, Runnable call) {
        record(operation, "204", () -> {
            call.run();
            return null;
        });
    }

    private static String foundOr404(Optional<?> result) {
        return result.isPresent() ? "200" : "404";
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return record("getTwin", MeteredDigitalTwinsGateway::foundOr404, () -> delegate.getTwin(twinId));
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return record("createTwinIfAbsent", "200", () -> delegate.createTwinIfAbsent(twin));
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return record("createOrReplaceTwin", "200", () -> delegate.createOrReplaceTwin(twin));
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        recordVoid("updateTwin", () -> delegate.updateTwin(twinId, patch, ifMatch));
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        recordVoid("deleteTwin", () -> delegate.deleteTwin(twinId, ifMatch));
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return record("createRelationshipIfAbsent", "200", () -> delegate.createRelationshipIfAbsent(relationship));
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return record("createOrReplaceRelationship", "200", () -> delegate.createOrReplaceRelationship(relationship));
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return record("getRelationship", MeteredDigitalTwinsGateway::foundOr404,
                () -> delegate.getRelationship(sourceTwinId, relationshipId));
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        recordVoid("deleteRelationship", () -> delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch));
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        return record("listRelationships", "200", () -> delegate.listRelationships(twinId, relationshipName));
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        return record("listIncomingRelationships", "200", () -> delegate.listIncomingRelationships(twinId));
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        return record("query", "200", () -> delegate.query(query, continuationToken));
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        return record("createModels", "201", () -> delegate.createModels(dtdlModels));
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        return record("getModel", MeteredDigitalTwinsGateway::foundOr404, () -> delegate.getModel(modelId));
    }
}
