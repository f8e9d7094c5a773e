package io.dpstwin.core.twins;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-memory gateway for core's own unit tests (core cannot depend on the testkit). It enforces the ADT
 * rules core relies on: {@code If-None-Match: *} (412), {@code If-Match} etags (412), 404 codes, missing
 * relationship targets, and {@code RelationshipsNotDeleted} for a twin with any incoming or outgoing
 * relationship. Models are not validated. Tests may queue failures per operation and read call counters.
 */
public class HandFakeGateway implements DigitalTwinsGateway {

    private final Map<String, DigitalTwin> twins = new LinkedHashMap<>();
    /** source twin id -> relationship id -> relationship. */
    private final Map<String, Map<String, Relationship>> relationships = new HashMap<>();
    private final Map<String, ModelInfo> models = new LinkedHashMap<>();
    private final Map<String, Deque<RuntimeException>> queuedFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** Makes the next call of {@code operation} (a method name of the gateway) throw {@code failure}. */
    public void failNext(String operation, RuntimeException failure) {
        queuedFailures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(failure);
    }

    /** How many times {@code operation} (a method name of the gateway) was called. */
    public int calls(String operation) {
        AtomicInteger counter = calls.get(operation);
        return counter == null ? 0 : counter.get();
    }

    public synchronized int twinCount() {
        return twins.size();
    }

    public synchronized int relationshipCount() {
        return relationships.values().stream().mapToInt(Map::size).sum();
    }

    private void enter(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        Deque<RuntimeException> queue = queuedFailures.get(operation);
        if (queue != null) {
            RuntimeException failure;
            synchronized (queue) {
                failure = queue.poll();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static String newEtag() {
        return "W/\"" + UUID.randomUUID() + "\"";
    }

    private static AdtException twinNotFound(String id) {
        return new AdtException(404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND,
                "There is no digital twin instance that exists with the ID " + id + ".");
    }

    private static void checkIfMatch(String ifMatch, String etag) {
        if (ifMatch != null && !"*".equals(ifMatch) && !ifMatch.equals(etag)) {
            throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED,
                    "The provided etag " + ifMatch + " doesn't match the current etag for the resource.");
        }
    }

    @Override
    public synchronized Optional<DigitalTwin> getTwin(String twinId) {
        enter("getTwin");
        return Optional.ofNullable(twins.get(twinId));
    }

    @Override
    public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        enter("createTwinIfAbsent");
        if (twins.containsKey(twin.id())) {
            throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED,
                    "If-None-Match: * header was specified but a twin with the id " + twin.id() + " was found.");
        }
        return store(twin);
    }

