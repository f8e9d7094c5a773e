package io.dpstwin.spring.webhook;

import io.dpstwin.core.WebhookErrorCodes;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import java.io.IOException;
import java.util.Objects;

/**
 * The DPS custom allocation webhook: {@code POST} with the allocation request, answered with the core's
 * {@link WebhookResponse} verbatim (200 allocation, 400 rejection, 413, 429/503 so that DPS retries). Before the core
 * sees anything, the function key is checked (401) and the body is read up to the allocation's
 * {@code maxBodyBytes} only (413). Every answer is JSON; nothing escapes as a stack trace.
 */
public final class AllocationWebhook extends KeyedWebhook {

    static final String ENDPOINT = "allocation";
    private static final Logger LOG = LoggerFactory.getLogger(AllocationWebhook.class);

    private final DpsAllocationHandler handler;

    public AllocationWebhook(DpsAllocationHandler handler, WebhookKeys keys, WebhookMetrics metrics) {
        super(ENDPOINT, keys, metrics, 503, "the allocation failed unexpectedly; DPS retries it");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    ServerResponse answer(ServerRequest request, HttpServletRequest servlet) {
        if (!HttpMethod.POST.equals(request.method())) {
            return WebhookAnswers.methodNotAllowed("POST");
        }
        int limit = handler.options().maxBodyBytes();
        byte[] body;
        try {
            body = BoundedBody.read(servlet, limit);
        } catch (BoundedBody.TooLargeException e) {
            LOG.warn("Allocation request refused: body larger than {} bytes (413)", limit);
            return WebhookAnswers.tooLarge(limit);
        } catch (IOException e) {
            return WebhookAnswers.error(400, WebhookErrorCodes.UNREADABLE_BODY, "the request body could not be read");
        }
        return WebhookAnswers.verbatim(handler.handle(body));
    }
}
