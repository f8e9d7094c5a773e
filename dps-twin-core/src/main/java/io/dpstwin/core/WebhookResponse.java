package io.dpstwin.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.support.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A host-neutral HTTP answer produced by a core entry point: status, JSON body and extra headers (for example
 * {@code Retry-After}). Adapters copy it to their framework's response unchanged, so every host answers alike.
 *
 * <p>Every error answer, from core or from an adapter, is made by {@link #error}: the body is
 * {@code {"error":{"code":"...","message":"...","correlationId":"..."}}}, the codes are those of
 * {@link io.dpstwin.core.allocation.AllocationErrorCodes} and {@link WebhookErrorCodes}.
 *
 * @param status  the HTTP status code
 * @param body    the JSON body, never {@code null}
 * @param headers extra headers besides {@code Content-Type: application/json}, unmodifiable
 */
public record WebhookResponse(int status, String body, Map<String, String> headers) {

    /** The content type of every body. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    public WebhookResponse {
        Objects.requireNonNull(body, "body");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public WebhookResponse(int status, String body) {
        this(status, body, Map.of());
    }

    /** An error answer with a fresh correlation id and no extra headers. */
    public static WebhookResponse error(int status, String code, String message) {
        return error(status, code, message, Map.of());
    }

    /** An error answer with a fresh correlation id. */
    public static WebhookResponse error(int status, String code, String message, Map<String, String> headers) {
        return error(status, code, message, headers, UUID.randomUUID().toString());
    }

    /**
     * An error answer: {@code {"error":{"code":code,"message":message,"correlationId":correlationId}}}.
     *
     * @param correlationId the id that is also in the log line about this answer
     */
    public static WebhookResponse error(int status, String code, String message, Map<String, String> headers,
                                        String correlationId) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(correlationId, "correlationId");
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("correlationId", correlationId);
        return new WebhookResponse(status, root.toString(), headers);
    }
}
