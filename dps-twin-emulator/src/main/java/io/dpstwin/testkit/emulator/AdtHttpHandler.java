package io.dpstwin.testkit.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.AdtServiceException;
import io.dpstwin.testkit.adt.ConnectionDroppedException;
import io.dpstwin.testkit.adt.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the ADT REST API from an {@link AdtEngine}: routing on the raw request path (so {@code ;} and {@code :}
 * in model ids survive, and {@code %2F} inside a segment stays inside it), bearer check, bodies, headers and
 * status codes as the service answers them. No stack trace ever reaches a client.
 */
final class AdtHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AdtHttpHandler.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?$");
    private static final String DEFAULT_API_VERSION = "2023-10-31";

    private final AdtEngine engine;
    private final RequestJournal journal;
    private final int maxBodyBytes;
    private final String fallbackHost;

    AdtHttpHandler(AdtEngine engine, RequestJournal journal, int maxBodyBytes, String fallbackHost) {
        this.engine = engine;
        this.journal = journal;
        this.maxBodyBytes = maxBodyBytes;
        this.fallbackHost = fallbackHost;
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** A request as the routes see it. */
    private record Request(String method, List<String> segments, Map<String, List<String>> query, Headers headers,
                           String body, String baseUrl, String apiVersion) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        List<String> params(String name) {
            return query.getOrDefault(name, List.of());
        }
    }

    /** Thrown by routing for answers that are not ADT errors (unknown route, wrong method). */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final transient Map<String, String> headers;

        HttpError(int status, String code, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.headers = headers;
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        AdtOperation[] operation = new AdtOperation[1];
        try {
            Response response;
            try {
                response = answer(exchange, method, rawPath, rawQuery, operation);
            } catch (ConnectionDroppedException e) {
                LOG.debug("Dropping the connection of {} {} (injected fault)", method, rawPath);
                record(method, rawPath, rawQuery, 0, operation[0]);
                return;
            } catch (AdtServiceException e) {
                response = error(e.statusCode(), e.errorCode(), e.serviceMessage(), e.details(), retryAfter(e));
            } catch (AdtException e) {
                response = error(e.statusCode() == 0 ? 503 : e.statusCode(), e.errorCode(), e.getMessage(), List.of(),
                        retryAfter(e));
            } catch (HttpError e) {
                response = error(e.status, e.code, e.getMessage(), List.of(), e.headers);
            } catch (RuntimeException e) {
                LOG.warn("The emulator failed to answer {} {}", method, rawPath, e);
                response = error(500, "InternalServerError", "The emulator failed to handle the request ("
                        + e.getClass().getSimpleName() + ").", List.of(), Map.of());
            }
            // journal first: a client that got the answer must find the request in the journal
            record(method, rawPath, rawQuery, response.status(), operation[0]);
            send(exchange, response);
        } catch (IOException e) {
            LOG.debug("Could not answer {} {}: {}", method, rawPath, e.toString());
        } finally {
            exchange.close();
        }
    }

    private void record(String method, String rawPath, String rawQuery, int status, AdtOperation operation) {
        journal.record(new RequestJournal.Entry(Instant.now(), method, rawPath, rawQuery, status, operation));
    }

    private static Map<String, String> retryAfter(AdtException e) {
        return e.retryAfter().map(d -> Map.of("Retry-After", String.valueOf(d.getSeconds()))).orElse(Map.of());
    }

    private Response answer(HttpExchange exchange, String method, String rawPath, String rawQuery,
                            AdtOperation[] operation) throws IOException {
        byte[] bodyBytes = readBody(exchange.getRequestBody());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw new HttpError(401, "Unauthorized", "The request has no bearer token. Send Authorization: Bearer "
                    + "<token>; the emulator accepts any token.", Map.of("WWW-Authenticate", "Bearer"));
        }
        List<String> segments = segments(rawPath);
        Map<String, List<String>> query = queryParams(rawQuery);
        String host = exchange.getRequestHeaders().getFirst("Host");
        String baseUrl = "https://" + (host != null && HOST.matcher(host).matches() ? host : fallbackHost);
        String apiVersion = query.containsKey("api-version") ? query.get("api-version").get(0) : DEFAULT_API_VERSION;
        Request request = new Request(method, segments, query, exchange.getRequestHeaders(),
                new String(bodyBytes, StandardCharsets.UTF_8), baseUrl, apiVersion);
        return route(request, operation);
    }

    private Response route(Request request, AdtOperation[] operation) {
        List<String> s = request.segments();
        String method = request.method();
        if (s.size() >= 2 && s.get(0).equals("digitaltwins")) {
            String twinId = s.get(1);
            if (s.size() == 2) {
                switch (method) {
                    case "GET":
                        operation[0] = AdtOperation.GET_TWIN;
                        return withEtag(200, engine.getTwin(twinId));
                    case "PUT":
                        operation[0] = AdtOperation.PUT_TWIN;
                        return withEtag(200, engine.putTwin(twinId, body(request), request.header("If-None-Match")));
                    case "PATCH":
                        operation[0] = AdtOperation.PATCH_TWIN;
                        return noContent(engine.patchTwin(twinId, patchBody(request), request.header("If-Match")));
                    case "DELETE":
                        operation[0] = AdtOperation.DELETE_TWIN;
                        engine.deleteTwin(twinId, request.header("If-Match"));
                        return noContent(null);
                    default:
                        throw methodNotAllowed("GET, PUT, PATCH, DELETE");
                }
            }
            if (s.size() == 3 && s.get(2).equals("relationships")) {
                if (!method.equals("GET")) {
                    throw methodNotAllowed("GET");
                }
                operation[0] = AdtOperation.LIST_RELATIONSHIPS;
                String name = request.param("relationshipName");
                Page page = engine.listRelationships(twinId, name, request.param("continuationToken"));
                return collection(page, request, "/digitaltwins/" + encode(twinId) + "/relationships");
            }
            if (s.size() == 4 && s.get(2).equals("relationships")) {
                String relationshipId = s.get(3);
                switch (method) {
                    case "GET":
                        operation[0] = AdtOperation.GET_RELATIONSHIP;
                        return withEtag(200, engine.getRelationship(twinId, relationshipId));
                    case "PUT":
                        operation[0] = AdtOperation.PUT_RELATIONSHIP;
                        return withEtag(200, engine.putRelationship(twinId, relationshipId, body(request),
                                request.header("If-None-Match")));
                    case "PATCH":
                        operation[0] = AdtOperation.PATCH_RELATIONSHIP;
                        return noContent(engine.patchRelationship(twinId, relationshipId, patchBody(request),
                                request.header("If-Match")));
                    case "DELETE":
                        operation[0] = AdtOperation.DELETE_RELATIONSHIP;
                        engine.deleteRelationship(twinId, relationshipId, request.header("If-Match"));
                        return noContent(null);
                    default:
                        throw methodNotAllowed("GET, PUT, PATCH, DELETE");
                }
            }
            if (s.size() == 3 && s.get(2).equals("incomingrelationships")) {
                if (!method.equals("GET")) {
                    throw methodNotAllowed("GET");
                }
                operation[0] = AdtOperation.LIST_INCOMING_RELATIONSHIPS;
                Page page = engine.listIncomingRelationships(twinId, request.param("continuationToken"));
                for (ObjectNode item : page.items()) {
                    String link = item.path("$relationshipLink").asText("");
                    if (link.startsWith("/")) {
                        item.put("$relationshipLink", request.baseUrl() + link + "?api-version=" + request.apiVersion());
                    }
                }
                return collection(page, request, "/digitaltwins/" + encode(twinId) + "/incomingrelationships");
            }
            if (s.size() == 4 && s.get(2).equals("components")) {
                switch (method) {
                    case "GET":
                        operation[0] = AdtOperation.GET_COMPONENT;
                        return json(200, engine.getComponent(twinId, s.get(3)));
                    case "PATCH":
                        operation[0] = AdtOperation.PATCH_COMPONENT;
                        return noContent(engine.patchComponent(twinId, s.get(3), patchBody(request),
                                request.header("If-Match")));
                    default:
                        throw methodNotAllowed("GET, PATCH");
                }
            }
        }
        if (s.size() == 1 && s.get(0).equals("query")) {
            if (!method.equals("POST")) {
                throw methodNotAllowed("POST");
            }
            operation[0] = AdtOperation.QUERY;
            JsonNode body = AdtJson.parse(request.body(), AdtErrorCodes.BAD_REQUEST);
            if (!body.isObject()) {
                throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST,
                        "The body must be a JSON object with query or continuationToken.");
            }
            String query = textOrNull(body.get("query"), "query");
            String token = textOrNull(body.get("continuationToken"), "continuationToken");
            Page page = engine.query(query, token, maxItemsPerPage(request));
            ObjectNode result = JSON.objectNode();
            ArrayNode value = result.putArray("value");
            page.items().forEach(value::add);
            if (page.continuationToken() == null) {
                result.putNull("continuationToken");
            } else {
                result.put("continuationToken", page.continuationToken());
            }
            Response response = json(200, result);
            response.headers().put("query-charge", String.format(Locale.ROOT, "%.2f", 1.0 + page.items().size() * 0.1));
            return response;
        }
        if (s.size() == 1 && s.get(0).equals("models")) {
            switch (method) {
                case "POST":
                    operation[0] = AdtOperation.CREATE_MODELS;
                    return json(201, engine.createModels(AdtJson.parse(request.body(), AdtErrorCodes.DTDL_PARSER_ERROR)));
                case "GET":
                    operation[0] = AdtOperation.LIST_MODELS;
                    List<String> dependencies = new ArrayList<>();
                    for (String value : request.params("dependenciesFor")) {
                        for (String id : value.split(",")) {
                            if (!id.isBlank()) {
                                dependencies.add(id.trim());
                            }
                        }
                    }
                    Page page = engine.listModels(dependencies, bool(request.param("includeModelDefinition")),
                            request.param("continuationToken"), maxItemsPerPage(request));
                    return collection(page, request, "/models");
                default:
                    throw methodNotAllowed("GET, POST");
            }
        }
        if (s.size() == 2 && s.get(0).equals("models")) {
            String modelId = s.get(1);
            switch (method) {
                case "GET":
                    operation[0] = AdtOperation.GET_MODEL;
                    return json(200, engine.getModel(modelId, bool(request.param("includeModelDefinition"))));
                case "DELETE":
                    operation[0] = AdtOperation.DELETE_MODEL;
                    engine.deleteModel(modelId);
                    return noContent(null);
                case "PATCH":
                    operation[0] = AdtOperation.DECOMMISSION_MODEL;
                    engine.patchModel(modelId, AdtJson.parse(request.body(), AdtErrorCodes.JSON_PATCH_INVALID));
                    return noContent(null);
                default:
                    throw methodNotAllowed("GET, DELETE, PATCH");
            }
        }
        throw new HttpError(404, "NotFound", "The emulator serves no route " + method + " /" + String.join("/", s)
                + " (it serves /digitaltwins, /query and /models).", Map.of());
    }

    private static HttpError methodNotAllowed(String allowed) {
        return new HttpError(405, "MethodNotAllowed", "This route accepts " + allowed + ".", Map.of("Allow", allowed));
    }

    private static JsonNode body(Request request) {
        return AdtJson.parse(request.body(), AdtErrorCodes.INVALID_ARGUMENT);
    }

    private static JsonNode patchBody(Request request) {
        return AdtJson.parse(request.body(), AdtErrorCodes.JSON_PATCH_INVALID);
    }

    private static String textOrNull(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST, field + " must be a string.");
        }
        return node.asText();
    }

    private static boolean bool(String value) {
        return value != null && value.equalsIgnoreCase("true");
    }

    private static Integer maxItemsPerPage(Request request) {
        String value = request.header("max-items-per-page");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST,
                    "max-items-per-page must be a positive integer, found '" + value + "'.");
        }
    }

    private static Response collection(Page page, Request request, String path) {
        ObjectNode result = JSON.objectNode();
        ArrayNode value = result.putArray("value");
        page.items().forEach(value::add);
        if (page.continuationToken() == null) {
            result.putNull("nextLink");
        } else {
            result.put("nextLink", request.baseUrl() + path + "?continuationToken="
                    + encode(page.continuationToken()) + "&api-version=" + encode(request.apiVersion()));
        }
        return json(200, result);
    }

    private static Response withEtag(int status, ObjectNode body) {
        Response response = json(status, body);
        JsonNode etag = body.get("$etag");
        if (etag != null) {
            response.headers().put("ETag", etag.asText());
        }
        return response;
    }

    private static Response noContent(String etag) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (etag != null) {
            headers.put("ETag", etag);
        }
        return new Response(204, headers, new byte[0]);
    }

    private static Response json(int status, JsonNode body) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", JSON_CONTENT_TYPE);
            return new Response(status, headers, AdtJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }

    private static Response error(int status, String code, String message, List<String> details,
                                  Map<String, String> extraHeaders) {
        ObjectNode body = JSON.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (!details.isEmpty()) {
            ArrayNode array = error.putArray("details");
            for (String detail : details) {
                ObjectNode entry = array.addObject();
                entry.put("code", code);
                entry.put("message", detail);
            }
        }
        Response response = json(status, body);
        response.headers().putAll(extraHeaders);
        return response;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().forEach(headers::set);
        if (response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    private byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read;
        long total = 0;
        boolean tooLarge = false;
        while ((read = in.read(chunk)) != -1) {
            total += read;
            if (total > maxBodyBytes) {
                tooLarge = true;
            } else {
                buffer.write(chunk, 0, read);
            }
        }
        if (tooLarge) {
            throw new HttpError(413, "PayloadTooLarge", "The request body is larger than the emulator's limit of "
                    + maxBodyBytes + " bytes.", Map.of());
        }
        return buffer.toByteArray();
    }

    /** The path segments, each percent-decoded on its own (so {@code %2F} stays inside its segment). */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        if (rawPath == null) {
            return segments;
        }
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(percentDecode(raw));
            }
        }
        return segments;
    }

    /** Decodes {@code %XX} escapes (UTF-8); unlike form decoding, {@code +} stays a plus. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw badEscape(raw);
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw badEscape(raw);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static AdtServiceException badEscape(String raw) {
        return new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST, "The path segment '" + raw
                + "' has an invalid percent escape.");
    }

    private static Map<String, List<String>> queryParams(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST, "The query string has an invalid escape.");
            }
        }
        return params;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
