package io.dpstwin.testkit.adt.dtdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The uploaded DTDL models of an emulated ADT instance and the checks ADT makes with them: all-or-nothing
 * upload with references resolved against the batch and the models already uploaded, twin contents against a
 * model and its whole {@code extends} chain, relationships against the source model, model inheritance for
 * {@code IS_OF_MODEL}, and deletion only of unreferenced models.
 *
 * <p>Not thread-safe: the engine that owns it serialises access.
 */
public final class ModelRepository {

    /** ADT's limit on the depth of {@code extends} chains (DTDL v2 and v3). */
    public static final int MAX_EXTENDS_DEPTH = 10;

    private final Map<String, StoredModel> models = new LinkedHashMap<>();
    private final Map<String, JsonNode> namedSchemas = new HashMap<>();

    /**
     * Uploads a batch of interfaces, all or nothing.
     *
     * @return the stored models, in batch order
     * @throws DtdlException            a model is invalid or references something neither in the batch nor uploaded
     * @throws ModelRepositoryException {@link ModelRepositoryException.Reason#ALREADY_EXISTS} when a model is uploaded
     */
    public List<StoredModel> upload(List<? extends JsonNode> batch, Instant uploadTime) {
        Map<String, DtdlInterface> parsed = new LinkedHashMap<>();
        for (JsonNode node : batch) {
            DtdlInterface model = DtdlParser.parse(node);
            if (parsed.putIfAbsent(model.id(), model) != null) {
                throw new DtdlException("The upload holds the model " + model.id() + " more than once.");
            }
        }
        for (String id : parsed.keySet()) {
            if (models.containsKey(id)) {
                throw new ModelRepositoryException(ModelRepositoryException.Reason.ALREADY_EXISTS,
                        "Model with id " + id + " already exists. Use a new version (;N) or delete the model first.");
            }
        }
        Map<String, DtdlInterface> view = new LinkedHashMap<>();
        models.forEach((id, stored) -> view.put(id, stored.model()));
        view.putAll(parsed);
        Map<String, JsonNode> schemas = new HashMap<>(namedSchemas);
        for (DtdlInterface model : parsed.values()) {
            for (Map.Entry<String, JsonNode> schema : model.schemas().entrySet()) {
                if (schemas.put(schema.getKey(), schema.getValue()) != null) {
                    throw new DtdlException("The schema " + schema.getKey() + " is defined by more than one model.");
                }
            }
        }
        for (DtdlInterface model : parsed.values()) {
            resolve(model, view, schemas);
        }
        for (DtdlInterface model : parsed.values()) {
            models.put(model.id(), new StoredModel(model, uploadTime, false));
        }
        namedSchemas.clear();
        namedSchemas.putAll(schemas);
        List<StoredModel> stored = new ArrayList<>();
        parsed.keySet().forEach(id -> stored.add(models.get(id)));
        return stored;
    }

