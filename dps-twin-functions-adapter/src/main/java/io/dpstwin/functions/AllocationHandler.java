package io.dpstwin.functions;

import io.dpstwin.core.WebhookErrorCodes;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The DPS custom allocation webhook on an HTTP trigger: hands the request body to core's
 * {@link io.dpstwin.core.allocation.DpsAllocationHandler} and copies its answer (status, JSON body,
 * {@code Content-Type: application/json; charset=utf-8}, extra headers such as {@code Retry-After}) into the
 * Functions response. Holds no logic of its own:
 *
 * <pre>{@code
 * @FunctionName("DpsAdtAllocationFunc")
 * public HttpResponseMessage run(
 *         @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION)
 *         HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
 *     return DpsTwinFunctions.allocation().handle(request, context);
 * }
 * }</pre>
 *
 * <p>When dps-twin cannot be built (a missing or invalid app setting), the answer is 503 with a generic message and
 * a correlation id ({@link WebhookErrorCodes#SERVICE_UNAVAILABLE}), so that DPS retries; the reason, naming the setting, goes to the invocation's log. A request
 * other than POST gets 405. Never throws for a request; thread-safe.
 */
public final class AllocationHandler {

    private final Supplier<DpsTwin> dpsTwin;

    /** @param dpsTwin the process's instance, e.g. a {@link LazyDpsTwin} */
    public AllocationHandler(Supplier<DpsTwin> dpsTwin) {
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
    }

    /**
     * Answers one allocation request.
     *
     * @param request the HTTP trigger's request; its body is the allocation request DPS posted
     * @param context the invocation's context, for its logger ({@code null} logs to SLF4J)
     */
    public HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
        Objects.requireNonNull(request, "request");
        if (request.getHttpMethod() != null && request.getHttpMethod() != HttpMethod.POST) {
            InvocationLog.warning(context, "DPS allocation webhook called with " + request.getHttpMethod()
                    + "; only POST is accepted: answered 405");
            return respond(request, WebhookResponse.error(405, WebhookErrorCodes.METHOD_NOT_ALLOWED,
                    "the DPS custom allocation webhook accepts POST only", Map.of("Allow", "POST")));
        }
        DpsTwin ready;
        try {
            ready = dpsTwin.get();
        } catch (RuntimeException e) {
            String correlationId = UUID.randomUUID().toString();
            InvocationLog.severe(context, "DPS allocation answered 503: dps-twin is not available [correlationId="
                    + correlationId + "]: " + InvocationLog.describe(e));
            return respond(request, WebhookResponse.error(503, WebhookErrorCodes.SERVICE_UNAVAILABLE,
                    "the allocation service is not available; DPS retries the registration (correlation id "
                            + correlationId + ")", Map.of(), correlationId));
        }
        Optional<String> body = request.getBody();
        WebhookResponse answer = ready.allocation().handle(body == null ? null : body.orElse(null));
        InvocationLog.info(context, "DPS allocation answered " + answer.status());
        return respond(request, answer);
    }

    /** Copies a core answer into a Functions response. */
    static HttpResponseMessage respond(HttpRequestMessage<?> request, WebhookResponse answer) {
        HttpResponseMessage.Builder builder = request.createResponseBuilder(statusOf(answer.status()))
                .header("Content-Type", WebhookResponse.CONTENT_TYPE);
        answer.headers().forEach(builder::header);
        return builder.body(answer.body()).build();
    }

    /** The named status when Functions has one, else a custom status. */
    static HttpStatusType statusOf(int code) {
        for (HttpStatus status : HttpStatus.values()) {
            if (status.value() == code) {
                return status;
            }
        }
        return HttpStatusType.custom(code);
    }
}
