package io.dpstwin.core.twins;

import java.util.Objects;

/**
 * Derives the digital twin id of a device from its IoT Hub device id. The provision flow passes the device id
 * DPS will register (the registration id for enrollment groups; the enrollment's {@code deviceId}, else the
 * registration id, for individual enrollments); the retire flow passes the {@code deviceId} of the lifecycle
 * event. Both flows must use the same strategy so that they name the same twin.
 */
@FunctionalInterface
public interface TwinIdStrategy {

    /** The twin id for a device; never {@code null} or empty. */
    String twinIdFor(String deviceId);

    /**
     * The reference behaviour and the default: the twin id is the device id (= registration id). Always the same
     * instance, so options can tell the default from a strategy of the user's.
     */
    static TwinIdStrategy deviceId() {
        return DeviceIdStrategy.INSTANCE;
    }

    /** The twin id is {@code prefix + deviceId}, e.g. {@code "device-"}. */
    static TwinIdStrategy prefixed(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return deviceId -> prefix + deviceId;
    }
}

/** The default {@link TwinIdStrategy}: one instance. */
enum DeviceIdStrategy implements TwinIdStrategy {
    INSTANCE;

    @Override
    public String twinIdFor(String deviceId) {
        return deviceId;
    }

    @Override
    public String toString() {
        return "TwinIdStrategy.deviceId()";
    }
}
