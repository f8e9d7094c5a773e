package io.dpstwin.core.retirement;

/** An IoT Hub registry could not say whether a device exists. Never carries credentials. */
public class DeviceRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String hubHostName;
    private final boolean transientFailure;

    /**
     * @param hubHostName      the hub that failed
     * @param transientFailure whether asking again later can succeed (throttling, 5xx, I/O)
     * @param message          what went wrong, without secrets
     * @param cause            the underlying exception, or {@code null}
     */
    public DeviceRegistryException(String hubHostName, boolean transientFailure, String message, Throwable cause) {
        super(message, cause);
        this.hubHostName = hubHostName;
        this.transientFailure = transientFailure;
    }

    public String hubHostName() {
        return hubHostName;
    }

    /** Whether asking again later can succeed. */
    public boolean isTransient() {
        return transientFailure;
    }
}
