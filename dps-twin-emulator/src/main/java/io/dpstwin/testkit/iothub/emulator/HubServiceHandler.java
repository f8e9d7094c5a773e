package io.dpstwin.testkit.iothub.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.dpstwin.testkit.internal.Wire;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.dpstwin.testkit.registry.RegisteredDevice;
import io.dpstwin.testkit.registry.RegisteredModule;
import io.dpstwin.testkit.registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service side of one emulated hub over HTTPS: the device-identity REST API as {@code iot-service-client}'s
 * {@code RegistryClient}/{@code QueryClient} and Node's {@code azure-iothub} {@code Registry} call it, behind service
 * SAS authentication.
 *
 * <ul>
 *   <li>{@code GET|PUT|DELETE /devices/{id}}; {@code PUT} without {@code If-Match} creates (409 when it exists),
 *       with {@code If-Match} updates (404 when missing, 412 on a stale etag); {@code DELETE} honours
 *       {@code If-Match} ({@code *}, quoted or not, matches any).</li>
 *   <li>{@code GET /devices} (Node's {@code list}, {@code top} ≤ 1000).</li>
 *   <li>{@code GET|PUT|DELETE /devices/{id}/modules/{moduleId}}, {@code GET /devices/{id}/modules}.</li>
 *   <li>{@code POST /devices/query} with {@code {"query":"SELECT * FROM devices [WHERE …]"}} (or
 *       {@code devices.modules}), paged by {@code x-ms-max-item-count} and {@code x-ms-continuation}.</li>
 *   <li>{@code GET /statistics/devices}.</li>
 * </ul>
 *
 * @see <a href="https://learn.microsoft.com/rest/api/iothub/service/devices">IoT Hub REST: Devices</a>
 */
final class HubServiceHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HubServiceHandler.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String NEVER = "0001-01-01T00:00:00Z";
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final EmulatedIotHub hub;
    private final InMemoryDeviceRegistry registry;
    private final Clock clock;
    private final int maxBodyBytes;

    HubServiceHandler(EmulatedIotHub hub, InMemoryDeviceRegistry registry, Clock clock, int maxBodyBytes) {
        this.hub = hub;
        this.registry = registry;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = route(exchange);
            } catch (RegistryException e) {
                response = error(new IotHubErrors(e.status(), e.errorCode(), e.detail()));
            } catch (IllegalArgumentException e) {
                response = error(IotHubErrors.argumentInvalid(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("IoT hub emulator {} failed on {} {}", hub.hostName(), exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e);
                response = error(new IotHubErrors(500, "ServerError", "The emulator failed: "
                        + e.getClass().getSimpleName()));
            }
            hub.countRequest(response.status);
            send(exchange, response);
        }
    }

    private record Response(int status, String body, String etag, String continuation, String errorCode) {
    }

    private static Response json(int status, JsonNode body, String etag) {
        return new Response(status, Wire.write(body), etag, null, null);
    }

    private Response error(IotHubErrors error) {
        return new Response(error.status(), error.body(clock.instant()), null, null, error.code());
    }

    private Response route(HttpExchange exchange) throws IOException {
        Optional<IotHubErrors> denied = hub.authorizeService(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Host"));
        if (denied.isPresent()) {
            drain(exchange);
            return error(denied.get());
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || !query.contains("api-version=")) {
            drain(exchange);
            return error(new IotHubErrors(400, "InvalidProtocolVersion",
                    "The api-version query parameter is required."));
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            return error(new IotHubErrors(413, "RequestEntityTooLarge",
                    "The request body is larger than " + maxBodyBytes + " bytes."));
        }
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (path.size() == 2 && path.get(0).equals("devices") && path.get(1).equals("query") && method.equals("POST")) {
            return query(exchange, body);
        }
        if (path.size() == 2 && path.get(0).equals("statistics") && path.get(1).equals("devices")
                && method.equals("GET")) {
            return statistics();
        }
        if (path.size() == 1 && path.get(0).equals("devices") && method.equals("GET")) {
            return list(query);
        }
        if (path.size() == 2 && path.get(0).equals("devices")) {
            String deviceId = path.get(1);
            return switch (method) {
                case "GET" -> registry.device(hub.hostName(), deviceId)
                        .map(d -> json(200, deviceJson(d), d.etag()))
                        .orElseThrow(() -> new RegistryException(404, "DeviceNotFound", 404001,
                                "Device " + deviceId + " not found."));
                case "PUT" -> putDevice(deviceId, ifMatch, object(body));
                case "DELETE" -> {
                    registry.deleteDevice(hub.hostName(), deviceId, ifMatch);
                    yield new Response(204, "", null, null, null);
                }
                default -> methodNotAllowed(method);
            };
        }
        if (path.size() == 3 && path.get(0).equals("devices") && path.get(2).equals("modules")
                && method.equals("GET")) {
            String deviceId = path.get(1);
            if (registry.device(hub.hostName(), deviceId).isEmpty()) {
                throw new RegistryException(404, "DeviceNotFound", 404001, "Device " + deviceId + " not found.");
            }
            ArrayNode modules = JsonNodeFactory.instance.arrayNode();
            registry.modules(hub.hostName(), deviceId).forEach(m -> modules.add(moduleJson(m)));
            return json(200, modules, null);
        }
        if (path.size() == 4 && path.get(0).equals("devices") && path.get(2).equals("modules")) {
            String deviceId = path.get(1);
            String moduleId = path.get(3);
            return switch (method) {
                case "GET" -> registry.module(hub.hostName(), deviceId, moduleId)
                        .map(m -> json(200, moduleJson(m), m.etag()))
                        .orElseThrow(() -> new RegistryException(404, "ModuleNotFound", 404010,
                                "Module " + moduleId + " on device " + deviceId + " not found."));
                case "PUT" -> putModule(deviceId, moduleId, ifMatch, object(body));
                case "DELETE" -> {
                    registry.deleteModule(hub.hostName(), deviceId, moduleId, ifMatch);
                    yield new Response(204, "", null, null, null);
                }
                default -> methodNotAllowed(method);
            };
        }
        return error(new IotHubErrors(404, "NotFound", "No such resource: " + method + " /"
                + String.join("/", path) + "."));
    }

    private Response methodNotAllowed(String method) {
        return error(new IotHubErrors(405, "MethodNotAllowed", "The method " + method + " is not allowed here."));
    }

    // ---- devices and modules ----

    private Response putDevice(String deviceId, String ifMatch, ObjectNode body) {
        String bodyId = text(body.get("deviceId"));
        if (bodyId != null && !bodyId.equals(deviceId)) {
            throw new IllegalArgumentException("The deviceId '" + bodyId + "' in the body does not match the "
                    + "device id '" + deviceId + "' of the request URI.");
        }
        boolean enabled = enabled(body);
        String reason = text(body.get("statusReason"));
        DeviceAuthentication authentication = authentication(body.get("authentication"));
        RegisteredDevice device;
        if (ifMatch == null) {
            device = registry.createDevice(hub.hostName(), deviceId, authentication, enabled, reason, null, null,
                    null);
        } else {
            device = registry.updateDevice(hub.hostName(), deviceId, ifMatch, authentication, enabled, reason);
        }
        return json(200, deviceJson(device), device.etag());
    }

    private Response putModule(String deviceId, String moduleId, String ifMatch, ObjectNode body) {
        String bodyId = text(body.get("moduleId"));
        if (bodyId != null && !bodyId.equals(moduleId)) {
            throw new IllegalArgumentException("The moduleId '" + bodyId + "' in the body does not match the "
                    + "module id '" + moduleId + "' of the request URI.");
        }
        DeviceAuthentication authentication = authentication(body.get("authentication"));
        String managedBy = text(body.get("managedBy"));
        RegisteredModule module = ifMatch == null
                ? registry.createModule(hub.hostName(), deviceId, moduleId, authentication, managedBy)
                : registry.updateModule(hub.hostName(), deviceId, moduleId, ifMatch, authentication, managedBy);
        return json(200, moduleJson(module), module.etag());
    }

    private static boolean enabled(ObjectNode body) {
        JsonNode status = body.get("status");
        if (status == null || status.isNull()) {
            return true;
        }
        String value = status.asText().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "enabled" -> true;
            case "disabled" -> false;
            default -> throw new IllegalArgumentException("status must be 'enabled' or 'disabled', was '"
                    + status.asText() + "'.");
        };
    }

    /** The credential of a create/update body; {@code null} (keep or generate) when keys are absent or empty. */
    private static DeviceAuthentication authentication(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("authentication must be an object.");
        }
        String type = Optional.ofNullable(text(node.get("type"))).orElse(DeviceAuthentication.SAS);
        switch (type) {
            case DeviceAuthentication.SAS -> {
                String primary = text(node.path("symmetricKey").get("primaryKey"));
                String secondary = text(node.path("symmetricKey").get("secondaryKey"));
                if (primary == null && secondary == null) {
                    return null;
                }
                return DeviceAuthentication.symmetricKeys(
                        primary != null ? primary : DeviceAuthentication.randomKey(),
                        secondary != null ? secondary : DeviceAuthentication.randomKey());
            }
            case DeviceAuthentication.SELF_SIGNED -> {
                String primary = text(node.path("x509Thumbprint").get("primaryThumbprint"));
                if (primary == null) {
                    throw new IllegalArgumentException("selfSigned authentication needs a primaryThumbprint.");
                }
                return new DeviceAuthentication(type, null, null, primary,
                        text(node.path("x509Thumbprint").get("secondaryThumbprint")));
            }
            default -> {
                return new DeviceAuthentication(type, null, null, null, null);
            }
        }
    }

    private ObjectNode deviceJson(RegisteredDevice d) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("deviceId", d.deviceId());
        node.put("generationId", d.generationId());
        node.put("etag", d.etag());
        boolean connected = hub.isConnected(d.deviceId(), null);
        node.put("connectionState", connected ? "Connected" : "Disconnected");
        node.put("status", d.enabled() ? "enabled" : "disabled");
        if (d.statusReason() == null) {
            node.putNull("statusReason");
        } else {
            node.put("statusReason", d.statusReason());
        }
        node.put("connectionStateUpdatedTime", NEVER);
        node.put("statusUpdatedTime", Wire.time(d.lastChanged()));
        node.put("lastActivityTime", NEVER);
        node.put("cloudToDeviceMessageCount", 0);
        node.set("authentication", authenticationJson(d.authentication()));
        node.putObject("capabilities").put("iotEdge", false);
        return node;
    }

    private ObjectNode moduleJson(RegisteredModule m) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("moduleId", m.moduleId());
        if (m.managedBy() != null) {
            node.put("managedBy", m.managedBy());
        }
        node.put("deviceId", m.deviceId());
        node.put("generationId", m.generationId());
        node.put("etag", m.etag());
        node.put("connectionState", hub.isConnected(m.deviceId(), m.moduleId()) ? "Connected" : "Disconnected");
        node.put("connectionStateUpdatedTime", NEVER);
        node.put("lastActivityTime", NEVER);
        node.put("cloudToDeviceMessageCount", 0);
        node.set("authentication", authenticationJson(m.authentication()));
        return node;
    }

    private static ObjectNode authenticationJson(DeviceAuthentication a) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ObjectNode keys = node.putObject("symmetricKey");
        keys.put("primaryKey", a.primaryKey());
        keys.put("secondaryKey", a.secondaryKey());
        ObjectNode thumbprint = node.putObject("x509Thumbprint");
        thumbprint.put("primaryThumbprint", a.primaryThumbprint());
        thumbprint.put("secondaryThumbprint", a.secondaryThumbprint());
        node.put("type", a.type());
        return node;
    }

    // ---- listing, query, statistics ----

    private Response list(String query) {
        int top = MAX_PAGE;
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("top=")) {
                try {
                    top = Integer.parseInt(parameter.substring(4));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("top must be a number.");
                }
                if (top < 1 || top > MAX_PAGE) {
                    throw new IllegalArgumentException("top must be between 1 and " + MAX_PAGE + ".");
                }
            }
        }
        ArrayNode devices = JsonNodeFactory.instance.arrayNode();
        registry.devicesAfter(hub.hostName(), null, top).forEach(d -> devices.add(deviceJson(d)));
        return json(200, devices, null);
    }

    private Response statistics() {
        List<RegisteredDevice> all = registry.devices(hub.hostName());
        long enabled = all.stream().filter(RegisteredDevice::enabled).count();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("totalDeviceCount", all.size());
        node.put("enabledDeviceCount", enabled);
        node.put("disabledDeviceCount", all.size() - enabled);
        return json(200, node, null);
    }

    private Response query(HttpExchange exchange, byte[] body) {
        ObjectNode request = object(body);
        String text = text(request.get("query"));
        if (text == null) {
            throw new IllegalArgumentException("The request body must be {\"query\":\"...\"}.");
        }
        DeviceQuery query = DeviceQuery.parse(text);
        int pageSize = DEFAULT_PAGE;
        String maxItems = exchange.getRequestHeaders().getFirst("x-ms-max-item-count");
        if (maxItems != null) {
            try {
                pageSize = Integer.parseInt(maxItems.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("x-ms-max-item-count must be a number.");
            }
            if (pageSize < 1 || pageSize > MAX_PAGE) {
                throw new IllegalArgumentException("x-ms-max-item-count must be between 1 and " + MAX_PAGE + ".");
            }
        }
        String after = decodeContinuation(exchange.getRequestHeaders().getFirst("x-ms-continuation"));
        ArrayNode page = JsonNodeFactory.instance.arrayNode();
        String last = null;
        boolean more = false;
        for (Row row : rows(query)) {
            if (after != null && row.key.compareTo(after) <= 0 || !query.matches(row.twin)) {
                continue;
            }
            if (page.size() == pageSize) {
                more = true;
                break;
            }
            page.add(row.twin);
            last = row.key;
        }
        String continuation = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)) : null;
        return new Response(200, Wire.write(page), null, continuation, null);
    }

    /** A query row and its sort key: the device id, or device id + "/" + module id. */
    private record Row(String key, ObjectNode twin) {
    }

    /** Every row the query's source holds, in key order (keyset paging: rows added or removed meanwhile are fine). */
    private List<Row> rows(DeviceQuery query) {
        List<Row> rows = new ArrayList<>();
        for (RegisteredDevice device : registry.devices(hub.hostName())) {
            if (!query.modules()) {
                rows.add(new Row(device.deviceId(), twinJson(device)));
                continue;
            }
            for (RegisteredModule module : registry.modules(hub.hostName(), device.deviceId())) {
                rows.add(new Row(device.deviceId() + "/" + module.moduleId(), moduleTwinJson(device, module)));
            }
        }
        rows.sort(java.util.Comparator.comparing(Row::key));
        return rows;
    }

    private static String decodeContinuation(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The continuation token is not one this hub issued.");
        }
    }

    /** The device twin as IoT Hub's query returns it. */
    private ObjectNode twinJson(RegisteredDevice d) {
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        twin.put("deviceId", d.deviceId());
        twin.put("etag", d.twinEtag());
        twin.put("deviceEtag", d.etag());
        twin.put("status", d.enabled() ? "enabled" : "disabled");
        twin.put("statusUpdateTime", Wire.time(d.lastChanged()));
        twin.put("connectionState", hub.isConnected(d.deviceId(), null) ? "Connected" : "Disconnected");
        twin.put("lastActivityTime", NEVER);
        twin.put("cloudToDeviceMessageCount", 0);
        twin.put("authenticationType", d.authentication().type());
        ObjectNode thumbprint = twin.putObject("x509Thumbprint");
        thumbprint.put("primaryThumbprint", d.authentication().primaryThumbprint());
        thumbprint.put("secondaryThumbprint", d.authentication().secondaryThumbprint());
        twin.put("modelId", d.modelId() == null ? "" : d.modelId());
        twin.put("version", d.version() + 1);
        if (!d.tags().isEmpty()) {
            twin.set("tags", Wire.toNode(d.tags()));
        }
        ObjectNode properties = twin.putObject("properties");
        ObjectNode desired = properties.putObject("desired");
        d.desiredProperties().forEach((k, v) -> desired.set(k, Wire.toNode(v)));
        desired.putObject("$metadata").put("$lastUpdated", Wire.time(d.lastChanged()));
        desired.put("$version", 1);
        ObjectNode reported = properties.putObject("reported");
        reported.putObject("$metadata").put("$lastUpdated", Wire.time(d.created()));
        reported.put("$version", 1);
        twin.putObject("capabilities").put("iotEdge", false);
        return twin;
    }

    private ObjectNode moduleTwinJson(RegisteredDevice d, RegisteredModule m) {
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        twin.put("deviceId", d.deviceId());
        twin.put("moduleId", m.moduleId());
        twin.put("etag", m.etag());
        twin.put("deviceEtag", d.etag());
        twin.put("status", "enabled");
        twin.put("statusUpdateTime", NEVER);
        twin.put("connectionState", hub.isConnected(d.deviceId(), m.moduleId()) ? "Connected" : "Disconnected");
        twin.put("lastActivityTime", NEVER);
        twin.put("authenticationType", m.authentication().type());
        twin.put("version", m.version() + 1);
        ObjectNode properties = twin.putObject("properties");
        properties.putObject("desired").put("$version", 1);
        properties.putObject("reported").put("$version", 1);
        return twin;
    }

    // ---- HTTP plumbing ----

    private static ObjectNode object(byte[] body) {
        JsonNode node;
        try {
            node = Wire.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request body is not valid JSON.");
        } catch (IOException e) {
            throw new IllegalArgumentException("The request body cannot be read.");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    /** The path's segments, each percent-decoded once ({@code +} stays a plus, as in a path). */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(percentDecode(segment));
            }
        }
        return segments;
    }

    private static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && isHex(segment, i + 1) && isHex(segment, i + 2)) {
                out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    /** The body, or {@code null} when it is larger than allowed. */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            return bytes;
        }
    }

    private static void drain(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (response.etag != null) {
            headers.set("ETag", "\"" + response.etag + "\"");
        }
        if (response.continuation != null) {
            headers.set("x-ms-continuation", response.continuation);
        }
        if (response.errorCode != null) {
            headers.set("iothub-errorcode", response.errorCode);
        }
        byte[] bytes = response.body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(response.status, -1);
            return;
        }
        headers.set("Content-Type", JSON_TYPE);
        exchange.sendResponseHeaders(response.status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
