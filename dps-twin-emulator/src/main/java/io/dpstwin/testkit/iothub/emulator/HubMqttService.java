package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.testkit.device.mqtt.MqttConnectDecision;
import io.dpstwin.testkit.device.mqtt.MqttConnectRefusal;
import io.dpstwin.testkit.device.mqtt.MqttConnectRequest;
import io.dpstwin.testkit.device.mqtt.MqttDeviceService;
import io.dpstwin.testkit.device.mqtt.MqttDeviceSession;
import io.dpstwin.testkit.device.mqtt.MqttInboundMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs the emulated hubs' {@link DeviceSessions} into the shared MQTT listener: claims a CONNECT whose user name
 * names one of the hubs, answers it with {@link DeviceSessions#connect}, and relays SUBSCRIBEs and PUBLISHes; a session
 * displaced by a newer connection of the same device has its connection closed.
 */
public final class HubMqttService implements MqttDeviceService {

    private static final Logger LOG = LoggerFactory.getLogger(HubMqttService.class);

    private final DeviceSessions sessions;

    HubMqttService(DeviceSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public MqttConnectDecision connect(MqttConnectRequest request) {
        if (!sessions.handles(request.username())) {
            return MqttConnectDecision.notMine();
        }
        DeviceSessions.ConnectResult result = sessions.connect(request.clientId(), request.username(),
                request.password());
        if (!result.accepted()) {
            LOG.debug("IoT hub emulator refused the MQTT connection of {}: {}", request.clientId(), result.reason());
            return MqttConnectDecision.refuse(refusal(result.returnCode()));
        }
        DeviceSession session = result.session();
        return MqttConnectDecision.accept(channel -> {
            session.onDisplaced(channel::close);
            return new MqttDeviceSession() {
                @Override
                public int subscribe(String topicFilter, int requestedQos) {
                    return session.subscribe(topicFilter, requestedQos);
                }

                @Override
                public boolean publish(MqttInboundMessage message) {
                    boolean accepted = session.publish(message.topic(), message.payload(), message.qos())
                            == DeviceSession.PublishResult.ACCEPTED;
                    if (!accepted) {
                        LOG.debug("IoT hub emulator closes the connection of {}: it published to '{}'",
                                session.deviceId(), message.topic());
                    }
                    return accepted;
                }

                @Override
                public void closed() {
                    session.close();
                }
            };
        });
    }

    private static MqttConnectRefusal refusal(int code) {
        return switch (code) {
            case DeviceSessions.IDENTIFIER_REJECTED -> MqttConnectRefusal.IDENTIFIER_REJECTED;
            case DeviceSessions.BAD_USERNAME_OR_PASSWORD -> MqttConnectRefusal.BAD_USERNAME_OR_PASSWORD;
            default -> MqttConnectRefusal.NOT_AUTHORIZED;
        };
    }
}
