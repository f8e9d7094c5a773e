package io.dpstwin.spring.webhook;

import io.dpstwin.core.WebhookErrorCodes;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.util.Objects;

/**
 * What every webhook does around its own answer: refuses a call without a valid function key (401), answers an
 * unexpected failure (a bug) with JSON instead of a stack trace, and counts every answer in {@link WebhookMetrics}.
 */
abstract class KeyedWebhook implements HandlerFunction<ServerResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedWebhook.class);

    private final String endpoint;
    private final WebhookKeys keys;
    private final WebhookMetrics metrics;
    private final int failureStatus;
    private final String failureMessage;

    /**
     * @param endpoint       the {@code endpoint} tag of the answers' count and the webhook's name in logs
     * @param failureStatus  the status of the answer to an unexpected failure
     * @param failureMessage its message
     */
    KeyedWebhook(String endpoint, WebhookKeys keys, WebhookMetrics metrics, int failureStatus, String failureMessage) {
        this.endpoint = endpoint;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.failureStatus = failureStatus;
        this.failureMessage = failureMessage;
    }

    @Override
    public final ServerResponse handle(ServerRequest request) {
        ServerResponse answer;
        try {
            answer = keyed(request);
        } catch (RuntimeException | Error e) {
            LOG.error("The {} webhook failed unexpectedly ({} answered)", endpoint, failureStatus, e);
            answer = WebhookAnswers.error(failureStatus, WebhookErrorCodes.INTERNAL_ERROR, failureMessage);
        }
        metrics.record(endpoint, answer.statusCode().value());
        return answer;
    }

    private ServerResponse keyed(ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        if (!keys.accepts(servlet)) {
            LOG.warn("The {} webhook refused a call without a valid function key (401)", endpoint);
            return WebhookAnswers.unauthorized();
        }
        return answer(request, servlet);
    }

    /** The answer to a call with a valid function key. */
    abstract ServerResponse answer(ServerRequest request, HttpServletRequest servlet);
}
