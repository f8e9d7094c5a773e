package io.dpstwin.testkit.adt.dtdl;

import io.dpstwin.core.support.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.Dtmi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the syntax of one DTDL v2/v3 interface as ADT's model upload does and turns it into a
 * {@link DtdlInterface}. References to other interfaces and named schemas are resolved later by the
 * {@link ModelRepository}, against the batch and the models already uploaded.
 *
 * <p>What is checked: {@code @context} ({@code dtmi:dtdl:context;2} or {@code ;3}, v3 extension contexts),
 * {@code @id} (DTMI syntax; DTDL v2 needs an integer version), {@code @type} {@code Interface},
 * {@code extends} (DTMIs only, no inline interfaces, at most 2 in v2), {@code contents} (each one of
 * Property, Telemetry, Relationship, Component or Command, with a valid unique {@code name}; Property and
 * Telemetry with a valid {@code schema}, Component with an interface DTMI, Relationship with an optional DTMI
 * {@code target} and valid {@code properties}) and {@code schemas}.
 */
public final class DtdlParser {

    public static final String CONTEXT_V2 = "dtmi:dtdl:context;2";
    public static final String CONTEXT_V3 = "dtmi:dtdl:context;3";

    private static final Pattern NAME = Pattern.compile("^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$");
    private static final Pattern V2_VERSION = Pattern.compile(";[1-9][0-9]{0,8}$");
    private static final Set<String> GEOSPATIAL = Set.of(
            "point", "multiPoint", "lineString", "multiLineString", "polygon", "multiPolygon");
    private static final Set<String> PRIMITIVES_V2 = Set.of(
            "boolean", "date", "dateTime", "double", "duration", "float", "integer", "long", "string", "time");
    private static final Set<String> PRIMITIVES_V3_ONLY = Set.of(
            "byte", "bytes", "decimal", "short", "uuid", "unsignedByte", "unsignedShort", "unsignedInteger",
            "unsignedLong");

    private DtdlParser() {
    }

    /** Whether {@code name} is a primitive (or geospatial) schema in DTDL {@code version}. */
    public static boolean isPrimitive(String name, int version) {
        return PRIMITIVES_V2.contains(name) || GEOSPATIAL.contains(name)
                || (version >= 3 && PRIMITIVES_V3_ONLY.contains(name));
    }

    /** Whether {@code name} is one of the geospatial schemas. */
    static boolean isGeospatial(String name) {
        return GEOSPATIAL.contains(name);
    }

