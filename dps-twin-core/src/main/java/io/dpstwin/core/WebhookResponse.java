package io.dpstwin.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A host-neutral HTTP answer produced by a core entry point: status, JSON body and extra headers (for example
 * {@code Retry-After}). Adapters copy it to their framework's response unchanged, so every host answers alike.
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
}
