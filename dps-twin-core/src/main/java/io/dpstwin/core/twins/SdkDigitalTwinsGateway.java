package io.dpstwin.core.twins;

import io.dpstwin.core.support.Json;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.models.JsonPatchDocument;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.CreateOrReplaceDigitalTwinOptions;
import com.azure.digitaltwins.core.models.CreateOrReplaceRelationshipOptions;
import com.azure.digitaltwins.core.models.DeleteDigitalTwinOptions;
import com.azure.digitaltwins.core.models.DeleteRelationshipOptions;
import com.azure.digitaltwins.core.models.DigitalTwinsModelData;
import com.azure.digitaltwins.core.models.QueryOptions;
import com.azure.digitaltwins.core.models.UpdateDigitalTwinOptions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The production {@link DigitalTwinsGateway}: the official {@link DigitalTwinsClient} (azure-digitaltwins-core),
 * with ADT's REST semantics kept exactly — {@code If-None-Match: *} on the create-if-absent calls, {@code If-Match}
 * when an etag is given, every {@code nextLink} page of relationship lists followed, one query page per call.
 *
 * <p>Twins and relationships are read as raw JSON and parsed with Jackson, so property values keep their JSON types
 * (numbers stay numbers, objects stay maps). Failures become {@link AdtException}s with the HTTP status, the
 * service's {@code error.code} and {@code Retry-After}; requests that got no answer have status 0 and code
 * {@link AdtErrorCodes#TRANSPORT_ERROR} or {@link AdtErrorCodes#TIMEOUT}.
 *
 * <p>This class does not retry. Build the client with {@link DigitalTwinsClients}, which turns the SDK's own retries
 * off, and put {@link RetryingDigitalTwinsGateway} around it (see {@link DigitalTwinsGateways}). If you pass a
 * client you built yourself, disable its retries too
 * ({@code builder.retryOptions(DigitalTwinsClients.noSdkRetries())}), or every attempt of ours multiplies into up to
 * four SDK attempts (azure-core's default policy retries 429, 5xx and I/O failures three times, PUT and DELETE
 * included).
 */
public final class SdkDigitalTwinsGateway implements DigitalTwinsGateway {

    private static final ObjectMapper JSON = Json.MAPPER;
    /** Resolved once: resolving a {@code TypeReference} on every read was a measurable part of each call. */
    private static final JavaType MAP = JSON.getTypeFactory().constructType(
            new TypeReference<LinkedHashMap<String, Object>>() { });
    private static final ObjectReader MAP_READER = JSON.readerFor(MAP);
    private static final String DT_ID = "$dtId";
    private static final String ETAG = "$etag";
    private static final String METADATA = "$metadata";
    private static final String MODEL = "$model";
    private static final String RELATIONSHIP_ID = "$relationshipId";
    private static final String SOURCE_ID = "$sourceId";
    private static final String TARGET_ID = "$targetId";
    private static final String RELATIONSHIP_NAME = "$relationshipName";

    /**
     * {@code String.class} typed for the SDK's create calls, whose answer type must match the body's: the SDK then
     * hands the answer over as the JSON text it serialized once, which {@link #readMap} parses once, instead of
     * deserializing it into a map that would have to be converted again.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Object> AS_TEXT = (Class) String.class;

    private final DigitalTwinsClient client;
    private final Clock clock;

    /**
     * @param client a client built once per process, preferably by {@link DigitalTwinsClients} (SDK retries off)
     */
    public SdkDigitalTwinsGateway(DigitalTwinsClient client) {
        this(client, Clock.systemUTC());
    }

    /** As {@link #SdkDigitalTwinsGateway(DigitalTwinsClient)}, with the clock that turns HTTP-date {@code Retry-After} values into delays. */
    public SdkDigitalTwinsGateway(DigitalTwinsClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        Objects.requireNonNull(twinId, "twinId");
        return readOptional("getTwin", () -> {
            Response<String> response = client.getDigitalTwinWithResponse(twinId, String.class, Context.NONE);
            return toTwin(response.getValue(), etagHeader(response), response.getStatusCode());
        });
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return putTwin("createTwinIfAbsent", twin, "*");
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return putTwin("createOrReplaceTwin", twin, null);
    }

    private DigitalTwin putTwin(String operation, DigitalTwin twin, String ifNoneMatch) {
        Objects.requireNonNull(twin, "twin");
        Object body = twinBody(twin);
        return call(operation, () -> {
            Response<Object> response = client.createOrReplaceDigitalTwinWithResponse(twin.id(), body, AS_TEXT,
                    new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch(ifNoneMatch), Context.NONE);
            return toTwin(response.getValue(), etagHeader(response), response.getStatusCode());
        });
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(patch, "patch");
        JsonPatchDocument document = toPatchDocument(patch);
        call("updateTwin", () -> client.updateDigitalTwinWithResponse(twinId, document,
                new UpdateDigitalTwinOptions().setIfMatch(ifMatch), Context.NONE));
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        Objects.requireNonNull(twinId, "twinId");
        call("deleteTwin", () -> client.deleteDigitalTwinWithResponse(twinId,
                new DeleteDigitalTwinOptions().setIfMatch(ifMatch), Context.NONE));
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return putRelationship("createRelationshipIfAbsent", relationship, "*");
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return putRelationship("createOrReplaceRelationship", relationship, null);
    }

    private Relationship putRelationship(String operation, Relationship relationship, String ifNoneMatch) {
        Objects.requireNonNull(relationship, "relationship");
        Object body = relationshipBody(relationship);
        return call(operation, () -> {
            Response<Object> response = client.createOrReplaceRelationshipWithResponse(relationship.sourceId(),
                    relationship.id(), body, AS_TEXT,
                    new CreateOrReplaceRelationshipOptions().setIfNoneMatch(ifNoneMatch), Context.NONE);
            return toRelationship(response.getValue(), etagHeader(response), response.getStatusCode());
        });
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        Objects.requireNonNull(sourceTwinId, "sourceTwinId");
        Objects.requireNonNull(relationshipId, "relationshipId");
        return readOptional("getRelationship", () -> {
            Response<String> response = client.getRelationshipWithResponse(sourceTwinId, relationshipId,
                    String.class, Context.NONE);
            return toRelationship(response.getValue(), etagHeader(response), response.getStatusCode());
        });
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        Objects.requireNonNull(sourceTwinId, "sourceTwinId");
        Objects.requireNonNull(relationshipId, "relationshipId");
        call("deleteRelationship", () -> client.deleteRelationshipWithResponse(sourceTwinId, relationshipId,
                new DeleteRelationshipOptions().setIfMatch(ifMatch), Context.NONE));
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        Objects.requireNonNull(twinId, "twinId");
        return call("listRelationships", () -> {
            List<Relationship> all = new ArrayList<>();
            // Iterating the PagedIterable requests every nextLink page in turn.
            for (String json : client.listRelationships(twinId, relationshipName, String.class, Context.NONE)) {
                all.add(toRelationship(json, null, 200));
            }
            return List.copyOf(all);
        });
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        Objects.requireNonNull(twinId, "twinId");
        return call("listIncomingRelationships", () -> {
            List<IncomingRelationship> all = new ArrayList<>();
            for (com.azure.digitaltwins.core.models.IncomingRelationship incoming
                    : client.listIncomingRelationships(twinId, Context.NONE)) {
                all.add(new IncomingRelationship(incoming.getRelationshipId(), incoming.getSourceId(),
                        incoming.getRelationshipName(), incoming.getRelationshipLink()));
            }
            return List.copyOf(all);
        });
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        Objects.requireNonNull(query, "query");
        return call("query", () -> {
            PagedIterable<String> rows = client.query(query, String.class, new QueryOptions(), Context.NONE);
            // The by-page iterator fetches a page only when asked for it: next() once is exactly one POST /query,
            // carrying the query text for the first page and only the continuation token after that.
            Iterator<PagedResponse<String>> pages = continuationToken == null
                    ? rows.iterableByPage().iterator()
                    : rows.iterableByPage(encodeToken(continuationToken)).iterator();
            PagedResponse<String> page = pages.next();
            List<ObjectNode> items = new ArrayList<>();
            for (String json : page.getValue()) {
                items.add(toObjectNode(json, page.getStatusCode()));
            }
            return new QueryPage(items, decodeToken(page.getContinuationToken()));
        });
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        Objects.requireNonNull(dtdlModels, "dtdlModels");
        return call("createModels", () -> {
            Response<Iterable<DigitalTwinsModelData>> response =
                    client.createModelsWithResponse(dtdlModels, Context.NONE);
            List<ModelInfo> created = new ArrayList<>();
            for (DigitalTwinsModelData model : response.getValue()) {
                created.add(toModelInfo(model));
            }
            return List.copyOf(created);
        });
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return readOptional("getModel",
                () -> toModelInfo(client.getModelWithResponse(modelId, Context.NONE).getValue()));
    }

    // ---------------------------------------------------------------------------------------------------------

    private <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException failure) {
            throw SdkErrors.map(operation, failure, clock);
        }
    }

    private void call(String operation, Runnable action) {
        call(operation, () -> {
            action.run();
            return null;
        });
    }

    /**
     * A read whose 404 means "absent". The common case — a device registering for the first time — is answered from
     * the SDK's exception status alone, without reading the error body or building a second exception.
     */
    private <T> Optional<T> readOptional(String operation, Supplier<T> action) {
        try {
            return Optional.of(action.get());
        } catch (HttpResponseException failure) {
            if (failure.getResponse() != null && failure.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw SdkErrors.map(operation, failure, clock);
        } catch (RuntimeException failure) {
            RuntimeException mapped = SdkErrors.map(operation, failure, clock);
            if (mapped instanceof AdtException adt && adt.isNotFound()) {
                return Optional.empty();
            }
            throw mapped;
        }
    }

    private static String etagHeader(Response<?> response) {
        return response.getHeaders() == null ? null : response.getHeaders().getValue(HttpHeaderName.ETAG);
    }

    /**
     * The request body as plain JSON values: the SDK serializes what it is given, so a {@code String} would travel
     * as a JSON string literal. A body made of JSON values only (strings, numbers, booleans, {@code null}, maps with
     * string keys, lists) is handed over as it is; anything else goes through Jackson once here, which also rejects
     * values that are not JSON before anything is sent.
     */
    private static Object twinBody(DigitalTwin twin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(DT_ID, twin.id());
        body.put(METADATA, Map.of(MODEL, twin.modelId()));
        body.putAll(twin.properties());
        return jsonTree(body);
    }

    private static Object relationshipBody(Relationship relationship) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(RELATIONSHIP_ID, relationship.id());
        body.put(SOURCE_ID, relationship.sourceId());
        body.put(TARGET_ID, relationship.targetId());
        body.put(RELATIONSHIP_NAME, relationship.name());
        body.putAll(relationship.properties());
        return jsonTree(body);
    }

    private static Object jsonTree(Map<String, Object> body) {
        if (isPlainJson(body, 0)) {
            return body;
        }
        try {
            return MAP_READER.readValue(write(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether {@code value} serializes to the same JSON whether or not it is copied through Jackson first. */
    static boolean isPlainJson(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
            return true;
        }
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (depth >= Json.MAX_NESTING_DEPTH) {
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String) || !isPlainJson(entry.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!isPlainJson(item, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("property values must be JSON values (String, Number, Boolean, Map, "
                    + "List): " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> readMap(Object value, int status) {
        try {
            LinkedHashMap<String, Object> map = value == null ? null
                    : value instanceof String json ? MAP_READER.<LinkedHashMap<String, Object>>readValue(json)
                    : JSON.<LinkedHashMap<String, Object>>convertValue(value, MAP);
            if (map == null) {
                throw new AdtException(status, AdtErrorCodes.UNKNOWN, "Azure Digital Twins answered without a body");
            }
            return map;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AdtException(status, AdtErrorCodes.UNKNOWN,
                    "Azure Digital Twins answered with a body that is not a JSON object", null, e);
        }
    }

    static DigitalTwin toTwin(Object json, String etagHeader, int status) {
        Map<String, Object> map = readMap(json, status);
        String id = stringOrNull(map.get(DT_ID));
        String modelId = map.get(METADATA) instanceof Map<?, ?> metadata ? stringOrNull(metadata.get(MODEL)) : null;
        if (id == null || modelId == null) {
            throw new AdtException(status, AdtErrorCodes.UNKNOWN,
                    "Azure Digital Twins answered with a twin without $dtId or $metadata.$model");
        }
        String etag = stringOrNull(map.get(ETAG));
        return new DigitalTwin(id, modelId, etag != null ? etag : etagHeader, withoutSystemProperties(map));
    }

    static Relationship toRelationship(Object json, String etagHeader, int status) {
        Map<String, Object> map = readMap(json, status);
        String id = stringOrNull(map.get(RELATIONSHIP_ID));
        String sourceId = stringOrNull(map.get(SOURCE_ID));
        String targetId = stringOrNull(map.get(TARGET_ID));
        String name = stringOrNull(map.get(RELATIONSHIP_NAME));
        if (id == null || sourceId == null || targetId == null || name == null) {
            throw new AdtException(status, AdtErrorCodes.UNKNOWN, "Azure Digital Twins answered with a relationship "
                    + "without $relationshipId, $sourceId, $targetId or $relationshipName");
        }
        String etag = stringOrNull(map.get(ETAG));
        return new Relationship(id, sourceId, targetId, name, etag != null ? etag : etagHeader,
                withoutSystemProperties(map));
    }

    private static ObjectNode toObjectNode(String json, int status) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new AdtException(status, AdtErrorCodes.UNKNOWN,
                    "Azure Digital Twins answered with a query row that is not JSON", null, e);
        }
        throw new AdtException(status, AdtErrorCodes.UNKNOWN,
                "Azure Digital Twins answered with a query row that is not a JSON object");
    }

    private static ModelInfo toModelInfo(DigitalTwinsModelData model) {
        return new ModelInfo(model.getModelId(), model.isDecommissioned(), model.getDtdlModel());
    }

    /** Top-level {@code $}-properties ({@code $dtId}, {@code $etag}, {@code $metadata}, ...) are ADT's, not the twin's. */
    private static Map<String, Object> withoutSystemProperties(Map<String, Object> map) {
        Map<String, Object> properties = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!key.startsWith("$")) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }

    private static JsonPatchDocument toPatchDocument(List<JsonPatchOperation> patch) {
        JsonPatchDocument document = new JsonPatchDocument();
        for (JsonPatchOperation op : patch) {
            switch (op.op()) {
                case ADD -> document.appendAdd(op.path(), op.value());
                case REPLACE -> document.appendReplace(op.path(), op.value());
                case REMOVE -> document.appendRemove(op.path());
                default -> throw new IllegalArgumentException("unsupported JSON Patch operation " + op.op());
            }
        }
        return document;
    }

    /**
     * The SDK hands out the service's continuation token JSON-encoded ({@code "\"abc\""}) and takes it back the same
     * way; callers of this gateway see the service's token itself, as the in-memory gateways return it.
     */
    private static String decodeToken(String sdkToken) {
        if (sdkToken == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(sdkToken);
            if (node == null || node.isNull()) {
                return null;
            }
            return node.isTextual() ? node.asText() : sdkToken;
        } catch (JsonProcessingException notJson) {
            return sdkToken;
        }
    }

    private static String encodeToken(String token) {
        return write(token);
    }
}