    private static void resolve(DtdlInterface model, Map<String, DtdlInterface> view, Map<String, JsonNode> schemas) {
        for (String parent : model.extendsIds()) {
            DtdlInterface parentModel = view.get(parent);
            if (parentModel == null) {
                throw new DtdlException(model.id() + " extends " + parent + ", which is neither in this upload nor "
                        + "uploaded before.");
            }
            if (model.dtdlVersion() == 2 && parentModel.dtdlVersion() == 3) {
                throw new DtdlException(model.id() + " is DTDL v2 and cannot extend the DTDL v3 interface " + parent
                        + ".");
            }
        }
        depth(model.id(), view, new ArrayDeque<>());
        Map<String, String> inheritedNames = new HashMap<>();
        for (DtdlInterface ancestor : ancestors(model.id(), view)) {
            if (ancestor.id().equals(model.id())) {
                continue;
            }
            for (String name : ancestor.contents().keySet()) {
                inheritedNames.putIfAbsent(name, ancestor.id());
            }
        }
        for (DtdlContent content : model.contents().values()) {
            String owner = inheritedNames.get(content.name());
            if (owner != null) {
                throw new DtdlException(model.id() + " declares '" + content.name() + "', which it already inherits "
                        + "from " + owner + ".");
            }
            if (content.kind() == DtdlContent.Kind.COMPONENT) {
                DtdlInterface schema = view.get(content.componentInterface());
                if (schema == null) {
                    throw new DtdlException(model.id() + " component '" + content.name() + "' uses "
                            + content.componentInterface() + ", which is neither in this upload nor uploaded before.");
                }
                if (model.dtdlVersion() == 2 && schema.dtdlVersion() == 3) {
                    throw new DtdlException(model.id() + " is DTDL v2 and cannot use the DTDL v3 interface "
                            + schema.id() + " as a component.");
                }
                for (DtdlInterface part : ancestors(schema.id(), view)) {
                    for (DtdlContent nested : part.contents().values()) {
                        if (nested.kind() == DtdlContent.Kind.COMPONENT) {
                            throw new DtdlException(model.id() + " component '" + content.name() + "' uses "
                                    + schema.id() + ", which has components itself; ADT allows one level of "
                                    + "components only.");
                        }
                    }
                }
            }
        }
        for (String reference : model.schemaReferences()) {
            if (!schemas.containsKey(reference)) {
                throw new DtdlException(model.id() + " uses the schema " + reference + ", which is defined neither in "
                        + "this upload nor in a model uploaded before.");
            }
        }
    }

    private static int depth(String id, Map<String, DtdlInterface> view, Deque<String> path) {
        if (path.contains(id)) {
            throw new DtdlException("The extends chain " + path + " -> " + id + " is a cycle.");
        }
        DtdlInterface model = view.get(id);
        if (model == null) {
            return 0;
        }
        path.push(id);
        int deepest = 0;
        for (String parent : model.extendsIds()) {
            deepest = Math.max(deepest, 1 + depth(parent, view, path));
        }
        path.pop();
        if (deepest > MAX_EXTENDS_DEPTH) {
            throw new DtdlException("The extends chain of " + id + " is " + deepest + " levels deep; ADT allows at most "
                    + MAX_EXTENDS_DEPTH + ".");
        }
        return deepest;
    }

    /** The model and every interface it extends, directly or not, each once, the model first. */
    private static List<DtdlInterface> ancestors(String id, Map<String, DtdlInterface> view) {
        List<DtdlInterface> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(id);
        while (!todo.isEmpty()) {
            String next = todo.poll();
            DtdlInterface model = view.get(next);
            if (model != null && seen.add(next)) {
                result.add(model);
                todo.addAll(model.extendsIds());
            }
        }
        return result;
    }

    private Map<String, DtdlInterface> view() {
        Map<String, DtdlInterface> view = new HashMap<>();
        models.forEach((id, stored) -> view.put(id, stored.model()));
        return view;
    }

    public Optional<StoredModel> get(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** Every uploaded model, in upload order. */
    public List<StoredModel> all() {
        return List.copyOf(models.values());
    }

    public int size() {
        return models.size();
    }

    /**
     * The given models and everything they depend on ({@code extends} and component interfaces, transitively), in
     * upload order.
     *
     * @throws ModelRepositoryException {@link ModelRepositoryException.Reason#NOT_FOUND} for an unknown id
     */
    public List<StoredModel> withDependencies(Collection<String> ids) {
        Set<String> wanted = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String id : ids) {
            if (!models.containsKey(id)) {
                throw notFound(id);
            }
            todo.add(id);
        }
        while (!todo.isEmpty()) {
            String id = todo.poll();
            StoredModel model = models.get(id);
            if (model == null || !wanted.add(id)) {
                continue;
            }
            todo.addAll(model.model().extendsIds());
            for (DtdlContent content : model.model().contents().values()) {
                if (content.componentInterface() != null) {
                    todo.add(content.componentInterface());
                }
            }
        }
        List<StoredModel> result = new ArrayList<>();
        for (StoredModel model : models.values()) {
            if (wanted.contains(model.id())) {
                result.add(model);
            }
        }
        return result;
    }

