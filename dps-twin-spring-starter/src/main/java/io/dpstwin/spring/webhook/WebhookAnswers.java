package io.dpstwin.spring.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Builds the webhooks' HTTP answers: every body is JSON, errors share the core's {@code {"error":{...}}} shape. */
final class WebhookAnswers {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
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
        return verbatim(new WebhookResponse(status, errorBody(code, message), headers));
    }

    static String errorBody(String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("correlationId", UUID.randomUUID().toString());
        return root.toString();
    }

    static ServerResponse json(int status, ObjectNode body) {
        return verbatim(new WebhookResponse(status, body.toString()));
    }

    static ServerResponse unauthorized() {
        return error(401, "Unauthorized", "a valid function key is required: query parameter 'code' or header '"
                + WebhookKeys.HEADER + "'");
    }

    static ServerResponse methodNotAllowed(String allowed) {
        return error(405, "MethodNotAllowed", "this endpoint accepts " + allowed, Map.of("Allow", allowed));
    }

    static ServerResponse tooLarge(long limit) {
        return error(413, "BodyTooLarge", "the request body exceeds " + limit + " bytes");
    }
}
