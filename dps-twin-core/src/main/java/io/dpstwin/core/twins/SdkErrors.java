package io.dpstwin.core.twins;

import io.dpstwin.core.support.Json;
import io.dpstwin.core.support.Text;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the Azure SDK throws into {@link AdtException}: the HTTP status, {@code error.code} and
 * {@code error.message} of an ADT answer (parsed from the buffered body, so that it also works for bodies that are
 * not ADT error documents), the {@code Retry-After} delay, and status 0 for requests that got no answer. Messages are
 * built from the service's {@code error.message} or the transport failure only; request headers (and with them the
 * bearer token) never reach them.
 */
final class SdkErrors {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAX_BODY_SNIPPET = 200;
    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.RETRY_AFTER_MS;
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.X_MS_RETRY_AFTER_MS;
    private static final HttpHeaderName RETRY_AFTER = HttpHeaderName.RETRY_AFTER;

    private SdkErrors() {
    }

    /**
     * Maps {@code failure} thrown by an SDK call of {@code operation} to an {@link AdtException}; returns
     * {@code failure} itself when it is neither an HTTP answer nor a transport failure (a programming error such as
     * an {@link IllegalArgumentException} stays what it is).
     */
    static RuntimeException map(String operation, RuntimeException failure, Clock clock) {
        if (failure instanceof AdtException) {
            return failure;
        }
        HttpResponseException httpFailure = find(failure, HttpResponseException.class);
        if (httpFailure != null && httpFailure.getResponse() != null) {
            return fromResponse(operation, httpFailure.getResponse(), failure, clock);
        }
        Throwable timeout = findTimeout(failure);
        if (timeout != null) {
            return new AdtException(0, AdtErrorCodes.TIMEOUT,
                    operation + ": no answer from Azure Digital Twins in time (" + describe(timeout) + ")",
                    null, failure);
        }
        Throwable io = findTransport(failure);
        if (io != null) {
            return new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR,
                    operation + ": no answer from Azure Digital Twins (" + describe(io) + ")", null, failure);
        }
        if (httpFailure != null) {
            // An HttpResponseException without a response: azure-core and azure-identity use it for failures to
            // obtain a token (ClientAuthenticationException). Nothing reached ADT; trying again later may help.
            return new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR,
                    operation + ": request not sent to Azure Digital Twins (" + describe(httpFailure) + ")",
                    null, failure);
        }
        return failure;
    }

    static AdtException fromResponse(String operation, HttpResponse response, Throwable cause, Clock clock) {
        int status = response.getStatusCode();
        String body = readBody(response);
        String code = null;
        String message = null;
        List<String> details = new ArrayList<>();
        if (body != null && !body.isBlank()) {
            try {
                JsonNode error = JSON.readTree(body).path("error");
                code = textOrNull(error.path("code"));
                message = textOrNull(error.path("message"));
                for (JsonNode detail : error.path("details")) {
                    String detailMessage = textOrNull(detail.path("message"));
                    if (detailMessage != null) {
                        details.add(detailMessage);
                    }
                }
            } catch (IOException | RuntimeException notJson) {
                // Not an ADT error document (a proxy's HTML page, plain text): keep a snippet as the message.
                message = null;
            }
        }
        if (code == null) {
            code = switch (status) {
                case 429 -> AdtErrorCodes.TOO_MANY_REQUESTS;
                case 503 -> AdtErrorCodes.SERVICE_UNAVAILABLE;
                default -> AdtErrorCodes.UNKNOWN;
            };
        }
        if (message == null) {
            message = body == null || body.isBlank()
                    ? operation + ": Azure Digital Twins answered HTTP " + status + " without an error body"
                    : operation + ": Azure Digital Twins answered HTTP " + status + ": " + snippet(body);
        } else if (!details.isEmpty()) {
            message = message + " (" + String.join("; ", details) + ")";
        }
        return new AdtException(status, code, message, retryAfter(response.getHeaders(), clock).orElse(null), cause);
    }

    /**
     * The delay asked for by {@code retry-after-ms}, {@code x-ms-retry-after-ms} (milliseconds) or
     * {@code Retry-After} (seconds or an HTTP date), in that order, as azure-core reads them.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        if (headers == null) {
            return Optional.empty();
        }
        for (HttpHeaderName millisHeader : List.of(RETRY_AFTER_MS, X_MS_RETRY_AFTER_MS)) {
            String value = headers.getValue(millisHeader);
            if (value != null) {
                try {
                    long millis = Long.parseLong(value.trim());
                    if (millis >= 0) {
                        return Optional.of(Duration.ofMillis(millis));
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the next header
                }
            }
        }
        String value = headers.getValue(RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(clock.instant(), at);
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String readBody(HttpResponse response) {
        try {
            return response.getBodyAsString().block();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String snippet(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return Text.clip(flat, MAX_BODY_SNIPPET);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + message;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t : causes(failure)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable findTimeout(Throwable failure) {
        for (Throwable t : causes(failure)) {
            // java.util.concurrent.TimeoutException (Mono#timeout, azure-core's response timeout),
            // SocketTimeoutException, java.net.http.HttpTimeoutException and netty's ReadTimeoutException,
            // WriteTimeoutException and ConnectTimeoutException all end with "TimeoutException".
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t.getClass().getSimpleName().endsWith("TimeoutException")) {
                return t;
            }
        }
        return null;
    }

    private static Throwable findTransport(Throwable failure) {
        for (Throwable t : causes(failure)) {
            // IOException covers ConnectException, SSLHandshakeException, reactor-netty's PrematureCloseException
            // and "Connection reset by peer".
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return t;
            }
        }
        return null;
    }

    /** {@code failure} and its causes, outermost first, without looping on cyclic cause chains. */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
