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

    /** A private copy of the builder this enrollment was built from: its settings, held once. */
    private final Builder settings;
    private final String etag;

    private Enrollment(Builder b) {
        this.settings = b.copy();
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
        return settings.kind;
    }

    /** The enrollment group id, or the registration id of an individual enrollment. */
    public String id() {
        return settings.id;
    }

    public String primaryKey() {
        return settings.primaryKey;
    }

    /** The secondary key, or null. */
    public String secondaryKey() {
        return settings.secondaryKey;
    }

    /** The device id of an individual enrollment, or null (the registration id is used). */
    public String deviceId() {
        return settings.deviceId;
    }

    public boolean enabled() {
        return settings.enabled;
    }

    public AllocationPolicy allocationPolicy() {
        return settings.allocationPolicy;
    }

    /** The hubs this enrollment may assign to; empty means every hub linked to the DPS instance. */
    public List<String> iotHubs() {
        return settings.iotHubs;
    }

    /** The custom allocation webhook URL (with its {@code code}), or null. */
    public URI webhookUrl() {
        return settings.webhookUrl;
    }

    public String webhookApiVersion() {
        return settings.webhookApiVersion;
    }

    public ReprovisionPolicy reprovisionPolicy() {
        return settings.reprovisionPolicy;
    }

    /** The enrollment's initial twin ({@code tags}, {@code properties.desired}), or null. */
    public ObjectNode initialTwin() {
        return settings.initialTwin == null ? null : settings.initialTwin.deepCopy();
    }

    /** The same enrollment with {@code provisioningStatus} {@code enabled} or {@code disabled}. */
    public Enrollment withEnabled(boolean enabled) {
        return toBuilder().enabled(enabled).build();
    }

    /** A builder holding this enrollment's settings. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * The enrollment record as DPS puts it into a custom allocation request ({@code enrollmentGroup} or
     * {@code individualEnrollment}): attestation type without keys, the webhook URL with its query redacted to
     * {@code ?****}, as in the request logged in https://learn.microsoft.com/azure/iot-dps/tutorial-custom-allocation-policies.
     */
    public ObjectNode toWebhookJson() {
        Builder b = settings;
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (b.kind == Kind.GROUP) {
            json.put("enrollmentGroupId", b.id);
        } else {
            json.put("registrationId", b.id);
            if (b.deviceId != null) {
                json.put("deviceId", b.deviceId);
            }
        }
        json.putObject("attestation").put("type", "symmetricKey");
        json.putObject("capabilities").put("iotEdge", false);
        json.put("etag", etag);
        json.put("provisioningStatus", b.enabled ? "enabled" : "disabled");
        json.putObject("reprovisionPolicy").put("updateHubAssignment", b.reprovisionPolicy.updateHubAssignment())
                .put("migrateDeviceData", b.reprovisionPolicy.migrateDeviceData());
        if (b.initialTwin != null) {
            json.set("initialTwin", b.initialTwin.deepCopy());
        }
        json.put("createdDateTimeUtc", b.created.toString());
        json.put("lastUpdatedDateTimeUtc", b.created.toString());
        json.put("allocationPolicy", b.allocationPolicy.wireName());
        ArrayNode hubs = json.putArray("iotHubs");
        b.iotHubs.forEach(hubs::add);
        if (b.webhookUrl != null) {
            String redacted = b.webhookUrl.getRawQuery() == null ? b.webhookUrl.toString()
                    : b.webhookUrl.toString().substring(0, b.webhookUrl.toString().indexOf('?')) + "?****";
            json.putObject("customAllocationDefinition").put("webhookUrl", redacted)
                    .put("apiVersion", b.webhookApiVersion);
        }
        return json;
    }

    @Override
    public String toString() {
        Builder b = settings;
        return "Enrollment[" + b.kind + " " + b.id + ", " + (b.enabled ? "enabled" : "disabled") + ", "
                + b.allocationPolicy.wireName() + ", hubs=" + b.iotHubs + "]";
    }

    /** Options of an {@link Enrollment}. Defaults: enabled, hashed over all linked hubs, migrate on reprovision. */
    public static final class Builder implements Cloneable {

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

        /** A copy. Shallow is enough: every value the builder holds is immutable or replaced, never changed in place. */
        private Builder copy() {
            try {
                return (Builder) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
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
