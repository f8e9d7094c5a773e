package io.dpstwin.testkit.device.mqtt;

import io.dpstwin.testkit.emulator.EmulatorCa;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceMqttListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static EmulatorCa ca;
    private static DeviceMqttListener listener;
    private static final List<String> closedSessions = new CopyOnWriteArrayList<>();

    /** Claims user names "echo/..."; password "ok" is accepted; echoes publishes to "echo/reply" with QoS 1. */
    private static MqttConnectDecision echo(MqttConnectRequest request) {
        if (!request.username().startsWith("echo/")) {
            return MqttConnectDecision.notMine();
        }
        if (!request.password().equals("ok")) {
            return MqttConnectDecision.refuse(MqttConnectRefusal.NOT_AUTHORIZED);
        }
        return MqttConnectDecision.accept(channel -> new MqttDeviceSession() {
            @Override
            public int subscribe(String topicFilter, int requestedQos) {
                return topicFilter.startsWith("echo/") ? Math.min(requestedQos, 1) : SUBSCRIPTION_FAILURE;
            }

            @Override
            public boolean publish(MqttInboundMessage message) {
                if (!message.topic().startsWith("echo/")) {
                    return false;
                }
                channel.publish("echo/reply", message.payload(), 1);
                return true;
            }

            @Override
            public void closed() {
                closedSessions.add(channel.clientId());
            }
        });
    }

    @BeforeAll
    static void start() {
        ca = EmulatorCa.generate();
        listener = DeviceMqttListener.builder().host("127.0.0.1").port(0).certificateAuthority(ca).start();
        listener.register(DeviceMqttListenerTest::echo);
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    private RawMqttClient client() throws Exception {
        return new RawMqttClient("127.0.0.1", listener.port(), ca.clientContext());
    }

    private RawMqttClient connected(String clientId) throws Exception {
        RawMqttClient client = client();
        client.send(RawMqttClient.connect(clientId, "echo/" + clientId, "ok"));
        MqttConnAckMessage ack = (MqttConnAckMessage) client.read(WAIT).orElseThrow();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return client;
    }

    private static void assertEchoes(RawMqttClient client, String text) throws Exception {
        client.send(RawMqttClient.publish("echo/in", text.getBytes(StandardCharsets.UTF_8), 1, 7));
        MqttMessage first = client.read(WAIT).orElseThrow();
        MqttMessage second = client.read(WAIT).orElseThrow();
        MqttPublishMessage reply = (MqttPublishMessage) (first instanceof MqttPublishMessage ? first : second);
        MqttPubAckMessage ack = (MqttPubAckMessage) (first instanceof MqttPubAckMessage ? first : second);
        assertThat(ack.variableHeader().messageId()).isEqualTo(7);
        assertThat(reply.variableHeader().topicName()).isEqualTo("echo/reply");
        assertThat(new String(ByteBufUtil.getBytes(reply.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void dispatchesSubscribesPublishesAndAcknowledges() throws Exception {
        try (RawMqttClient client = connected("d1")) {
            client.send(RawMqttClient.subscribe("echo/#", 2, 3));
            MqttSubAckMessage subAck = (MqttSubAckMessage) client.read(WAIT).orElseThrow();
            assertThat(subAck.variableHeader().messageId()).isEqualTo(3);
            assertThat(subAck.payload().grantedQoSLevels()).containsExactly(1);
            assertEchoes(client, "hello");
        }
    }

    @Test
    void connectNoServiceClaimsIsRefusedNotAuthorized() throws Exception {
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect("x", "somewhere-else/x/?api-version=1", "ok"));
            MqttConnAckMessage ack = (MqttConnAckMessage) client.read(WAIT).orElseThrow();
            assertThat(ack.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            assertThat(client.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void badPasswordIsRefusedWithTheServicesCode() throws Exception {
        try (RawMqttClient client = client()) {
            client.send(RawMqttClient.connect("x", "echo/x", "wrong"));
            MqttConnAckMessage ack = (MqttConnAckMessage) client.read(WAIT).orElseThrow();
            assertThat(ack.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            assertThat(client.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void malformedPacketClosesOnlyThatConnection() throws Exception {
        try (RawMqttClient good = connected("good"); RawMqttClient bad = connected("bad")) {
            // a PUBLISH with QoS 3, which MQTT 3.1.1 (section 3.3.1.2) makes a malformed packet
            bad.sendRaw(new byte[]{0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01});
            assertThat(bad.closedWithin(WAIT)).isTrue();
            assertEchoes(good, "still here");
        }
        assertThat(closedSessions).contains("bad");
    }

    @Test
    void garbageBeforeConnectClosesTheConnection() throws Exception {
        try (RawMqttClient client = client()) {
            client.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void refusedTopicAndQos2CloseTheConnection() throws Exception {
        try (RawMqttClient good = connected("good2"); RawMqttClient unknown = connected("unknown");
             RawMqttClient qos2 = connected("qos2")) {
            unknown.send(RawMqttClient.publish("not/mine", new byte[]{1}, 1, 1));
            assertThat(unknown.closedWithin(WAIT)).isTrue();
            qos2.send(RawMqttClient.publish("echo/x", new byte[]{1}, 2, 1));
            assertThat(qos2.closedWithin(WAIT)).isTrue();
            assertEchoes(good, "unaffected");
        }
    }

    @Test
    void oversizedMessageClosesTheConnection() throws Exception {
        try (DeviceMqttListener small = DeviceMqttListener.builder().host("127.0.0.1").port(0)
                .certificateAuthority(ca).maxMessageBytes(4096).start()) {
            small.register(DeviceMqttListenerTest::echo);
            try (RawMqttClient client = new RawMqttClient("127.0.0.1", small.port(), ca.clientContext())) {
                client.send(RawMqttClient.connect("big", "echo/big", "ok"));
                assertThat(client.read(WAIT)).get().extracting(m -> m.fixedHeader().messageType())
                        .isEqualTo(MqttMessageType.CONNACK);
                client.send(RawMqttClient.publish("echo/in", new byte[10_000], 1, 1));
                assertThat(client.closedWithin(WAIT)).isTrue();
            }
        }
    }

    @Test
    void pingIsAnswered() throws Exception {
        try (RawMqttClient client = connected("pinger")) {
            client.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PINGREQ,
                    false, io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE, false, 0)));
            assertThat(client.read(WAIT)).get().extracting(m -> m.fixedHeader().messageType())
                    .isEqualTo(MqttMessageType.PINGRESP);
        }
    }

    @Test
    void portInUseFailsNamingTheOption() {
        assertThatThrownBy(() -> DeviceMqttListener.builder().host("127.0.0.1").port(listener.port())
                .certificateAuthority(ca).portOptionName("--mqtt-port").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + listener.port())
                .hasMessageContaining("--mqtt-port");
    }
}
