package io.dpstwin.testkit.device.mqtt;

/** The CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3) that refuse a connection. */
public enum MqttConnectRefusal {
    /** 1: the protocol level is not supported. */
    UNACCEPTABLE_PROTOCOL_VERSION(1),
    /** 2: the client identifier is not allowed. */
    IDENTIFIER_REJECTED(2),
    /** 3: the service is unavailable. */
    SERVER_UNAVAILABLE(3),
    /** 4: the user name or password is malformed. */
    BAD_USERNAME_OR_PASSWORD(4),
    /** 5: the client is not authorized (what the Azure services answer to a bad or expired SAS token). */
    NOT_AUTHORIZED(5);

    private final int code;

    MqttConnectRefusal(int code) {
        this.code = code;
    }

    /** The return code on the wire. */
    public int code() {
        return code;
    }
}
