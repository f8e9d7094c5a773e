package io.dpstwin.core.twins;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed ADT operation: the HTTP status and {@code error.code} the service answered (see {@link AdtErrorCodes}),
 * or status {@code 0} with {@link AdtErrorCodes#TRANSPORT_ERROR}/{@link AdtErrorCodes#TIMEOUT} when no answer
 * arrived. {@link #isTransient()} tells whether trying again later can succeed.
 */
public class AdtException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String errorCode;
    private final transient Duration retryAfter;

    /**
     * @param statusCode HTTP status, or 0 when no answer arrived
     * @param errorCode  the service's {@code error.code}, or one of dps-twin's codes
     * @param message    a human-readable message (the service's {@code error.message} when there is one)
     * @param retryAfter the delay the service asked for ({@code Retry-After}), or {@code null}
     * @param cause      the underlying exception, or {@code null}
     */
    public AdtException(int statusCode, String errorCode, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.errorCode = errorCode == null ? AdtErrorCodes.UNKNOWN : errorCode;
        this.retryAfter = retryAfter;
    }

    public AdtException(int statusCode, String errorCode, String message) {
        this(statusCode, errorCode, message, null, null);
    }

    /** The HTTP status, or 0 when the request got no answer. */
    public int statusCode() {
        return statusCode;
    }

    /** The ADT {@code error.code} (e.g. {@code DigitalTwinNotFound}) or a dps-twin code; never {@code null}. */
    public String errorCode() {
        return errorCode;
    }

    /** The delay the service asked for with {@code Retry-After}, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether trying again later can succeed: throttling (429), 408, 5xx other than 501/505, no answer. */
    public boolean isTransient() {
        return statusCode == 0 || statusCode == 408 || statusCode == 429
                || (statusCode >= 500 && statusCode != 501 && statusCode != 505);
    }

    public boolean isNotFound() {
        return statusCode == 404;
    }

    public boolean isPreconditionFailed() {
        return statusCode == 412;
    }

    /** Whether this is ADT refusing to delete a twin that still has relationships. */
    public boolean isRelationshipsNotDeleted() {
        return AdtErrorCodes.RELATIONSHIPS_NOT_DELETED.equals(errorCode);
    }

    /** Whether a relationship create failed because its target twin does not exist (either spelling). */
    public boolean isTargetTwinNotFound() {
        return AdtErrorCodes.TARGET_DIGITAL_TWIN_NOT_FOUND.equals(errorCode)
                || AdtErrorCodes.TARGET_TWIN_NOT_FOUND.equals(errorCode);
    }

    /**
     * Whether a model upload failed because a model of that id exists: 409 with {@code ModelAlreadyExists} (the REST
     * reference) or {@code ModelIdAlreadyExists} (Learn's CLI tutorial).
     */
    public boolean isModelAlreadyExists() {
        return statusCode == 409 && (AdtErrorCodes.MODEL_ALREADY_EXISTS.equals(errorCode)
                || AdtErrorCodes.MODEL_ID_ALREADY_EXISTS.equals(errorCode));
    }

    /** Whether the service throttled the request. */
    public boolean isThrottled() {
        return statusCode == 429;
    }
}
