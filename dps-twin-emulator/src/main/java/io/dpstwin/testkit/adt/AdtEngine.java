package io.dpstwin.testkit.adt;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.support.Sleeper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.testkit.adt.dtdl.DtdlContent;
import io.dpstwin.testkit.adt.dtdl.DtdlException;
import io.dpstwin.testkit.adt.dtdl.DtdlInterface;
import io.dpstwin.testkit.adt.dtdl.ModelRepository;
import io.dpstwin.testkit.adt.dtdl.ModelRepositoryException;
import io.dpstwin.testkit.adt.dtdl.StoredModel;
import io.dpstwin.testkit.adt.events.DigitalTwinsEvent;
import io.dpstwin.testkit.adt.events.EventRoutes;
import io.dpstwin.testkit.adt.events.EventType;
import io.dpstwin.testkit.adt.query.Query;
import io.dpstwin.testkit.adt.query.QueryEvaluator;
import io.dpstwin.testkit.adt.query.QueryException;
import io.dpstwin.testkit.adt.query.QueryParser;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An in-memory Azure Digital Twins instance that enforces ADT's rules. It speaks ADT's JSON (twins with
 * {@code $dtId}, {@code $etag} and {@code $metadata}, relationships with their {@code $} fields, model data) and
 * fails with {@link AdtServiceException}s carrying ADT's status codes and {@code error.code}s. Both testkit fakes
 * run on it: {@link InMemoryDigitalTwins} (a {@code DigitalTwinsGateway}) and the HTTPS {@code AdtEmulator}, so
 * they behave alike.
 *
 * <p>Rules enforced: twins only of uploaded, non-decommissioned models, with the properties the model and its
 * {@code extends} chain declare, values of the declared schema and every component initialised; weak etags
 * {@code W/"<uuid>"} renewed on every write, {@code If-None-Match: *} and {@code If-Match}; relationships declared
 * on the source model with the declared target, no self-loops, existing targets; no deletion of a twin that has
 * any incoming or outgoing relationship; JSON Patch add/replace/remove including {@code /$metadata/$model}
 * migrations; all-or-nothing model upload with DTDL checks, model deletion only when unreferenced, decommissioning.
 * Event routes deliver twin and relationship notifications and telemetry to declared endpoints ({@link #events()}).
 * Options: rate limits ({@link AdtLimits}), a query-index lag, the relationship page size (ADT's 10 by default),
 * fault injection ({@link #faults()}), request counters ({@link #counters()}).
 *
 * <p>Thread-safe: operations on the state are serialised; injected latency is waited for outside the lock.
 */
public final class AdtEngine {

    /** ADT's limit of models per upload. */
    public static final int MAX_MODELS_PER_UPLOAD = 250;
    /** ADT's page size of model lists. */
    public static final int MAX_MODELS_PER_PAGE = 100;
    /** ADT's largest query page. */
    public static final int MAX_QUERY_PAGE_SIZE = 1000;
    /**
     * ADT's page size of relationship lists ({@code /relationships} and {@code /incomingrelationships}): the live
     * service answers 10 items per page with a {@code nextLink}, as the Azure SDK for Java's recorded sessions show.
     */
    public static final int ADT_RELATIONSHIP_PAGE_SIZE = 10;
    /**
     * The system property that changes the default relationship page size of new engines, e.g.
     * {@code -Ddps-twin.emulator.relationship-page-size=1} to run a whole test suite against one item per page.
     */
    public static final String RELATIONSHIP_PAGE_SIZE_PROPERTY = "dps-twin.emulator.relationship-page-size";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> TWIN_SYSTEM_FIELDS = Set.of("$dtId", "$etag", "$metadata");
    private static final Set<String> RELATIONSHIP_SYSTEM_FIELDS = Set.of(
            "$relationshipId", "$etag", "$sourceId", "$targetId", "$relationshipName");

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final ModelRepository models = new ModelRepository();
    private final Map<String, ObjectNode> twins = new LinkedHashMap<>();
    /** source twin id -> relationship id -> relationship. */
    private final Map<String, LinkedHashMap<String, ObjectNode>> outgoing = new HashMap<>();
    /** target twin id -> relationships pointing at it. */
    private final Map<String, LinkedHashSet<QueryIndex.RelationshipKey>> incoming = new HashMap<>();
    private final QueryIndex index;
    private final Cursors cursors;
    private final FaultInjector faults;
    private final RequestCounters counters = new RequestCounters();
    private final QueryEvaluator evaluator;
    private volatile int relationshipPageSize;
    private final int defaultQueryPageSize;
    private final EventRoutes events = new EventRoutes();
    private final String eventSource;
    private volatile RateLimiting limits;

    private AdtEngine(Builder builder) {
        this.clock = builder.clock;
        this.index = new QueryIndex(builder.queryIndexLag);
        this.cursors = new Cursors(builder.maxOpenCursors, builder.cursorExpiry, builder.clock);
        this.faults = new FaultInjector(builder.seed, builder.sleeper);
        this.limits = new RateLimiting(builder.limits);
        this.relationshipPageSize = builder.relationshipPageSize;
        this.defaultQueryPageSize = builder.defaultQueryPageSize;
        this.eventSource = builder.eventSource;
        this.evaluator = new QueryEvaluator((twinModel, model, exact) -> models.isOfModel(twinModel, model, exact));
    }

    /** An engine with the defaults: no lag, no limits, no faults. */
    public static AdtEngine create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ options

    /** The fault injector (nothing injected until configured). */
    public FaultInjector faults() {
        return faults;
    }

    /** Requests per operation. */
    public RequestCounters counters() {
        return counters;
    }

    /** The endpoints and event routes, and the events the endpoints received. */
    public EventRoutes events() {
        return events;
    }

    /** The rate limits in force. */
    public AdtLimits limits() {
        return limits.limits();
    }

    /** Replaces the rate limits (with fresh permits). */
    public void limits(AdtLimits newLimits) {
        this.limits = new RateLimiting(Objects.requireNonNull(newLimits, "limits"));
    }

    /** The delay after which queries see a write ({@link Duration#ZERO}: at once). */
    public Duration queryIndexLag() {
        return locked(index::lag);
    }

    /** Sets the delay after which queries see a write; {@link Duration#ZERO} makes every pending write visible. */
    public void queryIndexLag(Duration lag) {
        Checks.notNegative(lag, "lag");
        locked(() -> {
            index.lag(lag, clock.instant());
            return null;
        });
    }

    /** Items per page of relationship lists. */
    public int relationshipPageSize() {
        return relationshipPageSize;
    }

    /** Sets the items per page of relationship lists (ADT: {@value #ADT_RELATIONSHIP_PAGE_SIZE}). */
    public void relationshipPageSize(int size) {
        this.relationshipPageSize = Checks.atLeast(size, 1, "relationshipPageSize");
    }

    /** The default query page size when a request names none. */
    public int defaultQueryPageSize() {
        return defaultQueryPageSize;
    }

    /**
     * Drops every twin, relationship, model, event route, received event, open cursor and pending index change; clears
     * counters and faults. Declared endpoints stay.
     */
    public void reset() {
        locked(() -> {
            clearTwinsLocked();
            models.clear();
            return null;
        });
        counters.reset();
        faults.clear();
        events.reset();
        limits(limits());
    }

    /** Drops every twin and relationship (and open cursors), keeping the models, counters, faults and limits. */
    public void clearTwins() {
        locked(() -> {
            clearTwinsLocked();
            return null;
        });
    }

    private void clearTwinsLocked() {
        twins.clear();
        outgoing.clear();
        incoming.clear();
        index.clear();
        cursors.clear();
    }

    /** How many twins exist. */
    public int twinCount() {
        return locked(twins::size);
    }

    /** How many relationships exist. */
    public int relationshipCount() {
        return locked(() -> outgoing.values().stream().mapToInt(Map::size).sum());
    }

    /** The ids of every twin, in creation order. */
    public List<String> twinIds() {
        return locked(() -> List.copyOf(twins.keySet()));
    }

    /** The ids of every uploaded model, in upload order. */
    public List<String> modelIds() {
        return locked(() -> models.all().stream().map(StoredModel::id).toList());
    }

    // ------------------------------------------------------------------------------------------------ twins

    /** {@code GET /digitaltwins/{id}}: the twin, or 404 {@code DigitalTwinNotFound}. */
    public ObjectNode getTwin(String twinId) {
        enter(AdtOperation.GET_TWIN);
        return locked(() -> requireTwin(twinId).deepCopy());
    }

    /**
     * {@code PUT /digitaltwins/{id}}: creates or replaces a twin.
     *
     * @param ifNoneMatch {@code "*"} to create only if absent (412 {@code PreconditionFailed} otherwise), or
     *                    {@code null}
     * @return the twin as stored
     */
    public ObjectNode putTwin(String twinId, JsonNode body, String ifNoneMatch) {
        enter(AdtOperation.PUT_TWIN);
        requireId(twinId, "twin id");
        if (body == null || !body.isObject()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "The twin must be a JSON object with $metadata.$model.");
        }
        checkIfNoneMatch(ifNoneMatch);
        return locked(() -> {
            ObjectNode existing = twins.get(twinId);
            if (existing == null) {
                limits.createOrDelete();
            }
            limits.writeOn(twinId);
            if ("*".equals(ifNoneMatch) && existing != null) {
                throw new AdtServiceException(412, AdtErrorCodes.PRECONDITION_FAILED, "If-None-Match: * header was "
                        + "specified but a twin with the id " + twinId + " was found. Please specify a different twin id.");
            }
            JsonNode metadata = body.get("$metadata");
            JsonNode model = metadata == null ? null : metadata.get("$model");
            if (metadata == null || !metadata.isObject() || model == null || !model.isTextual()) {
                throw invalidTwin(List.of("The twin has no $metadata.$model naming its model."));
            }
            String modelId = model.asText();
            ObjectNode contents = JSON.objectNode();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                if (field.getKey().startsWith("$")) {
                    if (!TWIN_SYSTEM_FIELDS.contains(field.getKey())) {
                        problems.add(field.getKey() + " is not a twin field (only $dtId, $etag and $metadata are).");
                    }
                } else {
                    contents.set(field.getKey(), field.getValue().deepCopy());
                }
            }
            checkModelForTwin(modelId, existing == null ? null : modelOf(existing));
            problems.addAll(models.validateTwin(modelId, contents));
            if (!problems.isEmpty()) {
                throw invalidTwin(problems);
            }
            ObjectNode stored = storedTwin(twinId, modelId, contents, null, null);
            saveTwin(twinId, stored);
            if (existing == null) {
                emit(EventType.TWIN_CREATE, twinId, null, stored);
            } else {
                ArrayNode patch = diff(contentsOf(existing), contents);
                if (!modelId.equals(modelOf(existing))) {
                    patch.addObject().put("value", modelId).put("path", "/$metadata/$model").put("op", "replace");
                }
                if (!patch.isEmpty()) {
                    emit(EventType.TWIN_UPDATE, twinId, null, change(modelId, patch));
                }
            }
            return stored.deepCopy();
        });
    }

    /**
     * {@code PATCH /digitaltwins/{id}} with a JSON Patch (add, replace, remove; {@code /$metadata/$model} migrates
     * the twin, which must then conform to the new model).
     *
     * @param ifMatch an etag or {@code "*"}, or {@code null}
     * @return the new etag
     */
    public String patchTwin(String twinId, JsonNode patch, String ifMatch) {
        enter(AdtOperation.PATCH_TWIN);
        List<JsonPatch.Operation> operations = JsonPatch.parse(patch);
        return locked(() -> patchTwinLocked(twinId, null, operations, ifMatch));
    }

    /** {@code GET /digitaltwins/{id}/components/{component}}: the component, or 404. */
    public ObjectNode getComponent(String twinId, String component) {
        enter(AdtOperation.GET_COMPONENT);
        return locked(() -> {
            JsonNode value = requireTwin(twinId).get(component);
            if (value == null || !value.isObject() || component.startsWith("$")) {
                throw new AdtServiceException(404, "ComponentNotFound", "The component " + component
                        + " does not exist on twin " + twinId + ".");
            }
            return ((ObjectNode) value).deepCopy();
        });
    }

    /** {@code PATCH /digitaltwins/{id}/components/{component}}: a JSON Patch relative to the component. */
    public String patchComponent(String twinId, String component, JsonNode patch, String ifMatch) {
        enter(AdtOperation.PATCH_COMPONENT);
        List<JsonPatch.Operation> operations = JsonPatch.parse(patch);
        return locked(() -> {
            JsonNode value = requireTwin(twinId).get(component);
            if (value == null || !value.isObject() || component.startsWith("$")) {
                throw new AdtServiceException(404, "ComponentNotFound", "The component " + component
                        + " does not exist on twin " + twinId + ".");
            }
            return patchTwinLocked(twinId, component, operations, ifMatch);
        });
    }

    private String patchTwinLocked(String twinId, String component, List<JsonPatch.Operation> operations,
                                   String ifMatch) {
        ObjectNode existing = requireTwin(twinId);
        checkIfMatch(ifMatch, existing);
        limits.writeOn(twinId);
        String oldModel = modelOf(existing);
        String newModel = oldModel;
        ObjectNode contents = contentsOf(existing);
        Set<String> touched = new HashSet<>();
        for (JsonPatch.Operation operation : operations) {
            List<String> path = new ArrayList<>(operation.path());
            if (component != null) {
                path.add(0, component);
            }
            if (path.get(0).equals("$metadata") && component == null) {
                if (path.size() != 2 || !path.get(1).equals("$model") || operation.op().equals("remove")) {
                    throw JsonPatch.invalid("Only /$metadata/$model can be patched (add or replace) among the twin's "
                            + "metadata.");
                }
                if (!operation.value().isTextual()) {
                    throw JsonPatch.invalid("/$metadata/$model must be a model id (a string).");
                }
                newModel = operation.value().asText();
                continue;
            }
            for (String segment : path) {
                if (segment.startsWith("$")) {
                    throw JsonPatch.invalid("The path " + operation.pointer() + " names " + segment
                            + ", which cannot be patched.");
                }
            }
            JsonPatch.apply(new JsonPatch.Operation(operation.op(), path, operation.value()), contents);
            touched.add(path.size() > 1 ? path.get(0) + "/" + path.get(1) : path.get(0));
        }
        if (!newModel.equals(oldModel)) {
            checkModelForTwin(newModel, oldModel);
        } else if (models.effectiveContents(newModel).isEmpty()) {
            throw invalidTwin(List.of(newModel + " or one of its dependencies does not exist."));
        }
        List<String> problems = models.validateTwin(newModel, contents);
        if (!problems.isEmpty()) {
            throw invalidTwin(problems);
        }
        ObjectNode stored = storedTwin(twinId, newModel, contents, existing, touched);
        saveTwin(twinId, stored);
        emit(EventType.TWIN_UPDATE, twinId, null, change(newModel, patchData(component, operations)));
        return stored.get("$etag").asText();
    }

    /**
     * {@code DELETE /digitaltwins/{id}}: 404 when absent, 412 on an etag mismatch, 400 {@code RelationshipsNotDeleted}
     * while any incoming or outgoing relationship exists.
     */
    public void deleteTwin(String twinId, String ifMatch) {
        enter(AdtOperation.DELETE_TWIN);
        locked(() -> {
            ObjectNode existing = requireTwin(twinId);
            checkIfMatch(ifMatch, existing);
            limits.createOrDelete();
            limits.writeOn(twinId);
            boolean hasOutgoing = !outgoing.getOrDefault(twinId, new LinkedHashMap<>()).isEmpty();
            boolean hasIncoming = !incoming.getOrDefault(twinId, new LinkedHashSet<>()).isEmpty();
            if (hasOutgoing || hasIncoming) {
                throw new AdtServiceException(400, AdtErrorCodes.RELATIONSHIPS_NOT_DELETED, "Twin " + twinId
                        + " has active relationships. Cannot delete a twin unless all the relationships are deleted. "
                        + "Please ensure that the active relationships on the twin are deleted. See section on "
                        + "retrieving relationships https://aka.ms/adtv2twins.");
            }
            twins.remove(twinId);
            outgoing.remove(twinId);
            incoming.remove(twinId);
            index.twin(twinId, null, clock.instant());
            limits.forget(twinId);
            emit(EventType.TWIN_DELETE, twinId, null, existing);
            return null;
        });
    }

    private void checkModelForTwin(String modelId, String currentModel) {
        if (!Dtmi.isValid(modelId)) {
            throw invalidTwin(List.of("'" + modelId + "' is not a valid model id (DTMI)."));
        }
        StoredModel model = models.get(modelId).orElse(null);
        if (model == null || models.effectiveContents(modelId).isEmpty()) {
            throw invalidTwin(List.of(modelId + " or one of its dependencies does not exist."));
        }
        if (model.decommissioned() && !modelId.equals(currentModel)) {
            throw new AdtServiceException(400, AdtErrorCodes.MODEL_DECOMMISSIONED, "The model " + modelId
                    + " is decommissioned; new twins of it cannot be created.");
        }
    }

    private ObjectNode storedTwin(String twinId, String modelId, ObjectNode contents, ObjectNode previous,
                                  Set<String> touched) {
        String now = timestamp();
        ObjectNode twin = JSON.objectNode();
        twin.put("$dtId", twinId);
        twin.put("$etag", newEtag());
        ObjectNode metadata = JSON.objectNode();
        metadata.put("$model", modelId);
        metadata.put("$lastUpdateTime", now);
        Map<String, Boolean> componentNames = new HashMap<>();
        models.effectiveContents(modelId).ifPresent(all -> all.values().forEach(c -> componentNames.put(c.name(),
                c.kind() == DtdlContent.Kind.COMPONENT)));
        for (Map.Entry<String, JsonNode> field : contents.properties()) {
            String key = field.getKey();
            if (Boolean.TRUE.equals(componentNames.get(key))) {
                ObjectNode previousComponent = previous == null || !previous.path(key).isObject()
                        ? null : (ObjectNode) previous.get(key);
                twin.set(key, storedComponent(key, (ObjectNode) field.getValue(), previousComponent, touched, now));
            } else {
                twin.set(key, field.getValue());
                metadata.set(key, propertyMetadata(key, previous == null ? null : previous.path("$metadata"),
                        touched == null || touched.contains(key), now));
            }
        }
        twin.set("$metadata", metadata);
        return twin;
    }

    private static ObjectNode storedComponent(String name, ObjectNode value, ObjectNode previous, Set<String> touched,
                                              String now) {
        ObjectNode component = JSON.objectNode();
        ObjectNode metadata = JSON.objectNode();
        boolean changed = touched == null || touched.contains(name);
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (field.getKey().equals("$metadata")) {
                continue;
            }
            boolean propertyTouched = changed || touched.contains(name + "/" + field.getKey());
            component.set(field.getKey(), field.getValue());
            metadata.set(field.getKey(), propertyMetadata(field.getKey(),
                    previous == null ? null : previous.path("$metadata"), propertyTouched, now));
            changed |= propertyTouched;
        }
        String previousUpdate = previous == null ? null : previous.path("$metadata").path("$lastUpdateTime").asText(null);
        metadata.put("$lastUpdateTime", changed || previousUpdate == null ? now : previousUpdate);
        component.set("$metadata", metadata);
        return component;
    }

    private static ObjectNode propertyMetadata(String key, JsonNode previousMetadata, boolean touched, String now) {
        ObjectNode metadata = JSON.objectNode();
        String previous = previousMetadata == null ? null
                : previousMetadata.path(key).path("lastUpdateTime").asText(null);
        metadata.put("lastUpdateTime", touched || previous == null ? now : previous);
        return metadata;
    }

    private void saveTwin(String twinId, ObjectNode stored) {
        twins.put(twinId, stored);
        index.twin(twinId, stored, clock.instant());
    }

    /** The members of a twin or relationship that are not {@code $}-fields, copied. */
    private static ObjectNode contentsOf(ObjectNode twin) {
        ObjectNode contents = JSON.objectNode();
        twin.properties().forEach(field -> {
            if (!field.getKey().startsWith("$")) {
                contents.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return contents;
    }

    private static String modelOf(ObjectNode twin) {
        return twin.path("$metadata").path("$model").asText();
    }

    private ObjectNode requireTwin(String twinId) {
        ObjectNode twin = twinId == null ? null : twins.get(twinId);
        if (twin == null) {
            throw twinNotFound(twinId);
        }
        return twin;
    }

    private static AdtServiceException twinNotFound(String twinId) {
        return new AdtServiceException(404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND, "There is no digital twin instance "
                + "that exists with the ID " + twinId + ". Please verify that the twin id is valid and ensure that the "
                + "twin is not deleted. See section on querying the twins https://aka.ms/adtv2query.");
    }

    private static AdtServiceException invalidTwin(List<String> details) {
        return new AdtServiceException(400, AdtErrorCodes.VALIDATION_FAILED, "Invalid twin specified", details, null);
    }

    // ------------------------------------------------------------------------------------------------ relationships

    /**
     * {@code PUT /digitaltwins/{sourceId}/relationships/{relationshipId}}: creates or replaces a relationship.
     *
     * @param ifNoneMatch {@code "*"} to create only if absent, or {@code null}
     * @return the relationship as stored
     */
    public ObjectNode putRelationship(String sourceId, String relationshipId, JsonNode body, String ifNoneMatch) {
        enter(AdtOperation.PUT_RELATIONSHIP);
        requireId(relationshipId, "relationship id");
        if (body == null || !body.isObject()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "The relationship must be a JSON object with $targetId and $relationshipName.");
        }
        JsonNode target = body.get("$targetId");
        JsonNode name = body.get("$relationshipName");
        if (target == null || !target.isTextual() || target.asText().isEmpty()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The relationship has no $targetId.");
        }
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "The relationship has no $relationshipName.");
        }
        checkIfNoneMatch(ifNoneMatch);
        String targetId = target.asText();
        String relationshipName = name.asText();
        return locked(() -> {
            ObjectNode source = requireTwin(sourceId);
            Map<String, ObjectNode> relationships = outgoing.getOrDefault(sourceId, new LinkedHashMap<>());
            ObjectNode existing = relationships.get(relationshipId);
            if (existing == null) {
                limits.createOrDelete();
            }
            limits.writeOn(sourceId, targetId);
            if ("*".equals(ifNoneMatch) && existing != null) {
                throw new AdtServiceException(412, AdtErrorCodes.PRECONDITION_FAILED, "If-None-Match: * header was "
                        + "specified but a relationship with the id " + relationshipId + " was found. Please specify a "
                        + "different relationship id.");
            }
            if (targetId.equals(sourceId)) {
                throw new AdtServiceException(400, AdtErrorCodes.OPERATION_NOT_ALLOWED,
                        "The relationship cannot connect to the same digital twin.");
            }
            ObjectNode targetTwin = twins.get(targetId);
            if (targetTwin == null) {
                throw new AdtServiceException(404, AdtErrorCodes.TARGET_DIGITAL_TWIN_NOT_FOUND, "The target digital "
                        + "twin is invalid or does not exist Please validate that the target twin is valid and ensure "
                        + "that the target twin is not deleted. See section on querying the twins "
                        + "http://aka.ms/adtv2query .");
            }
            String problem = models.relationshipProblem(modelOf(source), relationshipName, modelOf(targetTwin));
            if (problem != null) {
                throw new AdtServiceException(400, AdtErrorCodes.INVALID_RELATIONSHIP, problem);
            }
            ObjectNode properties = JSON.objectNode();
            List<String> problems = new ArrayList<>();
            body.properties().forEach(field -> {
                if (field.getKey().startsWith("$")) {
                    if (!RELATIONSHIP_SYSTEM_FIELDS.contains(field.getKey())) {
                        problems.add(field.getKey() + " is not a relationship field.");
                    }
                } else {
                    properties.set(field.getKey(), field.getValue().deepCopy());
                }
            });
            problems.addAll(models.validateRelationshipProperties(modelOf(source), relationshipName, properties));
            if (!problems.isEmpty()) {
                throw new AdtServiceException(400, AdtErrorCodes.VALIDATION_FAILED, "Invalid relationship specified",
                        problems, null);
            }
            ObjectNode stored = storeRelationship(existing, relationshipId, sourceId, relationshipName, targetId,
                    properties);
            String subject = sourceId + "/relationships/" + relationshipId;
            if (existing == null) {
                emit(EventType.RELATIONSHIP_CREATE, subject, null, stored);
            } else {
                ArrayNode patch = diff(contentsOf(existing), properties);
                if (!targetId.equals(existing.get("$targetId").asText())) {
                    patch.addObject().put("value", targetId).put("path", "/$targetId").put("op", "replace");
                }
                if (!patch.isEmpty()) {
                    emit(EventType.RELATIONSHIP_UPDATE, subject, null, change(modelOf(source), patch));
                }
            }
            return stored.deepCopy();
        });
    }

    /** {@code GET /digitaltwins/{sourceId}/relationships/{relationshipId}}. */
    public ObjectNode getRelationship(String sourceId, String relationshipId) {
        enter(AdtOperation.GET_RELATIONSHIP);
        return locked(() -> requireRelationship(sourceId, relationshipId).deepCopy());
    }

    /** {@code PATCH /digitaltwins/{sourceId}/relationships/{relationshipId}}: patches properties; the new etag. */
    public String patchRelationship(String sourceId, String relationshipId, JsonNode patch, String ifMatch) {
        enter(AdtOperation.PATCH_RELATIONSHIP);
        List<JsonPatch.Operation> operations = JsonPatch.parse(patch);
        return locked(() -> {
            ObjectNode existing = requireRelationship(sourceId, relationshipId);
            checkIfMatch(ifMatch, existing);
            String targetId = existing.get("$targetId").asText();
            limits.writeOn(sourceId, targetId);
            ObjectNode properties = JSON.objectNode();
            existing.properties().forEach(field -> {
                if (!field.getKey().startsWith("$")) {
                    properties.set(field.getKey(), field.getValue().deepCopy());
                }
            });
            for (JsonPatch.Operation operation : operations) {
                if (operation.path().get(0).startsWith("$")) {
                    throw JsonPatch.invalid("The path " + operation.pointer() + " names " + operation.path().get(0)
                            + ", which cannot be patched.");
                }
                JsonPatch.apply(operation, properties);
            }
            String name = existing.get("$relationshipName").asText();
            List<String> problems = models.validateRelationshipProperties(modelOf(requireTwin(sourceId)), name,
                    properties);
            if (!problems.isEmpty()) {
                throw new AdtServiceException(400, AdtErrorCodes.VALIDATION_FAILED, "Invalid relationship specified",
                        problems, null);
            }
            ObjectNode stored = storeRelationship(existing, relationshipId, sourceId, name, targetId, properties);
            emit(EventType.RELATIONSHIP_UPDATE, sourceId + "/relationships/" + relationshipId, null,
                    change(modelOf(requireTwin(sourceId)), patchData(null, operations)));
            return stored.get("$etag").asText();
        });
    }

    /** {@code DELETE /digitaltwins/{sourceId}/relationships/{relationshipId}}. */
    public void deleteRelationship(String sourceId, String relationshipId, String ifMatch) {
        enter(AdtOperation.DELETE_RELATIONSHIP);
        locked(() -> {
            ObjectNode existing = requireRelationship(sourceId, relationshipId);
            checkIfMatch(ifMatch, existing);
            String targetId = existing.get("$targetId").asText();
            limits.createOrDelete();
            limits.writeOn(sourceId, targetId);
            outgoing.get(sourceId).remove(relationshipId);
            QueryIndex.RelationshipKey key = new QueryIndex.RelationshipKey(sourceId, relationshipId);
            Set<QueryIndex.RelationshipKey> pointing = incoming.get(targetId);
            if (pointing != null) {
                pointing.remove(key);
            }
            index.relationship(key, null, clock.instant());
            emit(EventType.RELATIONSHIP_DELETE, sourceId + "/relationships/" + relationshipId, null, existing);
            return null;
        });
    }

    /** A relationship as ADT stores it (system properties, a new etag, then its own properties), saved. */
    private ObjectNode storeRelationship(ObjectNode existing, String relationshipId, String sourceId,
                                         String relationshipName, String targetId, ObjectNode properties) {
        ObjectNode stored = JSON.objectNode();
        stored.put("$relationshipId", relationshipId);
        stored.put("$etag", newEtag());
        stored.put("$sourceId", sourceId);
        stored.put("$relationshipName", relationshipName);
        stored.put("$targetId", targetId);
        stored.setAll(properties);
        saveRelationship(existing, stored);
        return stored;
    }

    private void saveRelationship(ObjectNode previous, ObjectNode stored) {
        String sourceId = stored.get("$sourceId").asText();
        String relationshipId = stored.get("$relationshipId").asText();
        QueryIndex.RelationshipKey key = new QueryIndex.RelationshipKey(sourceId, relationshipId);
        if (previous != null) {
            Set<QueryIndex.RelationshipKey> old = incoming.get(previous.get("$targetId").asText());
            if (old != null) {
                old.remove(key);
            }
        }
        outgoing.computeIfAbsent(sourceId, id -> new LinkedHashMap<>()).put(relationshipId, stored);
        incoming.computeIfAbsent(stored.get("$targetId").asText(), id -> new LinkedHashSet<>()).add(key);
        index.relationship(key, stored, clock.instant());
    }

    private ObjectNode requireRelationship(String sourceId, String relationshipId) {
        requireTwin(sourceId);
        ObjectNode relationship = outgoing.getOrDefault(sourceId, new LinkedHashMap<>()).get(relationshipId);
        if (relationship == null) {
            throw new AdtServiceException(404, AdtErrorCodes.RELATIONSHIP_NOT_FOUND, "Relationship " + relationshipId
                    + " not found on twin " + sourceId + ". Please verify that the relationship id is valid and ensure "
                    + "that the relationship is not deleted. See section on listing relationships in the "
                    + "documentation https://aka.ms/adtv2twins.");
        }
        return relationship;
    }

    /**
     * One page of {@code GET /digitaltwins/{id}/relationships[?relationshipName=]}.
     *
     * @param continuationToken {@code null} for the first page, else the token of the previous page
     */
    public Page listRelationships(String twinId, String relationshipName, String continuationToken) {
        enter(AdtOperation.LIST_RELATIONSHIPS);
        return locked(() -> {
            if (continuationToken != null) {
                return cursors.next("relationship list", continuationToken, null);
            }
            requireTwin(twinId);
            List<ObjectNode> items = new ArrayList<>();
            for (ObjectNode relationship : outgoing.getOrDefault(twinId, new LinkedHashMap<>()).values()) {
                if (relationshipName == null || relationshipName.equals(relationship.get("$relationshipName").asText())) {
                    items.add(relationship.deepCopy());
                }
            }
            return cursors.first("relationship list", items, relationshipPageSize);
        });
    }

    /**
     * One page of {@code GET /digitaltwins/{id}/incomingrelationships}: items with {@code $relationshipId},
     * {@code $sourceId}, {@code $relationshipName} and a host-relative {@code $relationshipLink}.
     */
    public Page listIncomingRelationships(String twinId, String continuationToken) {
        enter(AdtOperation.LIST_INCOMING_RELATIONSHIPS);
        return locked(() -> {
            if (continuationToken != null) {
                return cursors.next("incoming relationship list", continuationToken, null);
            }
            requireTwin(twinId);
            List<ObjectNode> items = new ArrayList<>();
            for (QueryIndex.RelationshipKey key : incoming.getOrDefault(twinId, new LinkedHashSet<>())) {
                ObjectNode relationship = outgoing.get(key.sourceId()).get(key.relationshipId());
                ObjectNode item = JSON.objectNode();
                item.put("$relationshipId", key.relationshipId());
                item.put("$sourceId", key.sourceId());
                item.put("$relationshipName", relationship.get("$relationshipName").asText());
                item.put("$relationshipLink", "/digitaltwins/" + encode(key.sourceId()) + "/relationships/"
                        + encode(key.relationshipId()));
                items.add(item);
            }
            return cursors.first("incoming relationship list", items, relationshipPageSize);
        });
    }

    // ------------------------------------------------------------------------------------------------ query

    /**
     * One page of {@code POST /query}.
     *
     * @param query             the query (ignored when a continuation token is given)
     * @param continuationToken {@code null} for the first page
     * @param maxItemsPerPage   the page size asked for ({@code max-items-per-page}), or {@code null} for the default;
     *                          capped at {@value #MAX_QUERY_PAGE_SIZE}
     * @throws AdtServiceException 400 {@code SqlQueryError} for a query outside the supported subset, 400
     *                             {@code BadRequest} for an unknown or expired token
     */
    public Page query(String query, String continuationToken, Integer maxItemsPerPage) {
        enter(AdtOperation.QUERY);
        Integer pageSize = maxItemsPerPage == null ? null : Math.max(1, Math.min(MAX_QUERY_PAGE_SIZE, maxItemsPerPage));
        if (continuationToken != null) {
            return locked(() -> cursors.next("query", continuationToken, pageSize));
        }
        if (query == null) {
            throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST,
                    "The request has neither a query nor a continuation token.");
        }
        Query parsed;
        try {
            parsed = QueryParser.parse(query);
        } catch (QueryException e) {
            throw new AdtServiceException(400, AdtErrorCodes.SQL_QUERY_ERROR, e.getMessage());
        }
        return locked(() -> {
            Instant now = clock.instant();
            List<ObjectNode> rows = parsed.source() == Query.Source.DIGITALTWINS
                    ? index.twins(now) : index.relationships(now);
            List<ObjectNode> result = evaluator.run(parsed, rows);
            return cursors.first("query", result, pageSize == null ? defaultQueryPageSize : pageSize);
        });
    }

    // ------------------------------------------------------------------------------------------------ models

    /**
     * {@code POST /models}: uploads DTDL interfaces, all or nothing.
     *
     * @param body a JSON array of interfaces
     * @return the model data of the uploaded models ({@code id}, {@code displayName}, {@code description},
     * {@code uploadTime}, {@code decommissioned})
     * @throws AdtServiceException 400 {@code DTDLParserError}, 409 {@code ModelAlreadyExists}
     */
    public ArrayNode createModels(JsonNode body) {
        enter(AdtOperation.CREATE_MODELS);
        if (body == null || !body.isArray()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "The body must be a JSON array of DTDL interfaces.");
        }
        if (body.isEmpty()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The upload holds no model.");
        }
        if (body.size() > MAX_MODELS_PER_UPLOAD) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The upload holds " + body.size()
                    + " models; ADT accepts at most " + MAX_MODELS_PER_UPLOAD + " per call.");
        }
        List<JsonNode> batch = new ArrayList<>();
        body.forEach(batch::add);
        return locked(() -> {
            List<StoredModel> stored;
            try {
                stored = models.upload(batch, clock.instant());
            } catch (DtdlException e) {
                throw new AdtServiceException(400, AdtErrorCodes.DTDL_PARSER_ERROR, e.getMessage());
            } catch (ModelRepositoryException e) {
                throw modelError(e);
            }
            ArrayNode result = JSON.arrayNode();
            stored.forEach(model -> result.add(modelData(model, false)));
            return result;
        });
    }

    /**
     * {@code GET /models/{id}[?includeModelDefinition=true]}: the model data; 400 {@code InvalidArgument} for a
     * malformed id, 404 {@code ModelNotFound} for an unknown one.
     */
    public ObjectNode getModel(String modelId, boolean includeDefinition) {
        enter(AdtOperation.GET_MODEL);
        requireModelIdFormat(modelId);
        return locked(() -> {
            StoredModel model = models.get(modelId).orElseThrow(() -> modelError(new ModelRepositoryException(
                    ModelRepositoryException.Reason.NOT_FOUND, "There is no Model(s) available that matches the "
                    + "provided id(s) " + modelId + ". Check that the Model ID provided is valid by doing a "
                    + "Model_List API call.")));
            return modelData(model, includeDefinition);
        });
    }

    /**
     * One page of {@code GET /models}.
     *
     * @param dependenciesFor   only these models and their dependencies, or empty for all
     * @param maxItemsPerPage   the page size asked for, or {@code null}; capped at {@value #MAX_MODELS_PER_PAGE}
     */
    public Page listModels(Collection<String> dependenciesFor, boolean includeDefinition, String continuationToken,
                           Integer maxItemsPerPage) {
        enter(AdtOperation.LIST_MODELS);
        int pageSize = maxItemsPerPage == null ? MAX_MODELS_PER_PAGE
                : Math.max(1, Math.min(MAX_MODELS_PER_PAGE, maxItemsPerPage));
        if (continuationToken == null && dependenciesFor != null) {
            dependenciesFor.forEach(AdtEngine::requireModelIdFormat);
        }
        return locked(() -> {
            if (continuationToken != null) {
                return cursors.next("model list", continuationToken, pageSize);
            }
            List<StoredModel> selected;
            try {
                selected = dependenciesFor == null || dependenciesFor.isEmpty()
                        ? models.all() : models.withDependencies(dependenciesFor);
            } catch (ModelRepositoryException e) {
                throw modelError(e);
            }
            List<ObjectNode> items = new ArrayList<>();
            selected.forEach(model -> items.add(modelData(model, includeDefinition)));
            return cursors.first("model list", items, pageSize);
        });
    }

    /**
     * {@code DELETE /models/{id}}: 400 {@code InvalidArgument} for a malformed id, 404 {@code ModelNotFound}, 409
     * {@code ModelReferencesNotDeleted}.
     */
    public void deleteModel(String modelId) {
        enter(AdtOperation.DELETE_MODEL);
        requireModelIdFormat(modelId);
        locked(() -> {
            try {
                models.delete(modelId);
            } catch (ModelRepositoryException e) {
                throw modelError(e);
            }
            return null;
        });
    }

    /**
     * {@code PATCH /models/{id}} with {@code [{"op":"replace","path":"/decommissioned","value":true}]}: decommissions
     * the model. Any other patch is 400 {@code JsonPatchInvalid}.
     */
    public void patchModel(String modelId, JsonNode patch) {
        enter(AdtOperation.DECOMMISSION_MODEL);
        requireModelIdFormat(modelId);
        boolean decommission = patch != null && patch.isArray() && patch.size() == 1
                && "replace".equals(patch.get(0).path("op").asText())
                && "/decommissioned".equals(patch.get(0).path("path").asText())
                && patch.get(0).path("value").isBoolean() && patch.get(0).path("value").asBoolean();
        if (!decommission) {
            throw JsonPatch.invalid("A model can only be patched with "
                    + "[{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":true}].");
        }
        decommissionLocked(modelId);
    }

    /** Decommissions a model (as {@link #patchModel} does). */
    public void decommissionModel(String modelId) {
        enter(AdtOperation.DECOMMISSION_MODEL);
        requireModelIdFormat(modelId);
        decommissionLocked(modelId);
    }

    private void decommissionLocked(String modelId) {
        locked(() -> {
            try {
                models.decommission(modelId);
            } catch (ModelRepositoryException e) {
                throw modelError(e);
            }
            return null;
        });
    }

    private static ObjectNode modelData(StoredModel model, boolean includeDefinition) {
        DtdlInterface dtdl = model.model();
        ObjectNode data = JSON.objectNode();
        data.put("id", dtdl.id());
        if (dtdl.displayName() != null) {
            data.set("displayName", dtdl.displayName().deepCopy());
        }
        if (dtdl.description() != null) {
            data.set("description", dtdl.description().deepCopy());
        }
        data.put("decommissioned", model.decommissioned());
        data.put("uploadTime", model.uploadTime().atOffset(ZoneOffset.UTC).toString());
        if (includeDefinition) {
            data.set("model", dtdl.definition().deepCopy());
        }
        return data;
    }

    /**
     * ADT checks a model id's format before it looks the model up: a malformed id is 400 {@code InvalidArgument},
     * not 404 (the Azure SDK for Java's recorded {@code getModelThrowsIfModelIdInvalid} session).
     */
    private static void requireModelIdFormat(String modelId) {
        if (!Dtmi.isValid(modelId)) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The format of the Model ID " + modelId
                    + " provided is not supported. See model documentation(http://aka.ms/ADTv2Models) for supported "
                    + "format.");
        }
    }

    private static AdtServiceException modelError(ModelRepositoryException e) {
        switch (e.reason()) {
            case ALREADY_EXISTS:
                return new AdtServiceException(409, AdtErrorCodes.MODEL_ALREADY_EXISTS, e.getMessage());
            case REFERENCED:
                return new AdtServiceException(409, AdtErrorCodes.MODEL_REFERENCES_NOT_DELETED, e.getMessage());
            case NOT_FOUND:
            default:
                return new AdtServiceException(404, AdtErrorCodes.MODEL_NOT_FOUND, e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ event routes

    /**
     * {@code PUT /eventroutes/{id}} with {@code {"endpointName":…,"filter":…}}: creates or replaces a route.
     *
     * @throws AdtServiceException 400 {@code EventRouteEndpointInvalid} for an endpoint the instance does not have,
     *                             {@code EventRouteFilterInvalid} for a malformed filter, {@code LimitExceeded} for a
     *                             seventh route, {@code InvalidArgument} for a body that is no route
     */
    public void putEventRoute(String routeId, JsonNode body) {
        enter(AdtOperation.PUT_EVENT_ROUTE);
        if (body == null || !body.isObject()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "The event route must be a JSON object with endpointName and filter.");
        }
        JsonNode endpoint = body.get("endpointName");
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull() && !filter.isTextual()) {
            throw new AdtServiceException(400, "EventRouteFilterInvalid", "The provided filter is invalid: it must be "
                    + "a string. See event route documentation (http://aka.ms/ADTv2Routes).");
        }
        events.put(routeId, endpoint == null || !endpoint.isTextual() ? null : endpoint.asText(),
                filter == null || filter.isNull() ? null : filter.asText());
    }

    /** {@code GET /eventroutes/{id}}: {@code {"id","endpointName","filter"}}, or 404 {@code EventRouteNotFound}. */
    public ObjectNode getEventRoute(String routeId) {
        enter(AdtOperation.GET_EVENT_ROUTE);
        return events.get(routeId).map(AdtEngine::routeJson).orElseThrow(EventRoutes::routeNotFound);
    }

    /** {@code DELETE /eventroutes/{id}}: 404 {@code EventRouteNotFound} when absent. */
    public void deleteEventRoute(String routeId) {
        enter(AdtOperation.DELETE_EVENT_ROUTE);
        if (!events.delete(routeId)) {
            throw EventRoutes.routeNotFound();
        }
    }

    /**
     * One page of {@code GET /eventroutes}.
     *
     * @param maxItemsPerPage the page size asked for ({@code max-items-per-page}), or {@code null} for all
     */
    public Page listEventRoutes(String continuationToken, Integer maxItemsPerPage) {
        enter(AdtOperation.LIST_EVENT_ROUTES);
        return locked(() -> {
            if (continuationToken != null) {
                return cursors.next("event route list", continuationToken, maxItemsPerPage);
            }
            List<ObjectNode> items = events.routes().stream().map(AdtEngine::routeJson).toList();
            return cursors.first("event route list", items,
                    maxItemsPerPage == null ? EventRoutes.MAX_ROUTES : Math.max(1, maxItemsPerPage));
        });
    }

    private static ObjectNode routeJson(EventRoutes.Route route) {
        ObjectNode json = JSON.objectNode();
        json.put("id", route.id());
        json.put("endpointName", route.endpointName());
        json.put("filter", route.filter());
        return json;
    }

    // ------------------------------------------------------------------------------------------------ telemetry

    /**
     * {@code POST /digitaltwins/{id}/telemetry} (or {@code …/components/{component}/telemetry}): routes the payload,
     * unchanged, as a {@code microsoft.iot.telemetry} event whose {@code id} is the {@code Message-Id}. Nothing is
     * stored on the twin.
     *
     * @param component           the component, or {@code null} for the twin itself
     * @param telemetrySourceTime the {@code Telemetry-Source-Time} header (RFC 3339), or {@code null}
     * @throws AdtServiceException 404 {@code DigitalTwinNotFound} or {@code ComponentNotFound}; 400
     *                             {@code InvalidArgument} without a {@code Message-Id}, with a malformed source time or
     *                             a payload that is not a JSON object
     */
    public void publishTelemetry(String twinId, String component, String messageId, String telemetrySourceTime,
                                 JsonNode payload) {
        enter(component == null ? AdtOperation.PUBLISH_TELEMETRY : AdtOperation.PUBLISH_COMPONENT_TELEMETRY);
        if (messageId == null || messageId.isBlank()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "Telemetry needs a Message-Id header (the id of the routed event).");
        }
        if (telemetrySourceTime != null) {
            try {
                OffsetDateTime.parse(telemetrySourceTime);
            } catch (DateTimeParseException e) {
                throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "Telemetry-Source-Time '"
                        + telemetrySourceTime + "' is not an RFC 3339 timestamp such as 2024-05-01T12:00:00Z.");
            }
        }
        if (payload == null || !payload.isObject()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The telemetry payload must be a JSON "
                    + "object, found " + (payload == null ? "nothing" : payload.getNodeType().toString()
                    .toLowerCase(java.util.Locale.ROOT)) + ".");
        }
        locked(() -> {
            ObjectNode twin = requireTwin(twinId);
            String schema = modelOf(twin);
            if (component != null) {
                JsonNode value = twin.get(component);
                if (value == null || !value.isObject() || component.startsWith("$")) {
                    throw new AdtServiceException(404, "ComponentNotFound", "The component " + component
                            + " does not exist on twin " + twinId + ".");
                }
                DtdlContent declared = models.effectiveContents(schema).map(c -> c.get(component)).orElse(null);
                if (declared != null && declared.componentInterface() != null) {
                    schema = declared.componentInterface();
                }
            }
            events.publish(new DigitalTwinsEvent(messageId, EventType.TELEMETRY,
                    eventSource + "/digitaltwins/" + twinId, component, schema, clock.instant(), traceParent(),
                    payload, telemetrySourceTime));
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ notifications

    private void emit(EventType type, String subject, String dataSchema, JsonNode data) {
        events.publish(new DigitalTwinsEvent(UUID.randomUUID().toString(), type, eventSource, subject, dataSchema,
                clock.instant(), traceParent(), data, null));
    }

    /** The data of an update notification: {@code {"modelId":…,"patch":[…]}}. */
    private static ObjectNode change(String modelId, ArrayNode patch) {
        ObjectNode data = JSON.objectNode();
        data.put("modelId", modelId);
        data.set("patch", patch);
        return data;
    }

    /** A patch as a notification carries it ({@code value}, {@code path}, {@code op}), relative to the twin. */
    private static ArrayNode patchData(String component, List<JsonPatch.Operation> operations) {
        ArrayNode patch = JSON.arrayNode();
        for (JsonPatch.Operation operation : operations) {
            ObjectNode entry = patch.addObject();
            if (!operation.op().equals("remove")) {
                entry.set("value", operation.value().deepCopy());
            }
            entry.put("path", (component == null ? "" : "/" + component) + operation.pointer());
            entry.put("op", operation.op());
        }
        return patch;
    }

    /** The JSON Patch that turns the top-level members of {@code before} into those of {@code after}. */
    private static ArrayNode diff(ObjectNode before, ObjectNode after) {
        ArrayNode patch = JSON.arrayNode();
        after.properties().forEach(field -> {
            JsonNode old = before.get(field.getKey());
            if (old == null || !old.equals(field.getValue())) {
                patch.addObject().set("value", field.getValue().deepCopy());
                ((ObjectNode) patch.get(patch.size() - 1)).put("path", "/" + field.getKey())
                        .put("op", old == null ? "add" : "replace");
            }
        });
        before.properties().forEach(field -> {
            if (!after.has(field.getKey())) {
                patch.addObject().put("path", "/" + field.getKey()).put("op", "remove");
            }
        });
        return patch;
    }

    /** A W3C trace context, as ADT puts on every event. */
    private static String traceParent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("00-%016x%016x-%016x-01", random.nextLong(), random.nextLong(), random.nextLong());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void enter(AdtOperation operation) {
        counters.increment(operation);
        faults.apply(operation);
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private static void checkIfMatch(String ifMatch, ObjectNode resource) {
        if (ifMatch == null || ifMatch.equals("*")) {
            return;
        }
        String etag = resource.get("$etag").asText();
        if (!ifMatch.equals(etag)) {
            throw new AdtServiceException(412, AdtErrorCodes.PRECONDITION_FAILED, "The provided etag " + ifMatch
                    + " doesn't match the current etag for the resource. Please obtain and provide the latest etag by "
                    + "getting the resource. See section on get apis in the documentation https://aka.ms/adtv2twins.");
        }
    }

    private static void checkIfNoneMatch(String ifNoneMatch) {
        if (ifNoneMatch != null && !ifNoneMatch.equals("*")) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT,
                    "If-None-Match accepts only *, found '" + ifNoneMatch + "'.");
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new AdtServiceException(400, AdtErrorCodes.INVALID_ARGUMENT, "The " + what + " is empty.");
        }
    }

    private static String newEtag() {
        return "W/\"" + UUID.randomUUID() + "\"";
    }

    private String timestamp() {
        return clock.instant().toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Options of an {@link AdtEngine}. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private Duration queryIndexLag = Duration.ZERO;
        private AdtLimits limits = AdtLimits.none();
        private long seed = 42L;
        private Sleeper sleeper = Sleeper.system();
        private int relationshipPageSize = defaultRelationshipPageSize();
        private int defaultQueryPageSize = 100;
        private int maxOpenCursors = 1000;
        private String eventSource = "localhost";
        private Duration cursorExpiry = Duration.ofMinutes(10);

        private Builder() {
        }

        /** The clock of timestamps, the query-index lag and cursor expiry (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Queries see writes only after {@code lag} (default: at once). */
        public Builder queryIndexLag(Duration lag) {
            Objects.requireNonNull(lag, "lag");
            if (lag.isNegative()) {
                throw new IllegalArgumentException("lag must not be negative");
            }
            this.queryIndexLag = lag;
            return this;
        }

        /** Rate limits (default: none). */
        public Builder limits(AdtLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The seed of the fault injector's random rates (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How injected latency is waited for (default: {@link Thread#sleep}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Items per page of relationship lists (default {@value #ADT_RELATIONSHIP_PAGE_SIZE}, as ADT; the system
         * property {@value #RELATIONSHIP_PAGE_SIZE_PROPERTY} changes the default).
         */
        public Builder relationshipPageSize(int size) {
            this.relationshipPageSize = Checks.atLeast(size, 1, "relationshipPageSize");
            return this;
        }

        /** Items per query page when the request names no {@code max-items-per-page} (default 100). */
        public Builder defaultQueryPageSize(int size) {
            this.defaultQueryPageSize = Math.min(MAX_QUERY_PAGE_SIZE, Checks.atLeast(size, 1, "defaultQueryPageSize"));
            return this;
        }

        /**
         * The host name events carry as their {@code source} (ADT: {@code <instance>.api.<region>.digitaltwins.azure.net};
         * default {@code localhost}); telemetry's is {@code <host>/digitaltwins/<twin id>}.
         */
        public Builder eventSource(String hostName) {
            if (hostName == null || hostName.isBlank()) {
                throw new IllegalArgumentException("the event source must not be blank");
            }
            this.eventSource = hostName;
            return this;
        }

        /** How many continuation tokens are kept (least recently used dropped first; default 1000). */
        public Builder maxOpenCursors(int count) {
            this.maxOpenCursors = Checks.atLeast(count, 1, "maxOpenCursors");
            return this;
        }

        /** How long an unused continuation token stays valid (default 10 minutes). */
        public Builder cursorExpiry(Duration expiry) {
            this.cursorExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        private static int defaultRelationshipPageSize() {
            String value = System.getProperty(RELATIONSHIP_PAGE_SIZE_PROPERTY);
            if (value == null || value.isBlank()) {
                return ADT_RELATIONSHIP_PAGE_SIZE;
            }
            try {
                return Checks.atLeast(Integer.parseInt(value.trim()), 1, RELATIONSHIP_PAGE_SIZE_PROPERTY);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(RELATIONSHIP_PAGE_SIZE_PROPERTY + " must be a positive integer, was '"
                        + value + "'", e);
            }
        }

        public AdtEngine build() {
            return new AdtEngine(this);
        }
    }
}
