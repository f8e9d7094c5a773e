package io.dpstwin.core;

import io.dpstwin.core.allocation.AllocationErrorCodes;

/**
 * The {@code error.code} values hosts answer before or around a core entry point (the allocation's own codes are
 * in {@link AllocationErrorCodes}). Build the answer with {@link WebhookResponse#error}.
 */
public final class WebhookErrorCodes {

    /** 400: the request body could not be read. */
    public static final String UNREADABLE_BODY = "UnreadableBody";
    /** 400: the body is not JSON, or not UTF-8 text. */
    public static final String MALFORMED_JSON = AllocationErrorCodes.MALFORMED_JSON;
    /** 400: an Event Grid subscription validation request without a usable validation code. */
    public static final String INVALID_VALIDATION_REQUEST = "InvalidValidationRequest";
    /** 401: no valid function key. */
    public static final String UNAUTHORIZED = "Unauthorized";
    /** 403: repairing through the reconcile endpoint is switched off. */
    public static final String APPLY_NOT_ALLOWED = "ApplyNotAllowed";
    /** 405: a method the endpoint does not accept; the answer carries {@code Allow}. */
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    /** 409: a reconcile run is already in progress. */
    public static final String RECONCILE_IN_PROGRESS = "ReconcileInProgress";
    /** 409: another instance holds the reconcile lock. */
    public static final String RECONCILE_LOCKED = "ReconcileLocked";
    /** 503: it could not be told whether the reconcile lock is free. */
    public static final String RECONCILE_LOCK_UNAVAILABLE = "ReconcileLockUnavailable";
    /** 413: the body is larger than the endpoint accepts. */
    public static final String BODY_TOO_LARGE = AllocationErrorCodes.BODY_TOO_LARGE;
    /** 500 or 503: an unexpected failure; the answer carries a correlation id that is also logged. */
    public static final String INTERNAL_ERROR = AllocationErrorCodes.INTERNAL_ERROR;
    /** 503: dps-twin could not be built (a missing or invalid setting); the sender retries. */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    /** 503: the application is shutting down; the sender redelivers. */
    public static final String SHUTTING_DOWN = "ShuttingDown";
    /** 503: some events of the batch have no final outcome yet; the sender redelivers. */
    public static final String EVENTS_NOT_SETTLED = "EventsNotSettled";

    private WebhookErrorCodes() {
    }
}