    /**
     * Parses one interface.
     *
     * @throws DtdlException naming what is wrong
     */
    public static DtdlInterface parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new DtdlException("Every model must be a JSON object holding one DTDL Interface, found "
                    + describe(node) + ".");
        }
        ObjectNode definition = (ObjectNode) node;
        String id = text(definition, "@id");
        String where = id == null ? "model" : "model " + id;
        int version = contextVersion(definition.get("@context"), where);
        if (id == null) {
            throw new DtdlException("A model has no @id (a DTMI such as dtmi:com:example:Thermostat;1).");
        }
        if (!Dtmi.isValid(id)) {
            throw new DtdlException("@id '" + Text.clip(id, 80) + "' is not a valid DTMI.");
        }
        if (version == 2 && !V2_VERSION.matcher(id).find()) {
            throw new DtdlException("@id '" + id + "' must end with an integer version (;1) in DTDL v2.");
        }
        if (!hasType(definition.get("@type"), "Interface")) {
            throw new DtdlException(where + ": @type must be Interface (top-level elements of a model are "
                    + "interfaces), found " + describe(definition.get("@type")) + ".");
        }
        List<String> extendsIds = parseExtends(definition.get("extends"), version, where);
        Map<String, JsonNode> schemas = new HashMap<>();
        Set<String> references = new LinkedHashSet<>();
        JsonNode schemasNode = definition.get("schemas");
        if (schemasNode != null) {
            if (!schemasNode.isArray()) {
                throw new DtdlException(where + ": schemas must be an array of complex schemas.");
            }
            for (JsonNode schema : schemasNode) {
                if (!schema.isObject() || text(schema, "@id") == null) {
                    throw new DtdlException(where + ": every element of schemas needs an @id.");
                }
                checkSchema(schema, version, where + " schemas", schemas, references);
            }
        }
        Map<String, DtdlContent> contents = new LinkedHashMap<>();
        JsonNode contentsNode = definition.get("contents");
        if (contentsNode != null) {
            if (!contentsNode.isArray()) {
                throw new DtdlException(where + ": contents must be an array.");
            }
            for (JsonNode element : contentsNode) {
                DtdlContent content = parseContent(element, version, where, schemas, references);
                if (contents.putIfAbsent(content.name(), content) != null) {
                    throw new DtdlException(where + ": the name '" + content.name()
                            + "' is used by more than one element of contents.");
                }
            }
        }
        return new DtdlInterface(id, version, extendsIds, contents, schemas, references,
                languageMap(definition.get("displayName"), where, "displayName"),
                languageMap(definition.get("description"), where, "description"), definition.deepCopy());
    }

    private static int contextVersion(JsonNode context, String where) {
        if (context == null) {
            throw new DtdlException(where + ": @context is missing (expected " + CONTEXT_V2 + " or " + CONTEXT_V3
                    + ").");
        }
        List<String> values = new ArrayList<>();
        if (context.isTextual()) {
            values.add(context.asText());
        } else if (context.isArray()) {
            for (JsonNode value : context) {
                if (!value.isTextual()) {
                    throw new DtdlException(where + ": @context entries must be strings.");
                }
                values.add(value.asText());
            }
        } else {
            throw new DtdlException(where + ": @context must be a string or an array of strings.");
        }
        int version = 0;
        for (String value : values) {
            if (CONTEXT_V2.equals(value) || CONTEXT_V3.equals(value)) {
                if (version != 0) {
                    throw new DtdlException(where + ": @context names more than one DTDL version.");
                }
                version = CONTEXT_V2.equals(value) ? 2 : 3;
            }
        }
        if (version == 0) {
            throw new DtdlException(where + ": @context " + values + " names no supported DTDL version ("
                    + CONTEXT_V2 + " or " + CONTEXT_V3 + ").");
        }
        for (String value : values) {
            if (value.equals(CONTEXT_V2) || value.equals(CONTEXT_V3)) {
                continue;
            }
            if (version == 3 && value.startsWith("dtmi:dtdl:extension:") && Dtmi.isValid(value)) {
                continue;
            }
            throw new DtdlException(where + ": @context '" + value + "' is not supported"
                    + (version == 2 ? " in DTDL v2." : " (only DTDL language extensions may follow the v3 context)."));
        }
        return version;
    }

    private static List<String> parseExtends(JsonNode node, int version, String where) {
        List<String> ids = new ArrayList<>();
        if (node == null) {
            return ids;
        }
        List<JsonNode> entries = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(entries::add);
        } else {
            entries.add(node);
        }
        for (JsonNode entry : entries) {
            if (entry.isObject()) {
                throw new DtdlException(where + ": extends holds an inline interface; ADT needs a DTMI of an "
                        + "interface uploaded in the same call or before.");
            }
            if (!entry.isTextual() || !Dtmi.isValid(entry.asText())) {
                throw new DtdlException(where + ": extends must hold DTMIs, found " + describe(entry) + ".");
            }
            if (ids.contains(entry.asText())) {
                throw new DtdlException(where + ": extends names " + entry.asText() + " twice.");
            }
            ids.add(entry.asText());
        }
        if (version == 2 && ids.size() > 2) {
            throw new DtdlException(where + ": a DTDL v2 interface may extend at most 2 interfaces directly, found "
                    + ids.size() + ".");
        }
        return ids;
    }

    private static DtdlContent parseContent(JsonNode element, int version, String where,
                                            Map<String, JsonNode> schemas, Set<String> references) {
        if (!element.isObject()) {
            throw new DtdlException(where + ": every element of contents must be an object, found "
                    + describe(element) + ".");
        }
        DtdlContent.Kind kind = kindOf(element.get("@type"), where);
        String name = checkName(element, version, where + " " + kind.dtdlName());
        String at = where + " " + kind.dtdlName() + " '" + name + "'";
        checkOptionalId(element, at);
        switch (kind) {
            case PROPERTY:
            case TELEMETRY: {
                JsonNode schema = element.get("schema");
                if (schema == null) {
                    throw new DtdlException(at + ": schema is missing.");
                }
                if (kind == DtdlContent.Kind.PROPERTY && version == 2 && isArraySchema(schema)) {
                    throw new DtdlException(at + ": Array properties need DTDL v3 (v2 allows arrays in Telemetry "
                            + "only).");
                }
                checkSchema(schema, version, at, schemas, references);
                return new DtdlContent(kind, name, schema, null, null, null);
            }
            case COMPONENT: {
                JsonNode schema = element.get("schema");
                if (schema == null || schema.isObject()) {
                    throw new DtdlException(at + ": schema must be the DTMI of an interface (inline interfaces are "
                            + "not supported by ADT).");
                }
                if (!schema.isTextual() || !Dtmi.isValid(schema.asText())) {
                    throw new DtdlException(at + ": schema must be a DTMI, found " + describe(schema) + ".");
                }
                return new DtdlContent(kind, name, null, schema.asText(), null, null);
            }
            case RELATIONSHIP: {
                String target = null;
                JsonNode targetNode = element.get("target");
                if (targetNode != null) {
                    if (!targetNode.isTextual() || !Dtmi.isValid(targetNode.asText())) {
                        throw new DtdlException(at + ": target must be a DTMI, found " + describe(targetNode) + ".");
                    }
                    target = targetNode.asText();
                }
                Map<String, JsonNode> properties = new LinkedHashMap<>();
                JsonNode propertiesNode = element.get("properties");
                if (propertiesNode != null) {
                    if (!propertiesNode.isArray()) {
                        throw new DtdlException(at + ": properties must be an array of Property elements.");
                    }
                    for (JsonNode property : propertiesNode) {
                        if (!property.isObject() || kindOf(property.get("@type"), at) != DtdlContent.Kind.PROPERTY) {
                            throw new DtdlException(at + ": properties may hold only Property elements.");
                        }
                        String propertyName = checkName(property, version, at + " property");
                        JsonNode schema = property.get("schema");
                        if (schema == null) {
                            throw new DtdlException(at + " property '" + propertyName + "': schema is missing.");
                        }
                        checkSchema(schema, version, at + " property '" + propertyName + "'", schemas, references);
                        if (properties.putIfAbsent(propertyName, schema) != null) {
                            throw new DtdlException(at + ": property '" + propertyName + "' is declared twice.");
                        }
                    }
                }
                return new DtdlContent(kind, name, null, null, target, properties);
            }
            case COMMAND:
            default:
                return new DtdlContent(kind, name, null, null, null, null);
        }
    }

    private static DtdlContent.Kind kindOf(JsonNode type, String where) {
        List<String> types = new ArrayList<>();
        if (type != null && type.isTextual()) {
            types.add(type.asText());
        } else if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            throw new DtdlException(where + ": an element of contents has no @type (Property, Telemetry, "
                    + "Relationship, Component or Command).");
        }
        DtdlContent.Kind found = null;
        for (DtdlContent.Kind kind : DtdlContent.Kind.values()) {
            if (types.contains(kind.dtdlName())) {
                if (found != null) {
                    throw new DtdlException(where + ": an element of contents has two kinds in @type " + types + ".");
                }
                found = kind;
            }
        }
        if (found == null) {
            throw new DtdlException(where + ": @type " + types + " of an element of contents is none of Property, "
                    + "Telemetry, Relationship, Component or Command.");
        }
        return found;
    }

    private static String checkName(JsonNode element, int version, String where) {
        String name = text(element, "name");
        if (name == null) {
            throw new DtdlException(where + ": name is missing.");
        }
        int max = version == 2 ? 64 : 512;
        if (name.length() > max || !NAME.matcher(name).matches()) {
            throw new DtdlException(where + ": name '" + Text.clip(name, 80) + "' is invalid (letters, digits and "
                    + "underscores, starting with a letter, not ending with an underscore, at most " + max
                    + " characters).");
        }
        return name;
    }

    private static void checkOptionalId(JsonNode element, String where) {
        JsonNode id = element.get("@id");
        if (id != null && (!id.isTextual() || !Dtmi.isValid(id.asText()))) {
            throw new DtdlException(where + ": @id must be a DTMI, found " + describe(id) + ".");
        }
    }

    private static boolean isArraySchema(JsonNode schema) {
        return schema.isObject() && hasType(schema.get("@type"), "Array");
    }

    /** Checks the syntax of a schema, registers the named complex schemas and collects DTMI references. */
    static void checkSchema(JsonNode schema, int version, String where, Map<String, JsonNode> named,
                            Set<String> references) {
        if (schema.isTextual()) {
            String value = schema.asText();
            if (isPrimitive(value, version)) {
                return;
            }
            if (Dtmi.isValid(value)) {
                references.add(value);
                return;
            }
            throw new DtdlException(where + ": schema '" + Text.clip(value, 80) + "' is not a DTDL v" + version
                    + " primitive schema nor the DTMI of a complex schema.");
        }
        if (!schema.isObject()) {
            throw new DtdlException(where + ": schema must be a string or an object, found " + describe(schema) + ".");
        }
        JsonNode idNode = schema.get("@id");
        if (idNode != null) {
            if (!idNode.isTextual() || !Dtmi.isValid(idNode.asText())) {
                throw new DtdlException(where + ": the @id of a schema must be a DTMI, found " + describe(idNode) + ".");
            }
            if (named.put(idNode.asText(), schema) != null) {
                throw new DtdlException(where + ": the schema " + idNode.asText() + " is defined twice.");
            }
        }
        JsonNode type = schema.get("@type");
        if (hasType(type, "Enum")) {
            String valueSchema = text(schema, "valueSchema");
            if (!"integer".equals(valueSchema) && !"string".equals(valueSchema)) {
                throw new DtdlException(where + ": an Enum needs valueSchema integer or string.");
            }
            JsonNode values = schema.get("enumValues");
            if (values == null || !values.isArray() || values.isEmpty()) {
                throw new DtdlException(where + ": an Enum needs a non-empty enumValues array.");
            }
            for (JsonNode value : values) {
                checkName(value, version, where + " enumValue");
                JsonNode enumValue = value.get("enumValue");
                boolean ok = enumValue != null && ("integer".equals(valueSchema)
                        ? enumValue.isIntegralNumber() : enumValue.isTextual());
                if (!ok) {
                    throw new DtdlException(where + ": enumValue of '" + text(value, "name") + "' must be a"
                            + ("integer".equals(valueSchema) ? "n integer." : " string."));
                }
            }
        } else if (hasType(type, "Object")) {
            JsonNode fields = schema.get("fields");
            if (fields == null || !fields.isArray()) {
                throw new DtdlException(where + ": an Object schema needs a fields array.");
            }
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode field : fields) {
                String fieldName = checkName(field, version, where + " field");
                if (!names.add(fieldName)) {
                    throw new DtdlException(where + ": field '" + fieldName + "' is declared twice.");
                }
                JsonNode fieldSchema = field.get("schema");
                if (fieldSchema == null) {
                    throw new DtdlException(where + " field '" + fieldName + "': schema is missing.");
                }
                checkSchema(fieldSchema, version, where + " field '" + fieldName + "'", named, references);
            }
        } else if (hasType(type, "Map")) {
            JsonNode mapKey = schema.get("mapKey");
            JsonNode mapValue = schema.get("mapValue");
            if (mapKey == null || !mapKey.isObject() || !"string".equals(text(mapKey, "schema"))) {
                throw new DtdlException(where + ": a Map needs a mapKey with schema string.");
            }
            checkName(mapKey, version, where + " mapKey");
            if (mapValue == null || !mapValue.isObject() || mapValue.get("schema") == null) {
                throw new DtdlException(where + ": a Map needs a mapValue with a schema.");
            }
            checkName(mapValue, version, where + " mapValue");
            checkSchema(mapValue.get("schema"), version, where + " mapValue", named, references);
        } else if (hasType(type, "Array")) {
            JsonNode element = schema.get("elementSchema");
            if (element == null) {
                throw new DtdlException(where + ": an Array needs an elementSchema.");
            }
            checkSchema(element, version, where + " elementSchema", named, references);
        } else {
            throw new DtdlException(where + ": a complex schema needs @type Enum, Object, Map or Array, found "
                    + describe(type) + ".");
        }
    }

    private static JsonNode languageMap(JsonNode node, String where, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            map.put("en", node.asText());
            return map;
        }
        if (node.isObject()) {
            return node.deepCopy();
        }
        throw new DtdlException(where + ": " + field + " must be a string or a language map.");
    }

    static boolean hasType(JsonNode type, String wanted) {
        if (type == null) {
            return false;
        }
        if (type.isTextual()) {
            return type.asText().equals(wanted);
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (t.isTextual() && t.asText().equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return Text.clip(node.toString(), 60);
    }
}