    /**
     * Deletes a model nothing else references.
     *
     * @throws ModelRepositoryException NOT_FOUND, or REFERENCED when another model extends it, uses it as a component
     *                                  or uses a schema it defines
     */
    public void delete(String id) {
        StoredModel model = models.get(id);
        if (model == null) {
            throw notFound(id);
        }
        for (StoredModel other : models.values()) {
            if (other.id().equals(id)) {
                continue;
            }
            DtdlInterface o = other.model();
            boolean references = o.extendsIds().contains(id)
                    || o.contents().values().stream().anyMatch(c -> id.equals(c.componentInterface()))
                    || o.schemaReferences().stream().anyMatch(model.model().schemas()::containsKey);
            if (references) {
                throw new ModelRepositoryException(ModelRepositoryException.Reason.REFERENCED,
                        "Model " + id + " is referenced by model " + other.id() + "; delete the models that reference "
                                + "it first.");
            }
        }
        models.remove(id);
        model.model().schemas().keySet().forEach(namedSchemas::remove);
    }

    /**
     * Marks a model decommissioned: no new twins of it.
     *
     * @throws ModelRepositoryException NOT_FOUND
     */
    public void decommission(String id) {
        StoredModel model = models.get(id);
        if (model == null) {
            throw notFound(id);
        }
        models.put(id, model.decommission());
    }

    /** Forgets every model. */
    public void clear() {
        models.clear();
        namedSchemas.clear();
    }

    /**
     * Whether a twin of {@code modelId} is of {@code candidate}: the same model, or (unless {@code exact}) a model
     * that extends it directly or not.
     */
    public boolean isOfModel(String modelId, String candidate, boolean exact) {
        if (modelId == null || candidate == null) {
            return false;
        }
        if (modelId.equals(candidate)) {
            return true;
        }
        if (exact) {
            return false;
        }
        return ancestors(modelId, view()).stream().anyMatch(m -> m.id().equals(candidate));
    }

    /**
     * Every element of contents a twin of {@code modelId} has: its own and the inherited ones, or empty when the
     * model or one of its dependencies is not uploaded.
     */
    public Optional<Map<String, DtdlContent>> effectiveContents(String modelId) {
        if (!models.containsKey(modelId)) {
            return Optional.empty();
        }
        Map<String, DtdlInterface> view = view();
        Map<String, DtdlContent> contents = new LinkedHashMap<>();
        for (DtdlInterface model : ancestors(modelId, view)) {
            for (String parent : model.extendsIds()) {
                if (!view.containsKey(parent)) {
                    return Optional.empty();
                }
            }
            model.contents().forEach(contents::putIfAbsent);
        }
        return Optional.of(contents);
    }

    /**
     * What is wrong with the contents of a twin of {@code modelId} (its non-{@code $} keys, components included);
     * empty when the twin conforms. The model must be uploaded ({@link #effectiveContents}).
     */
    public List<String> validateTwin(String modelId, ObjectNode twin) {
        List<String> problems = new ArrayList<>();
        Map<String, DtdlContent> contents = effectiveContents(modelId).orElseThrow(() -> notFound(modelId));
        SchemaValidator validator = new SchemaValidator(namedSchemas::get);
        for (Map.Entry<String, JsonNode> field : twin.properties()) {
            String key = field.getKey();
            if (key.startsWith("$")) {
                continue;
            }
            DtdlContent content = contents.get(key);
            if (content == null) {
                problems.add(key + " is not a property or component of " + modelId
                        + " (nor of the models it extends).");
                continue;
            }
            switch (content.kind()) {
                case PROPERTY:
                    validator.validate(content.schema(), field.getValue(), key, problems);
                    break;
                case COMPONENT:
                    validateComponent(content, field.getValue(), validator, problems);
                    break;
                case TELEMETRY:
                    problems.add(key + " is not a property - it is a Telemetry.");
                    break;
                case RELATIONSHIP:
                    problems.add(key + " is not a property - it is a Relationship; create relationships with the "
                            + "relationships API.");
                    break;
                case COMMAND:
                default:
                    problems.add(key + " is not a property - it is a Command.");
            }
        }
        for (DtdlContent content : contents.values()) {
            if (content.kind() == DtdlContent.Kind.COMPONENT && !twin.has(content.name())) {
                problems.add("The component " + content.name() + " must be initialised, e.g. \"" + content.name()
                        + "\": {\"$metadata\": {}}.");
            }
        }
        return problems;
    }

