package io.dpstwin.testkit.device.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven MQTT 3.1.1 client over TLS for protocol tests the SDKs cannot produce (malformed packets, QoS 2,
 * unknown topics): packets are encoded and decoded with Netty's codec, and bytes can be sent raw.
 */
public final class RawMqttClient implements AutoCloseable {

    private static final Object EOF = new Object();

    private final SSLSocket socket;
    private final OutputStream out;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    public RawMqttClient(String host, int port, SSLContext tls) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(host.charAt(0))) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        out = socket.getOutputStream();
        reader = new Thread(this::readLoop, "raw-mqtt-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A CONNECT with MQTT 3.1.1. */
    public static MqttConnectMessage connect(String clientId, String username, String password) {
        return MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .username(username)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .keepAlive(60)
                .cleanSession(true)
                .build();
    }

    /** A PUBLISH. */
    public static MqttMessage publish(String topic, byte[] payload, int qos, int packetId) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).retained(false)
                .messageId(packetId).payload(Unpooled.wrappedBuffer(payload)).build();
    }

    /** A SUBSCRIBE of one filter. */
    public static MqttMessage subscribe(String filter, int qos, int packetId) {
        return MqttMessageBuilders.subscribe().addSubscription(MqttQoS.valueOf(qos), filter).messageId(packetId)
                .build();
    }

    public void send(MqttMessage message) throws IOException {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf encoded;
        while ((encoded = encoder.readOutbound()) != null) {
            sendRaw(ByteBufUtil.getBytes(encoded));
            encoded.release();
        }
        encoder.finishAndReleaseAll();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet, or empty when the server closed the connection (or nothing came within the timeout). */
    public Optional<MqttMessage> read(Duration timeout) throws InterruptedException {
        Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null || next == EOF) {
            if (next == EOF) {
                received.add(EOF);
            }
            return Optional.empty();
        }
        return Optional.of((MqttMessage) next);
    }

    /** Whether the server closes the connection within {@code timeout} (packets before that are skipped). */
    public boolean closedWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Object next = received.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (next == EOF) {
                received.add(EOF);
                return true;
            }
        }
        return false;
    }

    private void readLoop() {
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1024 * 1024));
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                Object message;
                while ((message = decoder.readInbound()) != null) {
                    received.add(message);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            received.add(EOF);
            decoder.finishAndReleaseAll();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
