package io.dpstwin.core.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a well-formed allocation request from its JSON tree into the request records by hand, giving exactly what
 * Jackson's binding of {@link AllocationRequest} gives for such a tree, without the binding's cost: Jackson
 * introspects the records (creators, annotations, aliases) the first time it binds them, which is tens of
 * milliseconds of a cold start, and its property-based binding costs more per request than reading a tree.
 *
 * <p>It covers the shapes DPS sends: every field of its declared JSON type or {@code null}, field names spelled as
 * declared. Anything else — a field of another type, a payload sent as a string, a {@code deviceRuntimeContext} field
 * spelled in another case (which Jackson accepts there), a field given twice under two spellings, a number that is
 * not a plain integer or finite double — makes {@link #read} return {@code null}, and the caller binds the tree with
 * Jackson, whose answer (or error message) then decides. Unknown fields are ignored, as the records'
 * {@code @JsonIgnoreProperties(ignoreUnknown = true)} does. JSON values of untyped fields ({@code Object},
 * {@code Map<String, Object>}) become what Jackson's untyped binding makes of them: {@code LinkedHashMap},
 * {@code ArrayList}, {@code String}, {@code Boolean}, {@code Integer}, {@code Long}, {@code BigInteger},
 * {@code Double} or {@code null}.
 */
final class RequestTreeReader {

    /** Thrown inside the reader when the tree has a shape it leaves to Jackson; never leaves {@link #read}. */
    private static final class NotCovered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final NotCovered INSTANCE = new NotCovered();

        private NotCovered() {
            super(null, null, false, false);
        }
    }

    private static final String CURRENT_HUB = "currentIotHubHostName";
    /** DeviceRuntimeContext's fields and aliases by lower-case name (it accepts any case). */
    private static final Map<String, String> CONTEXT_FIELDS = Map.of(
            "registrationid", "registrationId",
            "currentiothubhostname", CURRENT_HUB,
            "currentdeviceid", "currentDeviceId",
            "symmetrickey", "symmetricKey",
            "x509", "x509",
            "tpm", "tpm",
            "payload", "payload");

    private RequestTreeReader() {
    }

    /** The request, or {@code null} when the tree has a shape that Jackson's binding has to decide. */
    static AllocationRequest read(ObjectNode tree) {
        try {
            EnrollmentGroup group = null;
            IndividualEnrollment individual = null;
            DeviceRuntimeContext context = null;
            List<String> linkedHubs = null;
            for (Map.Entry<String, JsonNode> field : tree.properties()) {
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "enrollmentGroup" -> group = isNull(value) ? null : enrollmentGroup(object(value));
                    case "individualEnrollment" ->
                            individual = isNull(value) ? null : individualEnrollment(object(value));
                    case "deviceRuntimeContext" -> context = isNull(value) ? null : deviceRuntimeContext(object(value));
                    case "linkedHubs" -> linkedHubs = strings(value);
                    default -> {
                        // ignored, as Jackson ignores unknown properties of the request
                    }
                }
            }
            return new AllocationRequest(group, individual, context, linkedHubs);
        } catch (NotCovered notCovered) {
            return null;
        }
    }

    private static EnrollmentGroup enrollmentGroup(ObjectNode node) {
        EnrollmentFields f = enrollment(node, "enrollmentGroupId", false);
        return new EnrollmentGroup(f.id, f.attestation, f.capabilities, f.reprovision, f.iotHubs, f.initialTwin,
                f.allocationPolicy, f.provisioningStatus);
    }

    private static IndividualEnrollment individualEnrollment(ObjectNode node) {
        EnrollmentFields f = enrollment(node, "registrationId", true);
        return new IndividualEnrollment(f.id, f.deviceId, f.attestation, f.capabilities, f.reprovision, f.iotHubs,
                f.initialTwin, f.allocationPolicy, f.provisioningStatus);
    }

    /** The fields of either kind of enrollment; {@code idField} names its id, only an individual one has a device id. */
    private static EnrollmentFields enrollment(ObjectNode node, String idField, boolean individual) {
        EnrollmentFields f = new EnrollmentFields();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(idField)) {
                f.id = string(value);
                continue;
            }
            switch (name) {
                case "deviceId" -> f.deviceId = individual ? string(value) : null;
                case "attestation" -> f.attestation = attestation(value);
                case "capabilities" -> f.capabilities = capabilities(value);
                case "reprovisionPolicy" -> f.reprovision = reprovisionPolicy(value);
                case "iotHubs" -> f.iotHubs = strings(value);
                case "initialTwin" -> f.initialTwin = initialTwin(value);
                case "allocationPolicy" -> f.allocationPolicy = string(value);
                case "provisioningStatus" -> f.provisioningStatus = string(value);
                default -> {
                    // ignored
                }
            }
        }
        return f;
    }

    /** What {@link #enrollment} read. */
    private static final class EnrollmentFields {
        String id;
        String deviceId;
        Attestation attestation;
        DeviceCapabilities capabilities;
        ReprovisionPolicy reprovision;
        List<String> iotHubs;
        InitialTwin initialTwin;
        String allocationPolicy;
        String provisioningStatus;
    }

    private static DeviceRuntimeContext deviceRuntimeContext(ObjectNode node) {
        String registrationId = null;
        String currentHub = null;
        String currentDeviceId = null;
        Object symmetricKey = null;
        Object x509 = null;
        Object tpm = null;
        Map<String, Object> payload = null;
        List<String> seen = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            String property = CONTEXT_FIELDS.get(name.toLowerCase(Locale.ROOT));
            if (property == null) {
                continue; // ignored
            }
            boolean exact = name.equals(property)
                    || CURRENT_HUB.equals(property) && ("currentIoTHubHostName".equals(name)
                    || "currentIoTHubHostname".equals(name));
            if (!exact || seen.contains(property)) {
                throw NotCovered.INSTANCE; // another case, or one property twice: Jackson decides
            }
            seen.add(property);
            JsonNode value = field.getValue();
            switch (property) {
                case "registrationId" -> registrationId = string(value);
                case CURRENT_HUB -> currentHub = string(value);
                case "currentDeviceId" -> currentDeviceId = string(value);
                case "symmetricKey" -> symmetricKey = untyped(value);
                case "x509" -> x509 = untyped(value);
                case "tpm" -> tpm = untyped(value);
                default -> payload = map(value);
            }
        }
        return new DeviceRuntimeContext(registrationId, currentHub, currentDeviceId, symmetricKey, x509, tpm,
                payload);
    }

    private static Attestation attestation(JsonNode value) {
        return isNull(value) ? null : new Attestation(string(member(value, "type")));
    }

    private static DeviceCapabilities capabilities(JsonNode value) {
        return isNull(value) ? null : new DeviceCapabilities(bool(member(value, "iotEdge")));
    }

    private static ReprovisionPolicy reprovisionPolicy(JsonNode value) {
        return isNull(value) ? null : new ReprovisionPolicy(bool(member(value, "updateHubAssignment")),
                bool(member(value, "migrateDeviceData")));
    }

    private static InitialTwin initialTwin(JsonNode value) {
        return isNull(value) ? null
                : new InitialTwin(map(member(value, "tags")), properties(member(value, "properties")));
    }

    private static InitialTwin.Properties properties(JsonNode value) {
        return isNull(value) ? null : new InitialTwin.Properties(map(member(value, "desired")));
    }

    // ------------------------------------------------------------------ values

    private static boolean isNull(JsonNode value) {
        return value.getNodeType() == JsonNodeType.NULL;
    }

    /** The member {@code name} of an object (keys are unique: the parser refuses duplicates), JSON null if absent. */
    private static JsonNode member(JsonNode value, String name) {
        JsonNode member = object(value).get(name);
        return member == null ? NullNode.getInstance() : member;
    }

    private static ObjectNode object(JsonNode value) {
        if (value instanceof ObjectNode object) {
            return object;
        }
        throw NotCovered.INSTANCE;
    }

    private static String string(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> value.textValue();
            case NULL -> null;
            default -> throw NotCovered.INSTANCE;
        };
    }

    private static Boolean bool(JsonNode value) {
        return switch (value.getNodeType()) {
            case BOOLEAN -> value.booleanValue();
            case NULL -> null;
            default -> throw NotCovered.INSTANCE;
        };
    }

    /** A {@code List<String>} field: an array of strings and {@code null}s (kept), or {@code null}. */
    private static List<String> strings(JsonNode value) {
        if (isNull(value)) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            throw NotCovered.INSTANCE;
        }
        List<String> list = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            list.add(string(element));
        }
        return list;
    }

    /** A {@code Map<String, Object>} field: an object or {@code null}. */
    private static Map<String, Object> map(JsonNode value) {
        if (isNull(value)) {
            return null;
        }
        return untypedObject(object(value));
    }

    private static Map<String, Object> untypedObject(ObjectNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            map.put(field.getKey(), untyped(field.getValue()));
        }
        return map;
    }

    /** An {@code Object} field or value: what Jackson's untyped binding makes of the JSON value. */
    private static Object untyped(JsonNode value) {
        switch (value.getNodeType()) {
            case OBJECT:
                return untypedObject((ObjectNode) value);
            case ARRAY:
                List<Object> list = new ArrayList<>(value.size());
                for (JsonNode element : value) {
                    list.add(untyped(element));
                }
                return list;
            case STRING:
                return value.textValue();
            case BOOLEAN:
                return value.booleanValue();
            case NULL:
                return null;
            case NUMBER:
                return number(value);
            default:
                throw NotCovered.INSTANCE;
        }
    }

    private static Object number(JsonNode value) {
        switch (value.numberType()) {
            case INT:
                return value.intValue();
            case LONG:
                return value.longValue();
            case BIG_INTEGER:
                return value.bigIntegerValue();
            case DOUBLE:
                double d = value.doubleValue();
                if (Double.isFinite(d)) {
                    return d;
                }
                throw NotCovered.INSTANCE;
            default:
                throw NotCovered.INSTANCE;
        }
    }
}
