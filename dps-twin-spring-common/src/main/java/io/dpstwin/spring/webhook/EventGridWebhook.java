package io.dpstwin.spring.webhook;

import io.dpstwin.core.WebhookErrorCodes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.lifecycle.ParsedEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The Event Grid webhook for IoT Hub device lifecycle events, in the Event Grid schema or as CloudEvents 1.0 (single
 * or batched):
 * <ul>
 *   <li>Event Grid schema validation: a {@code POST} with {@code aeg-event-type: SubscriptionValidation} is
 *       answered 200 {@code {"validationResponse": "<validationCode>"}};</li>
 *   <li>CloudEvents abuse protection: an {@code OPTIONS} with {@code WebHook-Request-Origin} is answered 200 with
 *       {@code WebHook-Allowed-Origin} (and {@code WebHook-Allowed-Rate: *});</li>
 *   <li>events: parsed by the core and applied by the {@link LifecycleProcessor}; 200 when every event settled
 *       (retired, skipped, dead-lettered...), 503 when some {@code FAILED} so that Event Grid redelivers the batch
 *       (replays are harmless), 400 for a body that is not a JSON event or array of events (Event Grid does not
 *       retry 400, 401, 403 or 413).</li>
 * </ul>
 * A body may start with a UTF-8 byte order mark; events of other publishers (such as the storage event the Azure
 * portal's test sends) are read and skipped as not lifecycle events.
 * The function key is checked first (401) and the body is read up to the configured limit only (413).
 */
public final class EventGridWebhook extends KeyedWebhook {

    static final String ENDPOINT = "lifecycle";
    /** The header naming the kind of an Event Grid delivery. */
    public static final String EVENT_TYPE_HEADER = "aeg-event-type";
    /** The CloudEvents abuse-protection request header. */
    public static final String REQUEST_ORIGIN_HEADER = "WebHook-Request-Origin";
    /** The CloudEvents abuse-protection answer header. */
    public static final String ALLOWED_ORIGIN_HEADER = "WebHook-Allowed-Origin";
    private static final String ALLOWED_METHODS = "POST, OPTIONS";
    private static final Logger LOG = LoggerFactory.getLogger(EventGridWebhook.class);

    private final LifecycleProcessor processor;
    private final EventGridLifecycleParser parser;
    private final int maxBodyBytes;

    public EventGridWebhook(LifecycleProcessor processor, WebhookKeys keys, WebhookMetrics metrics, int maxBodyBytes) {
        super(ENDPOINT, keys, metrics, 500, "the events could not be processed; Event Grid redelivers them");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.processor = Objects.requireNonNull(processor, "processor");
        this.parser = new EventGridLifecycleParser(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    ServerResponse answer(ServerRequest request, HttpServletRequest servlet) {
        if (HttpMethod.OPTIONS.equals(request.method())) {
            return handshake(servlet);
        }
        if (!HttpMethod.POST.equals(request.method())) {
            return WebhookAnswers.methodNotAllowed(ALLOWED_METHODS);
        }
        String body;
        try {
            body = utf8(BoundedBody.read(servlet, maxBodyBytes));
        } catch (BoundedBody.TooLargeException e) {
            LOG.warn("Lifecycle delivery refused: body larger than {} bytes (413)", maxBodyBytes);
            return WebhookAnswers.tooLarge(maxBodyBytes);
        } catch (CharacterCodingException e) {
            return WebhookAnswers.error(400, WebhookErrorCodes.MALFORMED_JSON, "the body is not UTF-8 text");
        } catch (IOException e) {
            return WebhookAnswers.error(400, WebhookErrorCodes.UNREADABLE_BODY, "the request body could not be read");
        }
        String envelopeProblem = envelopeProblem(body);
        if (envelopeProblem != null) {
            LOG.warn("Lifecycle delivery refused: {} (400)", envelopeProblem);
            return WebhookAnswers.error(400, WebhookErrorCodes.MALFORMED_JSON, envelopeProblem);
        }
        String deliveryType = servlet.getHeader(EVENT_TYPE_HEADER);
        var validationCode = parser.subscriptionValidationCode(body);
        if (validationCode.isPresent()) {
            LOG.info("Answered the Event Grid subscription validation handshake");
            ObjectNode answer = WebhookAnswers.JSON.createObjectNode();
            answer.put("validationResponse", validationCode.get());
            return WebhookAnswers.json(200, answer);
        }
        if ("SubscriptionValidation".equalsIgnoreCase(deliveryType)) {
            return WebhookAnswers.error(400, WebhookErrorCodes.INVALID_VALIDATION_REQUEST,
                    "aeg-event-type is SubscriptionValidation but the body holds no data.validationCode");
        }
        List<ParsedEvent> events = isCloudEvents(servlet.getContentType())
                ? parser.parseCloudEvents(body)
                : parser.parse(body);
        if (events.isEmpty()) {
            return summary(new BatchResult(List.of()));
        }
        BatchResult result;
        try {
            result = processor.process(events);
        } catch (IllegalStateException closed) {
            return WebhookAnswers.error(503, WebhookErrorCodes.SHUTTING_DOWN, "the application is shutting down; Event Grid redelivers");
        }
        if (!result.allSettled()) {
            LOG.warn("Lifecycle delivery not settled ({}); answering 503 so that Event Grid redelivers it",
                    result.summary());
            return WebhookAnswers.error(503, WebhookErrorCodes.EVENTS_NOT_SETTLED, result.failed().size() + " of " + result.size()
                    + " events could not be settled; Event Grid redelivers the delivery (replays are harmless)");
        }
        LOG.debug("Lifecycle delivery settled: {}", result.summary());
        return summary(result);
    }

    private static ServerResponse handshake(HttpServletRequest servlet) {
        String origin = servlet.getHeader(REQUEST_ORIGIN_HEADER);
        if (origin == null || origin.isBlank()) {
            return ServerResponse.ok().header("Allow", ALLOWED_METHODS).build();
        }
        LOG.info("Answered the CloudEvents abuse-protection handshake");
        return ServerResponse.ok()
                .header(ALLOWED_ORIGIN_HEADER, origin.trim())
                .header("WebHook-Allowed-Rate", "*")
                .header("Allow", ALLOWED_METHODS)
                .build();
    }

    private static ServerResponse summary(BatchResult result) {
        ObjectNode body = WebhookAnswers.JSON.createObjectNode();
        body.put("events", result.size());
        ObjectNode outcomes = body.putObject("outcomes");
        result.countsByOutcome().forEach((outcome, count) -> outcomes.put(outcome.tagValue(), count));
        return WebhookAnswers.json(200, body);
    }

    /** Why the body is not a JSON event or array of events, or {@code null} when it is one. */
    private static String envelopeProblem(String body) {
        if (body.isBlank()) {
            return "the body is empty; expected an event or an array of events";
        }
        try {
            JsonNode root = WebhookAnswers.JSON.readTree(body);
            if (root == null || !(root.isArray() || root.isObject())) {
                return "the body is not a JSON object or array; expected an event or an array of events";
            }
            return null;
        } catch (JsonProcessingException e) {
            return "the body is not valid JSON";
        }
    }

    private static boolean isCloudEvents(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
    }

    /** Strict UTF-8, without a leading byte order mark (RFC 8259 lets a parser ignore one). */
    private static String utf8(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
