package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.internal.Wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The enrollments of a {@link DpsEmulator}, managed in code ({@link #put}, {@link #remove}) or loaded from JSON in the
 * shape of the DPS service API's records
 * (https://learn.microsoft.com/rest/api/iot-dps/service/enrollment-group/create-or-update):
 *
 * <pre>{@code
 * {"enrollmentGroups": [{"enrollmentGroupId": "thermostats",
 *     "attestation": {"type": "symmetricKey", "symmetricKey": {"primaryKey": "<base64>", "secondaryKey": "<base64>"}},
 *     "provisioningStatus": "enabled", "allocationPolicy": "custom", "iotHubs": ["hub-1.azure-devices.net"],
 *     "customAllocationDefinition": {"webhookUrl": "https://.../api/allocate?code=...", "apiVersion": "2021-10-01"},
 *     "reprovisionPolicy": {"updateHubAssignment": true, "migrateDeviceData": true},
 *     "initialTwin": {"tags": {}, "properties": {"desired": {}}}}],
 *  "individualEnrollments": [{"registrationId": "dev-1", "deviceId": "dev-1", "attestation": {...}, ...}]}
 * }</pre>
 *
 * Thread-safe; registration ids are case-insensitive, as in DPS.
 */
public final class Enrollments {


    private final Map<String, Enrollment> groups = new ConcurrentHashMap<>();
    private final Map<String, Enrollment> individuals = new ConcurrentHashMap<>();

    /** Adds or replaces an enrollment (by group id or registration id). */
    public Enrollment put(Enrollment enrollment) {
        (enrollment.kind() == Enrollment.Kind.GROUP ? groups : individuals).put(key(enrollment), enrollment);
        return enrollment;
    }

    /** Removes an enrollment; returns whether it existed. */
    public boolean remove(Enrollment enrollment) {
        return (enrollment.kind() == Enrollment.Kind.GROUP ? groups : individuals).remove(key(enrollment)) != null;
    }

    /** The enrollment group {@code id}. */
    public Optional<Enrollment> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** The individual enrollment of {@code registrationId}. */
    public Optional<Enrollment> individual(String registrationId) {
        return Optional.ofNullable(individuals.get(registrationId.toLowerCase(Locale.ROOT)));
    }

    /** Every enrollment group. */
    public Collection<Enrollment> groups() {
        return List.copyOf(groups.values());
    }

    /** Every individual enrollment. */
    public Collection<Enrollment> individuals() {
        return List.copyOf(individuals.values());
    }

    /** Enables or disables the enrollment group {@code id}. */
    public void setGroupEnabled(String id, boolean enabled) {
        groups.computeIfPresent(id, (k, e) -> e.withEnabled(enabled));
    }

    /** Loads the enrollments of a JSON file (see the class comment); returns how many. */
    public int load(Path file) {
        try {
            return load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read enrollments from " + file, e);
        }
    }

    /**
     * Loads the enrollments of a JSON document (see the class comment); returns how many.
     *
     * @throws IllegalArgumentException naming the offending enrollment and field; nothing is loaded then
     */
    public int load(String json) {
        JsonNode root;
        try {
            root = Wire.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the enrollments are not JSON (line "
                    + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the enrollments must be a JSON object with enrollmentGroups and/or"
                    + " individualEnrollments");
        }
        List<Enrollment> parsed = new ArrayList<>();
        for (JsonNode node : root.path("enrollmentGroups")) {
            parsed.add(parse(node, Enrollment.Kind.GROUP));
        }
        for (JsonNode node : root.path("individualEnrollments")) {
            parsed.add(parse(node, Enrollment.Kind.INDIVIDUAL));
        }
        parsed.forEach(this::put);
        return parsed.size();
    }

    private static Enrollment parse(JsonNode node, Enrollment.Kind kind) {
        String idField = kind == Enrollment.Kind.GROUP ? "enrollmentGroupId" : "registrationId";
        String id = node.path(idField).asText("");
        String where = (kind == Enrollment.Kind.GROUP ? "enrollment group '" : "individual enrollment '") + id + "'";
        if (id.isBlank()) {
            throw new IllegalArgumentException("an enrollment lacks " + idField);
        }
        JsonNode attestation = node.path("attestation");
        if (!"symmetricKey".equals(attestation.path("type").asText("symmetricKey"))) {
            throw new IllegalArgumentException(where + ": only symmetricKey attestation is supported");
        }
        JsonNode keys = attestation.path("symmetricKey");
        try {
            Enrollment.Builder b = kind == Enrollment.Kind.GROUP
                    ? Enrollment.group(id, keys.path("primaryKey").asText(null))
                    : Enrollment.individual(id, keys.path("primaryKey").asText(null));
            if (keys.hasNonNull("secondaryKey")) {
                b.secondaryKey(keys.get("secondaryKey").asText());
            }
            if (kind == Enrollment.Kind.INDIVIDUAL && node.hasNonNull("deviceId")) {
                b.deviceId(node.get("deviceId").asText());
            }
            b.enabled(!"disabled".equalsIgnoreCase(node.path("provisioningStatus").asText("enabled")));
            List<String> hubs = new ArrayList<>();
            node.path("iotHubs").forEach(h -> hubs.add(h.asText()));
            b.iotHubs(hubs);
            AllocationPolicy policy = AllocationPolicy.fromWireName(node.path("allocationPolicy").asText("hashed"));
            if (policy == AllocationPolicy.CUSTOM) {
                JsonNode custom = node.path("customAllocationDefinition");
                b.customAllocation(custom.path("webhookUrl").asText(null), custom.path("apiVersion")
                        .asText("2021-10-01"));
            } else if (policy == AllocationPolicy.STATIC) {
                if (hubs.size() != 1) {
                    throw new IllegalArgumentException("static allocation needs exactly one entry in iotHubs");
                }
                b.staticHub(hubs.get(0));
            }
            JsonNode reprovision = node.path("reprovisionPolicy");
            if (reprovision.isObject()) {
                b.reprovisionPolicy(new ReprovisionPolicy(reprovision.path("updateHubAssignment").asBoolean(true),
                        reprovision.path("migrateDeviceData").asBoolean(true)));
            }
            if (node.hasNonNull("initialTwin")) {
                b.initialTwin(node.get("initialTwin"));
            }
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static String key(Enrollment enrollment) {
        return enrollment.kind() == Enrollment.Kind.GROUP ? enrollment.id() : enrollment.id().toLowerCase(Locale.ROOT);
    }
}
