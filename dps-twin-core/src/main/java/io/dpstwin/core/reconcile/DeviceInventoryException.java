package io.dpstwin.core.reconcile;

import java.time.Duration;
import java.util.Optional;

/** A hub could not list its devices. Never carries credentials. */
public class DeviceInventoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String hubHostName;
    private final int statusCode;
    private final boolean transientFailure;
    private final transient Duration retryAfter;

    /**
     * @param hubHostName      the hub that failed
     * @param statusCode       the HTTP status the hub answered, or 0 when unknown or no answer arrived
     * @param transientFailure whether asking again later can succeed (throttling, 5xx, I/O)
     * @param retryAfter       the delay the hub asked for, or {@code null}
     * @param message          what went wrong, without secrets
     * @param cause            the underlying exception, or {@code null}
     */
    public DeviceInventoryException(String hubHostName, int statusCode, boolean transientFailure, Duration retryAfter,
                                    String message, Throwable cause) {
        super(message, cause);
        this.hubHostName = hubHostName;
        this.statusCode = statusCode;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    /** A 429 from {@code hubHostName}, optionally with the delay it asked for. */
    public static DeviceInventoryException throttled(String hubHostName, Duration retryAfter) {
        return new DeviceInventoryException(hubHostName, 429, true, retryAfter,
                "IoT hub '" + hubHostName + "' throttled the device query (429)", null);
    }

    public String hubHostName() {
        return hubHostName;
    }

    /** The HTTP status, or 0 when unknown. */
    public int statusCode() {
        return statusCode;
    }

    /** Whether asking again later can succeed. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Whether the hub throttled the request (429). */
    public boolean isThrottled() {
        return statusCode == 429;
    }

    /** The delay the hub asked for, if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
