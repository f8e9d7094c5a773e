package io.dpstwin.spring.webhook;

import io.dpstwin.core.support.Json;
import io.dpstwin.core.WebhookErrorCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the webhooks' HTTP answers: every body is JSON, errors share the core's {@code {"error":{...}}} shape. */
final class WebhookAnswers {

    /** The starter's one JSON mapper: core's ({@link Json#MAPPER}). */
    static final ObjectMapper JSON = Json.MAPPER;
    static final MediaType JSON_UTF8 = MediaType.parseMediaType(WebhookResponse.CONTENT_TYPE);

    private WebhookAnswers() {
    }

    /** A core answer, copied verbatim: status, body and extra headers. */
    static ServerResponse verbatim(WebhookResponse answer) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(answer.status()).contentType(JSON_UTF8);
        answer.headers().forEach(builder::header);
        return builder.body(answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error":{"code":..,"message":..,"correlationId":..}}} with {@code status}. */
    static ServerResponse error(int status, String code, String message) {
        return error(status, code, message, Map.of());
    }

    static ServerResponse error(int status, String code, String message, Map<String, String> headers) {
        return verbatim(WebhookResponse.error(status, code, message, headers));
    }

    static ServerResponse json(int status, ObjectNode body) {
        return verbatim(new WebhookResponse(status, body.toString()));
    }

    static ServerResponse unauthorized() {
        return error(401, WebhookErrorCodes.UNAUTHORIZED, "a valid function key is required: query parameter 'code' or header '"
                + WebhookKeys.HEADER + "'");
    }

    static ServerResponse methodNotAllowed(String allowed) {
        return error(405, WebhookErrorCodes.METHOD_NOT_ALLOWED, "this endpoint accepts " + allowed, Map.of("Allow", allowed));
    }

    static ServerResponse tooLarge(long limit) {
        return error(413, WebhookErrorCodes.BODY_TOO_LARGE, "the request body exceeds " + limit + " bytes");
    }
}
