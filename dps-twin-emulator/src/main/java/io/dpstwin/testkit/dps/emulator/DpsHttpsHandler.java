package io.dpstwin.testkit.dps.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * DPS's device API over HTTPS (https://learn.microsoft.com/rest/api/iot-dps/device/runtime-registration):
 * {@code PUT /{idScope}/registrations/{registrationId}/register},
 * {@code GET /{idScope}/registrations/{registrationId}/operations/{operationId}} and the status lookup
 * {@code POST /{idScope}/registrations/{registrationId}}, authenticated by the {@code Authorization} SAS token.
 * Every answer is JSON ({@code Content-Type: application/json; charset=utf-8}; the Node client reads bodies only
 * then), with {@code Retry-After} while assigning and {@code x-ms-error-code} on errors.
 */
final class DpsHttpsHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DpsHttpsHandler.class);

    private final DpsEngine engine;

    DpsHttpsHandler(DpsEngine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            DpsReply reply;
            try {
                reply = route(exchange);
            } catch (RuntimeException e) {
                LOG.warn("DPS emulator: {} {} failed: {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e.toString());
                reply = DpsReply.error(500, 500000, "Internal error of the DPS emulator");
            }
            byte[] body = reply.body().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (reply.retryAfterSeconds() > 0) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(reply.retryAfterSeconds()));
            }
            if (reply.status() >= 400 && reply.body().has("errorCode")) {
                exchange.getResponseHeaders().set("x-ms-error-code", reply.body().get("errorCode").asText());
            }
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private DpsReply route(HttpExchange exchange) throws IOException {
        String[] segments = exchange.getRequestURI().getRawPath().split("/");
        // "", idScope, "registrations", registrationId[, "register" | "operations", operationId]
        if (segments.length < 4 || !"registrations".equals(segments[2])) {
            return DpsReply.error(404, 404001, "Resource not found");
        }
        String registrationId = decode(segments[3]);
        String token = exchange.getRequestHeaders().getFirst("Authorization");
        String method = exchange.getRequestMethod();
        byte[] body = read(exchange.getRequestBody());
        if (segments.length == 5 && "register".equals(segments[4])) {
            return "PUT".equals(method) ? engine.register(registrationId, token, body) : methodNotAllowed();
        }
        if (segments.length == 6 && "operations".equals(segments[4])) {
            return "GET".equals(method)
                    ? engine.operationStatus(registrationId, token, decode(segments[5])) : methodNotAllowed();
        }
        if (segments.length == 4) {
            return "POST".equals(method) ? engine.registrationStatus(registrationId, token) : methodNotAllowed();
        }
        return DpsReply.error(404, 404001, "Resource not found");
    }

    private static DpsReply methodNotAllowed() {
        return DpsReply.error(405, 405000, "Method not allowed");
    }

    private static byte[] read(InputStream in) throws IOException {
        // one byte over the limit is enough to refuse the body; the rest is never buffered
        return in.readNBytes(DpsEngine.MAX_MESSAGE_BYTES + 1);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