    private void validateComponent(DtdlContent component, JsonNode value, SchemaValidator validator,
                                   List<String> problems) {
        String name = component.name();
        if (!value.isObject()) {
            problems.add("The component " + name + " must be an object, found " + DtdlParser.describe(value) + ".");
            return;
        }
        Optional<Map<String, DtdlContent>> contents = effectiveContents(component.componentInterface());
        if (contents.isEmpty()) {
            problems.add("The interface " + component.componentInterface() + " of component " + name
                    + " does not exist.");
            return;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String key = field.getKey();
            if (key.equals("$metadata")) {
                if (!field.getValue().isObject()) {
                    problems.add(name + ".$metadata must be an object.");
                }
                continue;
            }
            DtdlContent content = contents.get().get(key);
            if (content == null || content.kind() != DtdlContent.Kind.PROPERTY) {
                problems.add(name + "." + key + " is not a property of " + component.componentInterface() + ".");
                continue;
            }
            validator.validate(content.schema(), field.getValue(), name + "." + key, problems);
        }
    }

    /**
     * What is wrong with a relationship named {@code name} from a twin of {@code sourceModel} to a twin of
     * {@code targetModel}: {@code null} when it is allowed.
     */
    public String relationshipProblem(String sourceModel, String name, String targetModel) {
        Optional<Map<String, DtdlContent>> contents = effectiveContents(sourceModel);
        if (contents.isEmpty()) {
            return "The model " + sourceModel + " of the source twin does not exist.";
        }
        DtdlContent content = contents.get().get(name);
        if (content == null || content.kind() != DtdlContent.Kind.RELATIONSHIP) {
            return "Relationship " + name + " is not defined in the model " + sourceModel
                    + " of the source twin (nor in the models it extends).";
        }
        if (content.target() != null && !isOfModel(targetModel, content.target(), false)) {
            return "Relationship " + name + " of " + sourceModel + " must target twins of " + content.target()
                    + ", but the target twin is of " + targetModel + ".";
        }
        return null;
    }

    /** What is wrong with the properties of a relationship allowed by {@link #relationshipProblem}. */
    public List<String> validateRelationshipProperties(String sourceModel, String name, ObjectNode relationship) {
        List<String> problems = new ArrayList<>();
        DtdlContent content = effectiveContents(sourceModel).map(c -> c.get(name)).orElse(null);
        if (content == null) {
            return problems;
        }
        SchemaValidator validator = new SchemaValidator(namedSchemas::get);
        for (Map.Entry<String, JsonNode> field : relationship.properties()) {
            if (field.getKey().startsWith("$")) {
                continue;
            }
            JsonNode schema = content.relationshipProperties().get(field.getKey());
            if (schema == null) {
                problems.add(field.getKey() + " is not a property of relationship " + name + ".");
            } else {
                validator.validate(schema, field.getValue(), field.getKey(), problems);
            }
        }
        return problems;
    }

    private static ModelRepositoryException notFound(String id) {
        return new ModelRepositoryException(ModelRepositoryException.Reason.NOT_FOUND,
                "There is no Model(s) available that matches the provided id(s) " + id
                        + ". Check that the Model ID provided is valid by doing a Model_List API call.");
    }
}
