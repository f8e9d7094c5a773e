package io.dpstwin.testkit.device.mqtt;

import java.net.SocketAddress;

/**
 * One MQTT 3.1.1 CONNECT as received by the {@link DeviceMqttListener}.
 *
 * @param clientId          the client identifier (DPS: the registration id; IoT Hub: the device id or
 *                          {@code {deviceId}/{moduleId}})
 * @param username          the user name (DPS: {@code {idScope}/registrations/{registrationId}/api-version=...};
 *                          IoT Hub: {@code {hostName}/{deviceId}/?api-version=...}); empty when absent
 * @param password          the password, normally a SAS token; empty when absent. A secret: never log it
 * @param keepAliveSeconds  the keep-alive the client asked for (0 = none)
 * @param cleanSession      the clean-session flag
 * @param serverName        the TLS SNI host name the client sent, empty when none (Node sends none for IP addresses)
 * @param remoteAddress     the client's address
 */
public record MqttConnectRequest(String clientId, String username, String password, int keepAliveSeconds,
                                 boolean cleanSession, String serverName, SocketAddress remoteAddress) {

    /** Describes the CONNECT without its password. */
    @Override
    public String toString() {
        return "MqttConnectRequest[clientId=" + clientId + ", username=" + username + ", keepAlive="
                + keepAliveSeconds + ", cleanSession=" + cleanSession + ", serverName=" + serverName + "]";
    }
}
