package io.dpstwin.testkit.dps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Immutable, fluent builder of the {@code AllocationRequest} DPS POSTs to a custom allocation webhook. Every method
 * returns a new builder; the receiver is never changed, so a base request can be shared between tests.
 *
 * <p>The JSON follows the request DPS really sends (field names, order, {@code "symmetricKey":{}} without keys, a
 * redacted {@code webhookUrl}). Ids, etag and timestamps get random or current defaults when the builder is created
 * (so one builder always renders the same JSON); fix them for fully deterministic output. The builder accepts
 * values DPS would reject (odd registration ids, empty hub lists) on purpose, so negative tests can use it; see
 * also {@link #malformed()}.
 *
 * <pre>{@code
 * String body = DpsRequests.group("my-group")
 *         .registrationId("dev-1")
 *         .linkedHubs("hub-a.azure-devices.net")
 *         .modelId("dtmi:com:example:Thermostat;1")
 *         .toJson();
 * }</pre>
 */
public final class AllocationRequestBuilder {

    /** DPS echoes the stored webhook URL with its query (the function key) replaced by {@code ****}. */
    static final String REDACTED_QUERY = "****";

    private enum Kind { GROUP, INDIVIDUAL }

    private final State s;

    private AllocationRequestBuilder(State state) {
        this.s = state;
    }

    static AllocationRequestBuilder group(String enrollmentGroupId) {
        State state = new State(Kind.GROUP);
        state.enrollmentGroupId = Objects.requireNonNull(enrollmentGroupId, "enrollmentGroupId");
        state.registrationId = "device-" + UUID.randomUUID().toString().substring(0, 8);
        return new AllocationRequestBuilder(state);
    }

    static AllocationRequestBuilder individual(String registrationId) {
        State state = new State(Kind.INDIVIDUAL);
        state.registrationId = Objects.requireNonNull(registrationId, "registrationId");
        return new AllocationRequestBuilder(state);
    }

    // ---- enrollment -------------------------------------------------------------------------------------------

    /** The group's id ({@code enrollmentGroup.enrollmentGroupId}); group enrollments only. */
    public AllocationRequestBuilder enrollmentGroupId(String enrollmentGroupId) {
        requireKind(Kind.GROUP, "enrollmentGroupId");
        return with(n -> n.enrollmentGroupId = Objects.requireNonNull(enrollmentGroupId, "enrollmentGroupId"));
    }

    /**
     * The individual enrollment's optional {@code deviceId} (the IoT Hub device id DPS will use instead of the
     * registration id); individual enrollments only. {@code null} removes it.
     */
    public AllocationRequestBuilder deviceId(String deviceId) {
        requireKind(Kind.INDIVIDUAL, "deviceId");
        return with(n -> n.enrollmentDeviceId = deviceId);
    }

    /** Attestation type; defaults to {@link Attestation#SYMMETRIC_KEY}. X.509 and TPM details get defaults. */
    public AllocationRequestBuilder attestation(Attestation attestation) {
        return with(n -> n.attestation = Objects.requireNonNull(attestation, "attestation"));
    }

    /** Symmetric-key attestation: {@code "symmetricKey":{}} (DPS never sends the keys). */
    public AllocationRequestBuilder symmetricKey() {
        return attestation(Attestation.SYMMETRIC_KEY);
    }

    /**
     * X.509 attestation with the given device certificate details and, for group enrollments, the details of the
     * signing (CA) certificate. Without this call X.509 gets synthetic details for {@code CN=<registrationId>}.
     */
    public AllocationRequestBuilder x509(X509CertificateInfo deviceCertificate, X509CertificateInfo signingCertificate) {
        return with(n -> {
            n.attestation = Attestation.X509;
            n.x509Device = Objects.requireNonNull(deviceCertificate, "deviceCertificate");
            n.x509Signing = signingCertificate;
        });
    }

    /** X.509 attestation with synthetic, deterministic certificate details (see {@link X509CertificateInfo#synthetic}). */
    public AllocationRequestBuilder x509() {
        return with(n -> {
            n.attestation = Attestation.X509;
            n.x509Device = null;
            n.x509Signing = null;
        });
    }

    /** TPM attestation with the given (public) endorsement key and storage root key, both Base64. */
    public AllocationRequestBuilder tpm(String endorsementKey, String storageRootKey) {
        return with(n -> {
            n.attestation = Attestation.TPM;
            n.endorsementKey = Objects.requireNonNull(endorsementKey, "endorsementKey");
            n.storageRootKey = Objects.requireNonNull(storageRootKey, "storageRootKey");
        });
    }

    /** TPM attestation with deterministic placeholder keys derived from the registration id. */
    public AllocationRequestBuilder tpm() {
        return with(n -> {
            n.attestation = Attestation.TPM;
            n.endorsementKey = null;
            n.storageRootKey = null;
        });
    }

    /** The enrollment's reprovisioning policy; defaults to {@link ReprovisionPolicy#REPROVISION_AND_MIGRATE_DATA}. */
    public AllocationRequestBuilder reprovisionPolicy(ReprovisionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return reprovisionPolicy(policy.updateHubAssignment(), policy.migrateDeviceData());
    }

    /** The raw {@code reprovisionPolicy} flags. */
    public AllocationRequestBuilder reprovisionPolicy(boolean updateHubAssignment, boolean migrateDeviceData) {
        return with(n -> {
            n.updateHubAssignment = updateHubAssignment;
            n.migrateDeviceData = migrateDeviceData;
        });
    }

    /** The enrollment's selected hubs ({@code iotHubs}); defaults to the {@link #linkedHubs(String...) linked hubs}. */
    public AllocationRequestBuilder iotHubs(String... iotHubs) {
        List<String> hubs = List.of(iotHubs);
        return with(n -> n.iotHubs = hubs);
    }

    /** {@code capabilities.iotEdge}; defaults to {@code false}. */
    public AllocationRequestBuilder iotEdge(boolean iotEdge) {
        return with(n -> n.iotEdge = iotEdge);
    }

    /** {@code provisioningStatus}: {@code enabled} (default) or {@code disabled}. */
    public AllocationRequestBuilder provisioningStatus(String provisioningStatus) {
        return with(n -> n.provisioningStatus = Objects.requireNonNull(provisioningStatus, "provisioningStatus"));
    }

    /** Adds a tag to the enrollment's {@code initialTwin} (absent unless a tag or desired property is set). */
    public AllocationRequestBuilder initialTwinTag(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.initialTwinTags.put(name, Wire.toNode(value)));
    }

    /** Adds a desired property to the enrollment's {@code initialTwin.properties.desired}. */
    public AllocationRequestBuilder initialTwinDesired(String name, Object value) {
        Objects.requireNonNull(name, "name");
        return with(n -> n.initialTwinDesired.put(name, Wire.toNode(value)));
    }

    /**
     * The stored webhook URL; like DPS, the request shows it with the query (which carries the function key)
     * replaced by {@code ****}. Defaults to {@code https://dps-twin-test.azurewebsites.net/api/allocate?****}.
     */
    public AllocationRequestBuilder webhookUrl(String webhookUrl) {
        return with(n -> n.webhookUrl = redact(Objects.requireNonNull(webhookUrl, "webhookUrl")));
    }

    /** {@code customAllocationDefinition.apiVersion}; defaults to {@code 2021-10-01}. */
    public AllocationRequestBuilder apiVersion(String apiVersion) {
        return with(n -> n.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion"));
    }

    /**
     * The enrollment's etag exactly as it appears in JSON, e.g. {@code "\"0000f176-0000-0700-0000-62eaad1e0000\""}
     * (DPS etags include the quotes). Defaults to a quoted random UUID.
     */
    public AllocationRequestBuilder etag(String etag) {
        return with(n -> n.etag = Objects.requireNonNull(etag, "etag"));
    }

    /** {@code createdDateTimeUtc}; defaults to the builder's creation time. */
    public AllocationRequestBuilder createdAt(Instant created) {
        return with(n -> n.created = Objects.requireNonNull(created, "created"));
    }

    /** {@code lastUpdatedDateTimeUtc}; defaults to the builder's creation time. */
    public AllocationRequestBuilder lastUpdatedAt(Instant lastUpdated) {
        return with(n -> n.lastUpdated = Objects.requireNonNull(lastUpdated, "lastUpdated"));
    }

    // ---- device runtime context -------------------------------------------------------------------------------

    /**
     * {@code deviceRuntimeContext.registrationId} (for individual enrollments also the enrollment's
     * {@code registrationId}). Group builders default to {@code device-<8 random hex>}.
     */
    public AllocationRequestBuilder registrationId(String registrationId) {
        return with(n -> n.registrationId = Objects.requireNonNull(registrationId, "registrationId"));
    }

    /** A first registration: no {@code currentIotHubHostName}/{@code currentDeviceId} (the default). */
    public AllocationRequestBuilder firstRegistration() {
        return with(n -> {
            n.currentHub = null;
            n.currentDeviceId = null;
        });
    }

    /**
     * A re-registration of a device currently assigned to {@code currentIotHubHostName}, with
     * {@code currentDeviceId} = the device id DPS assigned ({@link #deviceIdInHub()}).
     */
    public AllocationRequestBuilder reRegistration(String currentIotHubHostName) {
        return reRegistration(currentIotHubHostName, null);
    }

    /** A re-registration with an explicit {@code currentDeviceId}. */
    public AllocationRequestBuilder reRegistration(String currentIotHubHostName, String currentDeviceId) {
        Objects.requireNonNull(currentIotHubHostName, "currentIotHubHostName");
        return with(n -> {
            n.currentHub = currentIotHubHostName;
            n.currentDeviceId = currentDeviceId;
        });
    }

    /** Sets {@code payload.modelId} (the IoT Plug and Play convention), creating the payload if needed. */
    public AllocationRequestBuilder modelId(String modelId) {
        return payloadField("modelId", modelId);
    }

    /** Sets one field of the device payload (an object), creating the payload if needed. */
    public AllocationRequestBuilder payloadField(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (s.payload != null && !s.payload.isObject()) {
            throw new IllegalStateException("payload is not a JSON object; use payload(...) to replace it");
        }
        return with(n -> {
            ObjectNode payload = n.payload == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) n.payload;
            payload.set(name, Wire.toNode(value));
            n.payload = payload;
        });
    }

    /**
     * Replaces the device payload with any JSON value (a {@link JsonNode}, a {@link Map}, a POJO Jackson can
     * serialise). Non-objects are allowed so negative tests can send them.
     */
    public AllocationRequestBuilder payload(Object payload) {
        Objects.requireNonNull(payload, "payload (use withoutPayload() to omit it)");
        JsonNode node = Wire.toNode(payload);
        return with(n -> n.payload = node);
    }

    /**
     * The device payload set so far, sent as a JSON string that holds the object ({@code "payload":"{\"modelId\":...}"}):
     * what {@code az iot device registration create --payload} and the Java provisioning device SDK send. Call it
     * last: {@link #payloadField} refuses a payload that is no longer an object.
     *
     * @throws IllegalStateException when the payload is absent or not a JSON object
     */
    public AllocationRequestBuilder payloadAsJsonString() {
        if (s.payload == null || !s.payload.isObject()) {
            throw new IllegalStateException("payload is not a JSON object; set it with modelId, payloadField or payload");
        }
        String text = Wire.write(s.payload);
        return with(n -> n.payload = JsonNodeFactory.instance.textNode(text));
    }

    /** No {@code payload} at all: what DPS sends when the device sent none (the default). */
    public AllocationRequestBuilder withoutPayload() {
        return with(n -> n.payload = null);
    }

    /**
     * The top-level {@code linkedHubs}. Defaults to {@value DpsRequests#DEFAULT_LINKED_HUB}. When the policy is
     * {@link ReprovisionPolicy#NEVER_REPROVISION} and this is a re-registration, DPS lists only the current hub;
     * the builder does the same unless linked hubs were set explicitly.
     */
    public AllocationRequestBuilder linkedHubs(String... linkedHubs) {
        return linkedHubs(List.of(linkedHubs));
    }

    /** The top-level {@code linkedHubs}. */
    public AllocationRequestBuilder linkedHubs(List<String> linkedHubs) {
        List<String> hubs = List.copyOf(linkedHubs);
        return with(n -> {
            n.linkedHubs = hubs;
            n.linkedHubsExplicit = true;
        });
    }

    // ---- derived values and output ----------------------------------------------------------------------------

    /** The registration id this request carries. */
    public String registrationId() {
        return s.registrationId;
    }

    /**
     * The IoT Hub device id DPS assigns for this request: the registration id for groups, the individual
     * enrollment's {@code deviceId} when set, else the registration id.
     */
    public String deviceIdInHub() {
        return s.enrollmentDeviceId != null ? s.enrollmentDeviceId : s.registrationId;
    }

    /** The {@code linkedHubs} the request will carry (after the never-reprovision rule). */
    public List<String> effectiveLinkedHubs() {
        if (!s.linkedHubsExplicit && s.currentHub != null && !s.updateHubAssignment) {
            return List.of(s.currentHub);
        }
        return s.linkedHubs;
    }

    /** A fresh JSON tree of the request; mutate it freely to craft variants. */
    public ObjectNode toObjectNode() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (s.kind == Kind.GROUP) {
            root.set("enrollmentGroup", enrollment());
        } else {
            root.set("individualEnrollment", enrollment());
        }
        root.set("deviceRuntimeContext", deviceRuntimeContext());
        root.set("linkedHubs", strings(effectiveLinkedHubs()));
        return root;
    }

    /** The request body as compact JSON. */
    public String toJson() {
        return Wire.write(toObjectNode());
    }

    /** Starting point for malformed variants of this request (missing fields, wrong types). */
    public MalformedRequest malformed() {
        return new MalformedRequest(toObjectNode());
    }

    @Override
    public String toString() {
        return "AllocationRequestBuilder" + toJson();
    }

    private ObjectNode enrollment() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        if (s.kind == Kind.GROUP) {
            e.put("enrollmentGroupId", s.enrollmentGroupId);
        } else {
            e.put("registrationId", s.registrationId);
            if (s.enrollmentDeviceId != null) {
                e.put("deviceId", s.enrollmentDeviceId);
            }
        }
        e.putObject("attestation").put("type", s.attestation.wireName());
        e.putObject("capabilities").put("iotEdge", s.iotEdge);
        if (!s.initialTwinTags.isEmpty() || !s.initialTwinDesired.isEmpty()) {
            ObjectNode twin = e.putObject("initialTwin");
            ObjectNode tags = twin.putObject("tags");
            s.initialTwinTags.forEach(tags::set);
            ObjectNode desired = twin.putObject("properties").putObject("desired");
            s.initialTwinDesired.forEach(desired::set);
        }
        e.put("etag", s.etag);
        e.put("provisioningStatus", s.provisioningStatus);
        ObjectNode policy = e.putObject("reprovisionPolicy");
        policy.put("updateHubAssignment", s.updateHubAssignment);
        policy.put("migrateDeviceData", s.migrateDeviceData);
        e.put("createdDateTimeUtc", Wire.time(s.created));
        e.put("lastUpdatedDateTimeUtc", Wire.time(s.lastUpdated));
        e.put("allocationPolicy", "custom");
        e.set("iotHubs", strings(s.iotHubs != null ? s.iotHubs : s.linkedHubs));
        ObjectNode custom = e.putObject("customAllocationDefinition");
        custom.put("webhookUrl", s.webhookUrl);
        custom.put("apiVersion", s.apiVersion);
        return e;
    }

    private ObjectNode deviceRuntimeContext() {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("registrationId", s.registrationId);
        if (s.currentHub != null) {
            c.put("currentIotHubHostName", s.currentHub);
            c.put("currentDeviceId", s.currentDeviceId != null ? s.currentDeviceId : deviceIdInHub());
        }
        switch (s.attestation) {
            case SYMMETRIC_KEY -> c.putObject("symmetricKey");
            case TPM -> {
                ObjectNode tpm = c.putObject("tpm");
                tpm.put("endorsementKey", s.endorsementKey != null ? s.endorsementKey : placeholderKey("ek"));
                tpm.put("storageRootKey", s.storageRootKey != null ? s.storageRootKey : placeholderKey("srk"));
            }
            case X509 -> {
                ObjectNode x509 = c.putObject("x509");
                String issuer = s.kind == Kind.GROUP ? s.enrollmentGroupId + "-ca" : "dps-twin-test-ca";
                X509CertificateInfo device = s.x509Device != null ? s.x509Device
                        : X509CertificateInfo.synthetic(s.registrationId, issuer);
                x509.set("certificateInfo", device.toJson());
                if (s.kind == Kind.GROUP) {
                    x509.put("enrollmentGroupId", s.enrollmentGroupId);
                    X509CertificateInfo signing = s.x509Signing != null ? s.x509Signing
                            : X509CertificateInfo.synthetic(issuer, issuer);
                    x509.set("signingCertificateInfo", signing.toJson());
                }
            }
            default -> throw new IllegalStateException("unknown attestation " + s.attestation);
        }
        if (s.payload != null) {
            c.set("payload", s.payload.deepCopy());
        }
        return c;
    }

    private String placeholderKey(String purpose) {
        byte[] seed = (purpose + "|" + s.registrationId).getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[256];
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < key.length; i += 32) {
                seed = sha.digest(seed);
                System.arraycopy(seed, 0, key, i, 32);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
        return Base64.getEncoder().encodeToString(key);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query + 1) + REDACTED_QUERY;
    }

    private void requireKind(Kind kind, String property) {
        if (s.kind != kind) {
            throw new IllegalStateException(property + " applies to " + kind.name().toLowerCase()
                    + " enrollments only");
        }
    }

    private AllocationRequestBuilder with(java.util.function.Consumer<State> change) {
        State copy = s.copy();
        change.accept(copy);
        return new AllocationRequestBuilder(copy);
    }

    /** Mutable state, only ever mutated on a fresh copy inside {@link #with}. */
    private static final class State {
        final Kind kind;
        String enrollmentGroupId;
        String enrollmentDeviceId;
        Attestation attestation = Attestation.SYMMETRIC_KEY;
        X509CertificateInfo x509Device;
        X509CertificateInfo x509Signing;
        String endorsementKey;
        String storageRootKey;
        boolean updateHubAssignment = true;
        boolean migrateDeviceData = true;
        List<String> iotHubs;
        boolean iotEdge;
        String provisioningStatus = "enabled";
        Map<String, JsonNode> initialTwinTags = new LinkedHashMap<>();
        Map<String, JsonNode> initialTwinDesired = new LinkedHashMap<>();
        String webhookUrl = "https://dps-twin-test.azurewebsites.net/api/allocate?" + REDACTED_QUERY;
        String apiVersion = "2021-10-01";
        String etag = "\"" + UUID.randomUUID() + "\"";
        Instant created;
        Instant lastUpdated;
        String registrationId;
        String currentHub;
        String currentDeviceId;
        JsonNode payload;
        List<String> linkedHubs = List.of(DpsRequests.DEFAULT_LINKED_HUB);
        boolean linkedHubsExplicit;

        State(Kind kind) {
            this.kind = kind;
            Instant now = Instant.now();
            this.created = now;
            this.lastUpdated = now;
        }

        private State(State other) {
            kind = other.kind;
            enrollmentGroupId = other.enrollmentGroupId;
            enrollmentDeviceId = other.enrollmentDeviceId;
            attestation = other.attestation;
            x509Device = other.x509Device;
            x509Signing = other.x509Signing;
            endorsementKey = other.endorsementKey;
            storageRootKey = other.storageRootKey;
            updateHubAssignment = other.updateHubAssignment;
            migrateDeviceData = other.migrateDeviceData;
            iotHubs = other.iotHubs;
            iotEdge = other.iotEdge;
            provisioningStatus = other.provisioningStatus;
            initialTwinTags = new LinkedHashMap<>();
            other.initialTwinTags.forEach((k, v) -> initialTwinTags.put(k, v.deepCopy()));
            initialTwinDesired = new LinkedHashMap<>();
            other.initialTwinDesired.forEach((k, v) -> initialTwinDesired.put(k, v.deepCopy()));
            webhookUrl = other.webhookUrl;
            apiVersion = other.apiVersion;
            etag = other.etag;
            created = other.created;
            lastUpdated = other.lastUpdated;
            registrationId = other.registrationId;
            currentHub = other.currentHub;
            currentDeviceId = other.currentDeviceId;
            payload = other.payload == null ? null : other.payload.deepCopy();
            linkedHubs = other.linkedHubs;
            linkedHubsExplicit = other.linkedHubsExplicit;
        }

        State copy() {
            return new State(this);
        }
    }
}
