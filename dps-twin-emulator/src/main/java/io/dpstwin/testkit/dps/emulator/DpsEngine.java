package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.device.SharedAccessSignature;
import io.dpstwin.testkit.dps.DeviceKeys;
import io.dpstwin.testkit.internal.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The protocol-neutral DPS device API behind the MQTT and HTTPS fronts: authentication, registration operations,
 * allocation (hashed, static, custom webhook with DPS's retries), reprovisioning and the linked hubs. Thread-safe.
 */
final class DpsEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DpsEngine.class);
    /** DPS registration ids: alphanumerics and {@code - . _ :}, ending alphanumeric or dash, at most 128. */
    private static final Pattern REGISTRATION_ID = Pattern.compile("[A-Za-z0-9._:-]{0,127}[A-Za-z0-9-]");
    /** DPS's message size limit (https://learn.microsoft.com/azure/iot-dps/about-iot-dps#quotas-and-limits). */
    static final int MAX_MESSAGE_BYTES = 96 * 1024;

    private final String idScope;
    private final Enrollments enrollments;
    private final Map<String, LinkedHub> hubs;
    private final DpsEmulator.WebhookRetry webhookRetry;
    private final Duration webhookTimeout;
    private final int pollRetryAfterSeconds;
    private final HttpClient webhookClient;
    private final ExecutorService allocations;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    /** The latest outcome per registration id (lower case). */
    private final Map<String, DeviceRegistration> registrations = new ConcurrentHashMap<>();
    /** The latest assignment per registration id (lower case): where the device is, for reprovisioning. */
    private final Map<String, DeviceRegistration> assignments = new ConcurrentHashMap<>();
    private final Map<String, Object> deviceLocks = new ConcurrentHashMap<>();
    private final AtomicInteger webhookCalls = new AtomicInteger();

    DpsEngine(String idScope, Enrollments enrollments, Map<String, LinkedHub> hubs, DpsEmulator.WebhookRetry retry,
              Duration webhookTimeout, int pollRetryAfterSeconds, HttpClient webhookClient) {
        this.idScope = idScope;
        this.enrollments = enrollments;
        this.hubs = hubs;
        this.webhookRetry = retry;
        this.webhookTimeout = webhookTimeout;
        this.pollRetryAfterSeconds = pollRetryAfterSeconds;
        this.webhookClient = webhookClient;
        AtomicInteger threads = new AtomicInteger();
        this.allocations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dps-emulator-allocation-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    String idScope() {
        return idScope;
    }

    int webhookCalls() {
        return webhookCalls.get();
    }

    Optional<DeviceRegistration> registration(String registrationId) {
        return Optional.ofNullable(registrations.get(registrationId.toLowerCase(Locale.ROOT)));
    }

    /** Whether a SAS token has the shape and resource DPS expects for this registration (checked at MQTT CONNECT). */
    boolean tokenAddressed(String registrationId, String token) {
        try {
            return SharedAccessSignature.parse(token).isFor(idScope + "/registrations/" + registrationId);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The register call: {@code PUT .../register} or {@code $dps/registrations/PUT/iotdps-register/}. */
    DpsReply register(String registrationId, String token, byte[] body) {
        Device device = authenticate(registrationId, token);
        if (device == null) {
            return DpsReply.unauthorized();
        }
        if (!REGISTRATION_ID.matcher(registrationId).matches()) {
            return DpsReply.badRequest("Invalid RegistrationId");
        }
        if (body.length > MAX_MESSAGE_BYTES) {
            return DpsReply.badRequest("The request exceeds the maximum message size of 96 KB");
        }
        JsonNode request;
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            request = text.isEmpty() ? JsonNodeFactory.instance.objectNode() : Wire.MAPPER.readTree(text);
        } catch (IOException e) {
            return DpsReply.badRequest("The request body is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            return DpsReply.badRequest("The request body must be a JSON object");
        }
        JsonNode bodyId = request.get("registrationId");
        if (bodyId != null && !bodyId.isNull()
                && !(bodyId.isTextual() && bodyId.asText().equalsIgnoreCase(registrationId))) {
            return DpsReply.badRequest("The registrationId in the body does not match the request");
        }
        JsonNode payload = request.get("payload");
        Operation operation = new Operation(newOperationId(), registrationId);
        operations.put(operation.id, operation);
        allocations.execute(() -> allocate(operation, device, payload));
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("operationId", operation.id);
        reply.put("status", "assigning");
        return new DpsReply(202, reply, pollRetryAfterSeconds);
    }

    /** The poll: {@code GET .../operations/{id}} or {@code $dps/registrations/GET/iotdps-get-operationstatus/}. */
    DpsReply operationStatus(String registrationId, String token, String operationId) {
        if (authenticate(registrationId, token) == null) {
            return DpsReply.unauthorized();
        }
        Operation operation = operationId == null ? null : operations.get(operationId);
        if (operation == null || !operation.registrationId.equalsIgnoreCase(registrationId)) {
            return DpsReply.error(404, 404002, "Operation not found");
        }
        DeviceRegistration outcome = operation.outcome;
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("operationId", operation.id);
        if (outcome == null) {
            reply.put("status", "assigning");
            reply.putObject("registrationState").put("registrationId", registrationId).put("status", "assigning");
            return new DpsReply(202, reply, pollRetryAfterSeconds);
        }
        reply.put("status", outcome.status());
        reply.set("registrationState", outcome.toJson());
        return new DpsReply(200, reply, 0);
    }

    /** The status lookup: {@code POST /{idScope}/registrations/{registrationId}}. */
    DpsReply registrationStatus(String registrationId, String token) {
        if (authenticate(registrationId, token) == null) {
            return DpsReply.unauthorized();
        }
        DeviceRegistration outcome = registrations.get(registrationId.toLowerCase(Locale.ROOT));
        if (outcome == null) {
            return DpsReply.error(404, 404201, "Registration not found");
        }
        return new DpsReply(200, outcome.toJson(), 0);
    }

    /** The enrollment and key a token proves, or null. Never says why (DPS answers 401 either way). */
    private Device authenticate(String registrationId, String token) {
        SharedAccessSignature sas;
        try {
            sas = SharedAccessSignature.parse(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!sas.isFor(idScope + "/registrations/" + registrationId) || sas.isExpired(Instant.now())) {
            return null;
        }
        Optional<Enrollment> individual = enrollments.individual(registrationId);
        if (individual.isPresent()) {
            Enrollment e = individual.get();
            for (String key : keys(e.primaryKey(), e.secondaryKey())) {
                if (sas.isSignedWith(key)) {
                    return new Device(e, key, registrationId);
                }
            }
            return null;
        }
        for (Enrollment group : enrollments.groups()) {
            for (String groupKey : keys(group.primaryKey(), group.secondaryKey())) {
                String deviceKey = DeviceKeys.derive(groupKey, registrationId);
                if (sas.isSignedWith(deviceKey)) {
                    return new Device(group, deviceKey, registrationId);
                }
            }
        }
        return null;
    }

    private static List<String> keys(String primary, String secondary) {
        return secondary == null ? List.of(primary) : List.of(primary, secondary);
    }

    private void allocate(Operation operation, Device device, JsonNode payload) {
        String key = device.registrationId.toLowerCase(Locale.ROOT);
        synchronized (deviceLocks.computeIfAbsent(key, k -> new Object())) {
            DeviceRegistration outcome;
            try {
                outcome = assign(device, payload);
            } catch (RuntimeException e) {
                LOG.warn("DPS emulator: registration of {} failed: {}", device.registrationId, e.toString());
                outcome = failed(device, 500000, "Internal error of the DPS emulator");
            }
            registrations.put(key, outcome);
            if (outcome.isAssigned()) {
                assignments.put(key, outcome);
            }
            operation.outcome = outcome;
        }
    }

    private DeviceRegistration assign(Device device, JsonNode payload) {
        Enrollment enrollment = device.enrollment;
        if (!enrollment.enabled()) {
            return outcome(device, "disabled", null, null, null, 0, "The enrollment is disabled", null);
        }
        String key = device.registrationId.toLowerCase(Locale.ROOT);
        DeviceRegistration previous = assignments.get(key);
        boolean reprovisioning = previous != null && previous.isAssigned();
        ReprovisionPolicy policy = enrollment.reprovisionPolicy();
        String deviceId = enrollment.kind() == Enrollment.Kind.INDIVIDUAL && enrollment.deviceId() != null
                ? enrollment.deviceId() : device.registrationId;

        List<String> linkedHubs = reprovisioning && !policy.updateHubAssignment()
                ? List.of(previous.assignedHub()) : linkedHubs(enrollment);
        if (linkedHubs.isEmpty()) {
            return failed(device, 400004, "No IoT hub is linked to the enrollment");
        }
        String hubName;
        ObjectNode initialTwin = enrollment.initialTwin();
        JsonNode returnedPayload = null;
        switch (enrollment.allocationPolicy()) {
            case STATIC -> hubName = linkedHubs.contains(enrollment.iotHubs().get(0))
                    ? enrollment.iotHubs().get(0) : linkedHubs.get(0);
            case HASHED -> hubName = linkedHubs.get(Math.floorMod(key.hashCode(), linkedHubs.size()));
            default -> {
                WebhookOutcome answer = callWebhook(enrollment, device, payload, linkedHubs, previous);
                if (answer.failure != null) {
                    return answer.failure;
                }
                hubName = answer.hubName;
                if (answer.initialTwin != null) {
                    initialTwin = answer.initialTwin;
                }
                returnedPayload = answer.payload;
            }
        }
        if (!linkedHubs.contains(hubName) || !hubs.containsKey(hubName)) {
            return failed(device, 400207, "Custom allocation returned the IoT hub '" + hubName
                    + "', which is not linked to the enrollment");
        }
        LinkedHub hub = hubs.get(hubName);
        String substatus = "initialAssignment";
        if (!reprovisioning) {
            hub.register(deviceId, device.deviceKey, initialTwin);
        } else {
            LinkedHub previousHub = hubs.get(previous.assignedHub());
            boolean moved = !previous.assignedHub().equals(hubName) || !previous.deviceId().equals(deviceId);
            if (!policy.updateHubAssignment() || (policy.migrateDeviceData() && !moved)) {
                hub.register(deviceId, device.deviceKey, null);
            } else if (policy.migrateDeviceData()) {
                ObjectNode twin = previousHub == null ? null : previousHub.twin(previous.deviceId()).orElse(null);
                if (previousHub != null) {
                    previousHub.deregister(previous.deviceId());
                }
                hub.register(deviceId, device.deviceKey, twin != null ? twin : initialTwin);
                substatus = "deviceDataMigrated";
            } else {
                if (previousHub != null) {
                    previousHub.deregister(previous.deviceId());
                }
                hub.register(deviceId, device.deviceKey, initialTwin);
                substatus = "deviceDataReset";
            }
        }
        return outcome(device, "assigned", hubName, deviceId, substatus, 0, null, returnedPayload);
    }

    private List<String> linkedHubs(Enrollment enrollment) {
        List<String> names;
        if (enrollment.iotHubs().isEmpty()) {
            names = new ArrayList<>(hubs.keySet());
            names.sort(null);
        } else {
            names = new ArrayList<>(enrollment.iotHubs());
            names.retainAll(hubs.keySet());
        }
        return names;
    }

    private WebhookOutcome callWebhook(Enrollment enrollment, Device device, JsonNode payload, List<String> linkedHubs,
                                       DeviceRegistration previous) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.set(enrollment.kind() == Enrollment.Kind.GROUP ? "enrollmentGroup" : "individualEnrollment",
                enrollment.toWebhookJson());
        ObjectNode context = request.putObject("deviceRuntimeContext");
        context.put("registrationId", device.registrationId);
        if (previous != null && previous.isAssigned()) {
            context.put("currentIotHubHostName", previous.assignedHub());
            context.put("currentDeviceId", previous.deviceId());
        }
        context.putObject("symmetricKey");
        if (payload != null && !payload.isNull()) {
            context.set("payload", payload);
        }
        ArrayNode hubsJson = request.putArray("linkedHubs");
        linkedHubs.forEach(hubsJson::add);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);

        URI url = enrollment.webhookUrl();
        String where = redact(url);
        int lastStatus = 0;
        for (int attempt = 0; attempt <= webhookRetry.retries(); attempt++) {
            if (attempt > 0) {
                sleep(webhookRetry.delayBefore(attempt));
            }
            webhookCalls.incrementAndGet();
            HttpResponse<byte[]> response;
            try {
                response = webhookClient.send(HttpRequest.newBuilder(url)
                                .timeout(webhookTimeout)
                                .header("Content-Type", "application/json; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                LOG.debug("DPS emulator: webhook {} unreachable ({}); DPS retries", where, e.toString());
                lastStatus = 0;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WebhookOutcome.failed(failed(device, 500000, "Interrupted"));
            }
            lastStatus = response.statusCode();
            if (lastStatus >= 429) {
                LOG.debug("DPS emulator: webhook {} answered {}; DPS retries", where, lastStatus);
                continue;
            }
            if (lastStatus == 401) {
                return WebhookOutcome.failed(failed(device, 400209,
                        "Custom allocation failed with status code: 401"));
            }
            if (lastStatus != 200) {
                return WebhookOutcome.failed(failed(device, 400207,
                        "Custom allocation failed with status code: " + lastStatus));
            }
            return readAnswer(device, response.body());
        }
        return WebhookOutcome.failed(failed(device, 400207, "Custom allocation failed with status code: "
                + (lastStatus == 0 ? "no response" : String.valueOf(lastStatus))));
    }

    private WebhookOutcome readAnswer(Device device, byte[] body) {
        JsonNode answer;
        try {
            answer = Wire.MAPPER.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return WebhookOutcome.failed(failed(device, 400207,
                    "Custom allocation returned a body that is not a JSON object"));
        }
        String hub = null;
        ObjectNode initialTwin = null;
        JsonNode payload = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "iothubhostname" -> hub = field.getValue().isTextual() ? field.getValue().asText() : null;
                case "initialtwin" -> initialTwin = field.getValue().isObject()
                        ? (ObjectNode) field.getValue() : null;
                case "payload" -> payload = field.getValue().isNull() ? null : field.getValue();
                default -> {
                    // other fields are ignored
                }
            }
        }
        if (hub == null || hub.isBlank()) {
            return WebhookOutcome.failed(failed(device, 400208,
                    "Custom allocation did not return an IoT hub (iotHubHostName)"));
        }
        return new WebhookOutcome(hub, initialTwin, payload, null);
    }

    private DeviceRegistration failed(Device device, int errorCode, String message) {
        LOG.debug("DPS emulator: registration of {} failed with {} ({})", device.registrationId, errorCode, message);
        return outcome(device, "failed", null, null, null, errorCode, message, null);
    }

    private DeviceRegistration outcome(Device device, String status, String hub, String deviceId, String substatus,
                                       int errorCode, String message, JsonNode payload) {
        DeviceRegistration previous = registrations.get(device.registrationId.toLowerCase(Locale.ROOT));
        Instant now = Instant.now();
        String etag = Base64.getEncoder().encodeToString(("\"" + UUID.randomUUID() + "\"")
                .getBytes(StandardCharsets.US_ASCII));
        return new DeviceRegistration(device.registrationId, status, hub, deviceId, substatus, errorCode, message,
                payload, device.enrollment.kind() == Enrollment.Kind.GROUP ? device.enrollment.id() : null,
                previous != null ? previous.created() : now, now, etag);
    }

    private static String newOperationId() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return "4." + HexFormat.of().formatHex(random) + "." + UUID.randomUUID();
    }

    private static String redact(URI url) {
        String s = url.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + "?****";
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        allocations.shutdownNow();
        try {
            allocations.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A device proven by its token: the enrollment, the key it signed with, the registration id as sent. */
    private record Device(Enrollment enrollment, String deviceKey, String registrationId) {
        @Override
        public String toString() {
            return "Device[" + registrationId + ", " + enrollment.id() + "]";
        }
    }

    private record WebhookOutcome(String hubName, ObjectNode initialTwin, JsonNode payload,
                                  DeviceRegistration failure) {
        static WebhookOutcome failed(DeviceRegistration failure) {
            return new WebhookOutcome(null, null, null, failure);
        }
    }

    private static final class Operation {
        final String id;
        final String registrationId;
        volatile DeviceRegistration outcome;

        Operation(String id, String registrationId) {
            this.id = id;
            this.registrationId = registrationId;
        }
    }
}
