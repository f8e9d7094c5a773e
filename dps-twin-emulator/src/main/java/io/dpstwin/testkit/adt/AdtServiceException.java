package io.dpstwin.testkit.adt;

import io.dpstwin.core.twins.AdtException;

import java.time.Duration;
import java.util.List;

/**
 * An error answer of the emulated ADT service: status, {@code error.code}, {@code error.message} and, for
 * {@code ValidationFailed}, the {@code error.details} messages. The in-memory fake throws it as it is; the HTTPS
 * emulator writes it as {@code {"error":{"code","message","details"}}}.
 */
public class AdtServiceException extends AdtException {

    private static final long serialVersionUID = 1L;

    private final String serviceMessage;
    private final List<String> details;

    public AdtServiceException(int statusCode, String errorCode, String message) {
        this(statusCode, errorCode, message, List.of(), null);
    }

    public AdtServiceException(int statusCode, String errorCode, String message, List<String> details,
                               Duration retryAfter) {
        super(statusCode, errorCode, details == null || details.isEmpty() ? message
                : message + ": " + String.join(" ", details), retryAfter, null);
        this.serviceMessage = message;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    /** The {@code error.message} of the answer (without the details). */
    public String serviceMessage() {
        return serviceMessage;
    }

    /** The messages of {@code error.details}, empty when there are none. */
    public List<String> details() {
        return details;
    }
}
