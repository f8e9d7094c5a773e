package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory Azure Digital Twins for tests: a {@link DigitalTwinsGateway} that enforces ADT's rules (see
 * {@link AdtEngine}) without a network. Failures are {@link AdtServiceException}s with ADT's status codes and
 * {@code error.code}s, exactly as the HTTPS emulator answers them.
 *
 * <pre>{@code
 * InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
 * adt.uploadModels(thermostatDtdl);
 * adt.faults().throttleNext(Duration.ofSeconds(1));   // the next call gets 429 with Retry-After: 1
 * adt.engine().queryIndexLag(Duration.ofSeconds(10)); // queries see writes 10 s later, as in ADT
 * assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(1);
 * }</pre>
 *
 * Thread-safe.
 */
public final class InMemoryDigitalTwins implements DigitalTwinsGateway, AdtEngineAccess {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final AdtEngine engine;

    /** A fake over {@code engine} (which an {@code AdtEmulator} may serve at the same time). */
    public InMemoryDigitalTwins(AdtEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** A fake with a default engine: no models, no lag, no limits, no faults. */
    public static InMemoryDigitalTwins create() {
        return new InMemoryDigitalTwins(AdtEngine.create());
    }

    @Override
    public AdtEngine engine() {
        return engine;
    }

    /** Drops everything, models included (see {@link AdtEngine#reset()}). */
    public void reset() {
        engine.reset();
    }

    /** Drops twins and relationships, keeping models (see {@link AdtEngine#clearTwins()}). */
    public void clearTwins() {
        engine.clearTwins();
    }

    /** Uploads DTDL interfaces, each string holding one interface or an array of them. */
    public List<ModelInfo> uploadModels(String... dtdl) {
        ArrayNode batch = JSON.arrayNode();
        for (String text : dtdl) {
            JsonNode node = parseModel(text);
            if (node.isArray()) {
                batch.addAll((ArrayNode) node);
            } else {
                batch.add(node);
            }
        }
        return toModelInfos(engine.createModels(batch));
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        try {
            return Optional.of(toTwin(engine.getTwin(twinId)));
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return toTwin(engine.putTwin(twin.id(), toJson(twin), "*"));
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return toTwin(engine.putTwin(twin.id(), toJson(twin), null));
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        engine.patchTwin(twinId, toJson(patch), ifMatch);
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        engine.deleteTwin(twinId, ifMatch);
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        return toRelationship(engine.putRelationship(relationship.sourceId(), relationship.id(),
                toJson(relationship), "*"));
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        return toRelationship(engine.putRelationship(relationship.sourceId(), relationship.id(),
                toJson(relationship), null));
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        try {
            return Optional.of(toRelationship(engine.getRelationship(sourceTwinId, relationshipId)));
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        engine.deleteRelationship(sourceTwinId, relationshipId, ifMatch);
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        List<Relationship> relationships = new ArrayList<>();
        Page page = engine.listRelationships(twinId, relationshipName, null);
        page.items().forEach(item -> relationships.add(toRelationship(item)));
        while (page.continuationToken() != null) {
            page = engine.listRelationships(twinId, relationshipName, page.continuationToken());
            page.items().forEach(item -> relationships.add(toRelationship(item)));
        }
        return relationships;
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        List<IncomingRelationship> relationships = new ArrayList<>();
        Page page = engine.listIncomingRelationships(twinId, null);
        page.items().forEach(item -> relationships.add(toIncoming(item)));
        while (page.continuationToken() != null) {
            page = engine.listIncomingRelationships(twinId, page.continuationToken());
            page.items().forEach(item -> relationships.add(toIncoming(item)));
        }
        return relationships;
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        Page page = engine.query(query, continuationToken, null);
        return new QueryPage(page.items(), page.continuationToken());
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        ArrayNode batch = JSON.arrayNode();
        dtdlModels.forEach(text -> batch.add(parseModel(text)));
        return toModelInfos(engine.createModels(batch));
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        try {
            ObjectNode data = engine.getModel(modelId, true);
            return Optional.of(new ModelInfo(data.get("id").asText(), data.path("decommissioned").asBoolean(),
                    AdtJson.MAPPER.writeValueAsString(data.get("model"))));
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored model cannot be written as JSON", e);
        }
    }

    @Override
    public String toString() {
        return "InMemoryDigitalTwins[twins=" + engine.twinCount() + ", relationships=" + engine.relationshipCount()
                + ", models=" + engine.modelIds().size() + "]";
    }

    // ------------------------------------------------------------------------------------------------ conversions

    private static JsonNode parseModel(String text) {
        try {
            return AdtJson.MAPPER.readTree(Objects.requireNonNull(text, "model"));
        } catch (JsonProcessingException e) {
            throw new AdtServiceException(400, AdtErrorCodes.DTDL_PARSER_ERROR,
                    "A model is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<ModelInfo> toModelInfos(ArrayNode data) {
        List<ModelInfo> infos = new ArrayList<>();
        data.forEach(model -> infos.add(new ModelInfo(model.get("id").asText(),
                model.path("decommissioned").asBoolean(), null)));
        return infos;
    }

    static ObjectNode toJson(DigitalTwin twin) {
        ObjectNode node = JSON.objectNode();
        node.put("$dtId", twin.id());
        ObjectNode metadata = node.putObject("$metadata");
        metadata.put("$model", twin.modelId());
        twin.properties().forEach((key, value) -> {
            if (!key.equals("$dtId") && !key.equals("$metadata") && !key.equals("$etag")) {
                node.set(key, AdtJson.toNode(value));
            }
        });
        return node;
    }

    static ObjectNode toJson(Relationship relationship) {
        ObjectNode node = JSON.objectNode();
        node.put("$relationshipId", relationship.id());
        node.put("$sourceId", relationship.sourceId());
        node.put("$targetId", relationship.targetId());
        node.put("$relationshipName", relationship.name());
        relationship.properties().forEach((key, value) -> node.set(key, AdtJson.toNode(value)));
        return node;
    }

    static ArrayNode toJson(List<JsonPatchOperation> patch) {
        ArrayNode node = JSON.arrayNode();
        for (JsonPatchOperation operation : patch) {
            ObjectNode op = node.addObject();
            op.put("op", operation.op().name().toLowerCase(Locale.ROOT));
            op.put("path", operation.path());
            if (operation.op() != JsonPatchOperation.Op.REMOVE) {
                op.set("value", AdtJson.toNode(operation.value()));
            }
        }
        return node;
    }

    static DigitalTwin toTwin(ObjectNode node) {
        return new DigitalTwin(node.get("$dtId").asText(), node.path("$metadata").path("$model").asText(),
                node.path("$etag").asText(null), withoutSystemFields(node, List.of("$dtId", "$etag", "$metadata")));
    }

    static Relationship toRelationship(ObjectNode node) {
        return new Relationship(node.get("$relationshipId").asText(), node.get("$sourceId").asText(),
                node.get("$targetId").asText(), node.get("$relationshipName").asText(),
                node.path("$etag").asText(null), withoutSystemFields(node, Arrays.asList("$relationshipId",
                "$sourceId", "$targetId", "$relationshipName", "$etag")));
    }

    private static IncomingRelationship toIncoming(ObjectNode node) {
        return new IncomingRelationship(node.get("$relationshipId").asText(), node.get("$sourceId").asText(),
                node.path("$relationshipName").asText(null), node.path("$relationshipLink").asText(null));
    }

    private static Map<String, Object> withoutSystemFields(ObjectNode node, List<String> systemFields) {
        ObjectNode copy = node.deepCopy();
        copy.remove(systemFields);
        return AdtJson.toMap(copy);
    }

    /** For tests of clients: throttles the next call as ADT does (429 with {@code Retry-After}). */
    public void throttleNext(Duration retryAfter) {
        engine.faults().throttleNext(retryAfter);
    }
}
