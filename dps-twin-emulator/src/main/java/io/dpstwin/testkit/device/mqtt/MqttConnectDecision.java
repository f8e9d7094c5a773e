package io.dpstwin.testkit.device.mqtt;

import java.util.Objects;
import java.util.function.Function;

/**
 * What an {@link MqttDeviceService} decides about a CONNECT. Build it with {@link #notMine()},
 * {@link #refuse(MqttConnectRefusal)} or {@link #accept(Function)}.
 */
public final class MqttConnectDecision {

    private static final MqttConnectDecision NOT_MINE = new MqttConnectDecision(null, null);

    private final MqttConnectRefusal refusal;
    private final Function<MqttDeviceChannel, MqttDeviceSession> sessionFactory;

    private MqttConnectDecision(MqttConnectRefusal refusal,
                                Function<MqttDeviceChannel, MqttDeviceSession> sessionFactory) {
        this.refusal = refusal;
        this.sessionFactory = sessionFactory;
    }

    /** The CONNECT is for another service; the listener asks the next one. */
    public static MqttConnectDecision notMine() {
        return NOT_MINE;
    }

    /** The CONNECT is this service's and is refused with {@code refusal}; the listener then closes the connection. */
    public static MqttConnectDecision refuse(MqttConnectRefusal refusal) {
        return new MqttConnectDecision(Objects.requireNonNull(refusal, "refusal"), null);
    }

    /**
     * The CONNECT is accepted (CONNACK 0); {@code sessionFactory} is called once, before the CONNACK is sent, with
     * the channel to answer the client on.
     */
    public static MqttConnectDecision accept(Function<MqttDeviceChannel, MqttDeviceSession> sessionFactory) {
        return new MqttConnectDecision(null, Objects.requireNonNull(sessionFactory, "sessionFactory"));
    }

    boolean isNotMine() {
        return this == NOT_MINE;
    }

    MqttConnectRefusal refusal() {
        return refusal;
    }

    Function<MqttDeviceChannel, MqttDeviceSession> sessionFactory() {
        return sessionFactory;
    }
}