    @Override
    public synchronized DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        enter("createOrReplaceTwin");
        return store(twin);
    }

    private DigitalTwin store(DigitalTwin twin) {
        DigitalTwin stored = new DigitalTwin(twin.id(), twin.modelId(), newEtag(), twin.properties());
        twins.put(twin.id(), stored);
        return stored;
    }

    @Override
    public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        enter("updateTwin");
        DigitalTwin twin = twins.get(twinId);
        if (twin == null) {
            throw twinNotFound(twinId);
        }
        checkIfMatch(ifMatch, twin.etag());
        String model = twin.modelId();
        Map<String, Object> properties = new LinkedHashMap<>(twin.properties());
        for (JsonPatchOperation op : patch) {
            if ("/$metadata/$model".equals(op.path())) {
                model = String.valueOf(op.value());
                continue;
            }
            String key = op.path().substring(1);
            if (op.op() == JsonPatchOperation.Op.REMOVE) {
                properties.remove(key);
            } else {
                properties.put(key, op.value());
            }
        }
        twins.put(twinId, new DigitalTwin(twinId, model, newEtag(), properties));
    }

    @Override
    public synchronized void deleteTwin(String twinId, String ifMatch) {
        enter("deleteTwin");
        DigitalTwin twin = twins.get(twinId);
        if (twin == null) {
            throw twinNotFound(twinId);
        }
        checkIfMatch(ifMatch, twin.etag());
        boolean outgoing = !relationships.getOrDefault(twinId, Map.of()).isEmpty();
        boolean incoming = relationships.values().stream()
                .flatMap(m -> m.values().stream())
                .anyMatch(r -> r.targetId().equals(twinId));
        if (outgoing || incoming) {
            throw new AdtException(400, AdtErrorCodes.RELATIONSHIPS_NOT_DELETED,
                    "Twin " + twinId + " has active relationships. Cannot delete a twin unless all the relationships are deleted.");
        }
        twins.remove(twinId);
        relationships.remove(twinId);
    }

    @Override
    public synchronized Relationship createRelationshipIfAbsent(Relationship relationship) {
        enter("createRelationshipIfAbsent");
        checkEnds(relationship);
        if (relationships.getOrDefault(relationship.sourceId(), Map.of()).containsKey(relationship.id())) {
            throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED,
                    "If-None-Match: * header was specified but a relationship with the id " + relationship.id()
                            + " was found.");
        }
        return storeRelationship(relationship);
    }

    @Override
    public synchronized Relationship createOrReplaceRelationship(Relationship relationship) {
        enter("createOrReplaceRelationship");
        checkEnds(relationship);
        return storeRelationship(relationship);
    }

    private void checkEnds(Relationship relationship) {
        if (!twins.containsKey(relationship.sourceId())) {
            throw twinNotFound(relationship.sourceId());
        }
        if (!twins.containsKey(relationship.targetId())) {
            throw new AdtException(404, AdtErrorCodes.TARGET_DIGITAL_TWIN_NOT_FOUND,
                    "The target digital twin is invalid or does not exist");
        }
    }

    private Relationship storeRelationship(Relationship r) {
        Relationship stored = new Relationship(r.id(), r.sourceId(), r.targetId(), r.name(), newEtag(), r.properties());
        relationships.computeIfAbsent(r.sourceId(), k -> new LinkedHashMap<>()).put(r.id(), stored);
        return stored;
    }

    @Override
    public synchronized Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        enter("getRelationship");
        return Optional.ofNullable(relationships.getOrDefault(sourceTwinId, Map.of()).get(relationshipId));
    }

    @Override
    public synchronized void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        enter("deleteRelationship");
        if (!twins.containsKey(sourceTwinId)) {
            throw twinNotFound(sourceTwinId);
        }
        Map<String, Relationship> outgoing = relationships.getOrDefault(sourceTwinId, Map.of());
        Relationship existing = outgoing.get(relationshipId);
        if (existing == null) {
            throw new AdtException(404, AdtErrorCodes.RELATIONSHIP_NOT_FOUND,
                    "Relationship " + relationshipId + " not found on twin " + sourceTwinId + ".");
        }
        checkIfMatch(ifMatch, existing.etag());
        outgoing.remove(relationshipId);
    }

    @Override
    public synchronized List<Relationship> listRelationships(String twinId, String relationshipName) {
        enter("listRelationships");
        if (!twins.containsKey(twinId)) {
            throw twinNotFound(twinId);
        }
        List<Relationship> result = new ArrayList<>();
        for (Relationship r : relationships.getOrDefault(twinId, Map.of()).values()) {
            if (relationshipName == null || relationshipName.equals(r.name())) {
                result.add(r);
            }
        }
        return result;
    }

    @Override
    public synchronized List<IncomingRelationship> listIncomingRelationships(String twinId) {
        enter("listIncomingRelationships");
        if (!twins.containsKey(twinId)) {
            throw twinNotFound(twinId);
        }
        List<IncomingRelationship> result = new ArrayList<>();
        relationships.values().forEach(m -> m.values().stream()
                .filter(r -> r.targetId().equals(twinId))
                .forEach(r -> result.add(new IncomingRelationship(r.id(), r.sourceId(), r.name(),
                        "/digitaltwins/" + r.sourceId() + "/relationships/" + r.id()))));
        return result;
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        enter("query");
        throw new UnsupportedOperationException("HandFakeGateway does not evaluate queries; use the testkit fake");
    }

    @Override
    public synchronized List<ModelInfo> createModels(List<String> dtdlModels) {
        enter("createModels");
        List<ModelInfo> created = new ArrayList<>();
        for (String dtdl : dtdlModels) {
            ObjectNode node;
            try {
                node = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(dtdl);
            } catch (Exception e) {
                throw new AdtException(400, AdtErrorCodes.DTDL_PARSER_ERROR, "Invalid DTDL: " + e.getMessage());
            }
            String id = node.path("@id").asText();
            if (models.containsKey(id)) {
                throw new AdtException(409, AdtErrorCodes.MODEL_ALREADY_EXISTS, "Model " + id + " already exists.");
            }
            ModelInfo info = new ModelInfo(id, false, dtdl);
            models.put(id, info);
            created.add(info);
        }
        return created;
    }

    @Override
    public synchronized Optional<ModelInfo> getModel(String modelId) {
        enter("getModel");
        return Optional.ofNullable(models.get(modelId));
    }
}
