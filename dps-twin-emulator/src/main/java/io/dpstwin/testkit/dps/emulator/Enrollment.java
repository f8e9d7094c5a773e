package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A symmetric-key enrollment of the {@link DpsEmulator}: an enrollment group (devices sign with
 * {@code HMAC-SHA256(groupKey, registrationId)}) or an individual enrollment (the device signs with the enrollment's
 * own key). Immutable; build with {@link #group(String, String)} or {@link #individual(String, String)}.
 *
 * <pre>{@code
 * Enrollment group = Enrollment.group("thermostats", groupKey)
 *         .customAllocation("http://localhost:7071/api/allocate?code=k", "2021-10-01")
 *         .iotHubs("hub-1.azure-devices.net", "hub-2.azure-devices.net")
 *         .reprovisionPolicy(ReprovisionPolicy.MIGRATE)
 *         .build();
 * }</pre>
 *
 * <p>The keys are secrets: {@link #toString()} and {@link #toWebhookJson()} never show them, as DPS never sends
 * them to the webhook (https://learn.microsoft.com/azure/iot-dps/concepts-custom-allocation).
 */
public final class Enrollment {

    /** Group or individual. */
    public enum Kind { GROUP, INDIVIDUAL }

    private final Kind kind;
    private final String id;
    private final String primaryKey;
    private final String secondaryKey;
    private final String deviceId;
    private final boolean enabled;
    private final AllocationPolicy allocationPolicy;
    private final List<String> iotHubs;
    private final URI webhookUrl;
    private final String webhookApiVersion;
    private final ReprovisionPolicy reprovisionPolicy;
    private final ObjectNode initialTwin;
    private final Instant created;
    private final String etag;

    private Enrollment(Builder b) {
        this.kind = b.kind;
        this.id = b.id;
        this.primaryKey = b.primaryKey;
        this.secondaryKey = b.secondaryKey;
        this.deviceId = b.deviceId;
        this.enabled = b.enabled;
        this.allocationPolicy = b.allocationPolicy;
        this.iotHubs = List.copyOf(b.iotHubs);
        this.webhookUrl = b.webhookUrl;
        this.webhookApiVersion = b.webhookApiVersion;
        this.reprovisionPolicy = b.reprovisionPolicy;
        this.initialTwin = b.initialTwin == null ? null : b.initialTwin.deepCopy();
        this.created = b.created;
        this.etag = "\"" + UUID.randomUUID() + "\"";
    }

    /** An enrollment group with symmetric-key attestation and its primary key (Base64). */
    public static Builder group(String enrollmentGroupId, String primaryKey) {
        return new Builder(Kind.GROUP, enrollmentGroupId, primaryKey);
    }

    /** An individual enrollment for {@code registrationId} with its primary key (Base64). */
    public static Builder individual(String registrationId, String primaryKey) {
        return new Builder(Kind.INDIVIDUAL, registrationId.toLowerCase(Locale.ROOT), primaryKey);
    }

    public Kind kind() {
        return kind;
    }

    /** The enrollment group id, or the registration id of an individual enrollment. */
    public String id() {
        return id;
    }

    public String primaryKey() {
        return primaryKey;
    }

    /** The secondary key, or null. */
    public String secondaryKey() {
        return secondaryKey;
    }

    /** The device id of an individual enrollment, or null (the registration id is used). */
    public String deviceId() {
        return deviceId;
    }

    public boolean enabled() {
        return enabled;
    }

    public AllocationPolicy allocationPolicy() {
        return allocationPolicy;
    }

    /** The hubs this enrollment may assign to; empty means every hub linked to the DPS instance. */
    public List<String> iotHubs() {
        return iotHubs;
    }

    /** The custom allocation webhook URL (with its {@code code}), or null. */
    public URI webhookUrl() {
        return webhookUrl;
    }

    public String webhookApiVersion() {
        return webhookApiVersion;
    }

    public ReprovisionPolicy reprovisionPolicy() {
        return reprovisionPolicy;
    }

    /** The enrollment's initial twin ({@code tags}, {@code properties.desired}), or null. */
    public ObjectNode initialTwin() {
        return initialTwin == null ? null : initialTwin.deepCopy();
    }

    /** The same enrollment with {@code provisioningStatus} {@code enabled} or {@code disabled}. */
    public Enrollment withEnabled(boolean enabled) {
        return toBuilder().enabled(enabled).build();
    }

    /** A builder holding this enrollment's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, id, primaryKey);
        b.secondaryKey = secondaryKey;
        b.deviceId = deviceId;
        b.enabled = enabled;
        b.allocationPolicy = allocationPolicy;
        b.iotHubs = iotHubs;
        b.webhookUrl = webhookUrl;
        b.webhookApiVersion = webhookApiVersion;
        b.reprovisionPolicy = reprovisionPolicy;
        b.initialTwin = initialTwin;
        b.created = created;
        return b;
    }

    /**
     * The enrollment record as DPS puts it into a custom allocation request ({@code enrollmentGroup} or
     * {@code individualEnrollment}): attestation type without keys, the webhook URL with its query redacted to
     * {@code ?****}, as in the request logged in https://learn.microsoft.com/azure/iot-dps/tutorial-custom-allocation-policies.
     */
    public ObjectNode toWebhookJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (kind == Kind.GROUP) {
            json.put("enrollmentGroupId", id);
        } else {
            json.put("registrationId", id);
            if (deviceId != null) {
                json.put("deviceId", deviceId);
            }
        }
        json.putObject("attestation").put("type", "symmetricKey");
        json.putObject("capabilities").put("iotEdge", false);
        json.put("etag", etag);
        json.put("provisioningStatus", enabled ? "enabled" : "disabled");
        json.putObject("reprovisionPolicy").put("updateHubAssignment", reprovisionPolicy.updateHubAssignment())
                .put("migrateDeviceData", reprovisionPolicy.migrateDeviceData());
        if (initialTwin != null) {
            json.set("initialTwin", initialTwin.deepCopy());
        }
        json.put("createdDateTimeUtc", created.toString());
        json.put("lastUpdatedDateTimeUtc", created.toString());
        json.put("allocationPolicy", allocationPolicy.wireName());
        ArrayNode hubs = json.putArray("iotHubs");
        iotHubs.forEach(hubs::add);
        if (webhookUrl != null) {
            String redacted = webhookUrl.getRawQuery() == null ? webhookUrl.toString()
                    : webhookUrl.toString().substring(0, webhookUrl.toString().indexOf('?')) + "?****";
            json.putObject("customAllocationDefinition").put("webhookUrl", redacted)
                    .put("apiVersion", webhookApiVersion);
        }
        return json;
    }

    @Override
    public String toString() {
        return "Enrollment[" + kind + " " + id + ", " + (enabled ? "enabled" : "disabled") + ", "
                + allocationPolicy.wireName() + ", hubs=" + iotHubs + "]";
    }

    /** Options of an {@link Enrollment}. Defaults: enabled, hashed over all linked hubs, migrate on reprovision. */
    public static final class Builder {

        private final Kind kind;
        private final String id;
        private final String primaryKey;
        private String secondaryKey;
        private String deviceId;
        private boolean enabled = true;
        private AllocationPolicy allocationPolicy = AllocationPolicy.HASHED;
        private List<String> iotHubs = List.of();
        private URI webhookUrl;
        private String webhookApiVersion = "2021-10-01";
        private ReprovisionPolicy reprovisionPolicy = ReprovisionPolicy.MIGRATE;
        private ObjectNode initialTwin;
        private Instant created = Instant.now();

        private Builder(Kind kind, String id, String primaryKey) {
            if (Objects.requireNonNull(id, "id").isBlank()) {
                throw new IllegalArgumentException("the enrollment id is blank");
            }
            this.kind = kind;
            this.id = id;
            this.primaryKey = checkKey(primaryKey, "primaryKey");
        }

        private static String checkKey(String key, String what) {
            Objects.requireNonNull(key, what);
            try {
                if (Base64.getDecoder().decode(key).length == 0) {
                    throw new IllegalArgumentException(what + " is empty");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " is not Base64");
            }
            return key;
        }

        public Builder secondaryKey(String secondaryKey) {
            this.secondaryKey = secondaryKey == null ? null : checkKey(secondaryKey, "secondaryKey");
            return this;
        }

        /** The IoT Hub device id of an individual enrollment (default: the registration id). */
        public Builder deviceId(String deviceId) {
            if (kind != Kind.INDIVIDUAL) {
                throw new IllegalStateException("only individual enrollments have a device id");
            }
            this.deviceId = deviceId;
            return this;
        }

        /** {@code provisioningStatus}: enabled (default) or disabled. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** The hubs this enrollment may use (default: every hub linked to DPS). */
        public Builder iotHubs(String... hostNames) {
            this.iotHubs = List.of(hostNames);
            return this;
        }

        /** The hubs this enrollment may use. */
        public Builder iotHubs(List<String> hostNames) {
            this.iotHubs = List.copyOf(hostNames);
            return this;
        }

        /** Evenly weighted distribution over the hubs (the default). */
        public Builder hashed() {
            this.allocationPolicy = AllocationPolicy.HASHED;
            return this;
        }

        /** Always {@code hostName}. */
        public Builder staticHub(String hostName) {
            this.allocationPolicy = AllocationPolicy.STATIC;
            this.iotHubs = List.of(hostName);
            return this;
        }

        /** Custom allocation through the webhook at {@code webhookUrl} (put the function key in it as {@code ?code=}). */
        public Builder customAllocation(String webhookUrl, String apiVersion) {
            this.allocationPolicy = AllocationPolicy.CUSTOM;
            this.webhookUrl = URI.create(Objects.requireNonNull(webhookUrl, "webhookUrl"));
            this.webhookApiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
            return this;
        }

        public Builder reprovisionPolicy(ReprovisionPolicy policy) {
            this.reprovisionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The initial twin ({@code {"tags":{...},"properties":{"desired":{...}}}}). */
        public Builder initialTwin(JsonNode twin) {
            if (twin != null && !twin.isObject()) {
                throw new IllegalArgumentException("initialTwin must be a JSON object");
            }
            this.initialTwin = twin == null ? null : (ObjectNode) twin.deepCopy();
            return this;
        }

        public Enrollment build() {
            if (allocationPolicy == AllocationPolicy.CUSTOM && webhookUrl == null) {
                throw new IllegalStateException("custom allocation needs a webhook URL");
            }
            if (allocationPolicy == AllocationPolicy.STATIC && iotHubs.size() != 1) {
                throw new IllegalStateException("static allocation needs exactly one IoT hub");
            }
            return new Enrollment(this);
        }
    }
}
