package io.dpstwin.core.twins;

import java.util.Objects;
import java.util.Optional;

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
     * The device id a twin id was derived from, when the strategy can tell (the default cannot). The reconciler asks
     * the registry guard about this device before it retires an orphaned twin; the built-in strategies answer.
     */
    default Optional<String> deviceIdOf(String twinId) {
        return Optional.empty();
    }

    /**
     * The reference behaviour and the default: the twin id is the device id (= registration id). Always the same
     * instance, so options can tell the default from a strategy of the user's.
     */
    static TwinIdStrategy deviceId() {
        return DeviceIdStrategy.INSTANCE;
    }

    /** The twin id is {@code prefix + deviceId}, e.g. {@code "device-"}. */
    static TwinIdStrategy prefixed(String prefix) {
        return new PrefixedStrategy(Objects.requireNonNull(prefix, "prefix"));
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
    public Optional<String> deviceIdOf(String twinId) {
        return Optional.of(twinId);
    }

    @Override
    public String toString() {
        return "TwinIdStrategy.deviceId()";
    }
}

/** {@link TwinIdStrategy#prefixed(String)}. */
record PrefixedStrategy(String prefix) implements TwinIdStrategy {

    @Override
    public String twinIdFor(String deviceId) {
        return prefix + deviceId;
    }

    @Override
    public Optional<String> deviceIdOf(String twinId) {
        return twinId.startsWith(prefix) && twinId.length() > prefix.length()
                ? Optional.of(twinId.substring(prefix.length())) : Optional.empty();
    }

    @Override
    public String toString() {
        return "TwinIdStrategy.prefixed(\"" + prefix + "\")";
    }
}
