package io.dpstwin.core.internal.twins;

import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;

import java.time.Duration;

/**
 * A 429 {@link AdtErrorCodes#TOO_MANY_REQUESTS} of dps-twin's own client-side limiter: the request never reached
 * ADT. It is transient: {@link RetryingDigitalTwinsGateway} tries again within the call's budget, after the budget's
 * backoff, and a caller whose budget ran out answers it like any 429. It never counts as the service's throttling.
 */
public final class ClientSideThrottleException extends AdtException {

    private static final long serialVersionUID = 1L;

    public ClientSideThrottleException(String message, Duration retryAfter) {
        super(429, AdtErrorCodes.TOO_MANY_REQUESTS, message, retryAfter, null);
    }
}
