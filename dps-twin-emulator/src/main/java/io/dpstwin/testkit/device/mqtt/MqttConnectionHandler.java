package io.dpstwin.testkit.device.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The MQTT 3.1.1 server side of one connection: protocol checks, dispatch, acknowledgements. */
final class MqttConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);
    private static final int MQTT_3_1_1 = 4;

    private final List<MqttDeviceService> services;
    private MqttDeviceSession session;
    private String clientId = "";
    private boolean connected;
    private boolean closedNotified;

    MqttConnectionHandler(List<MqttDeviceService> services) {
        this.services = services;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ctx.close();
            return;
        }
        try {
            if (message.decoderResult().isFailure()) {
                LOG.debug("MQTT client {} sent a malformed or oversized packet ({}); closing", describe(ctx),
                        message.decoderResult().cause().toString());
                ctx.close();
                return;
            }
            MqttMessageType type = message.fixedHeader().messageType();
            if (!connected) {
                if (type == MqttMessageType.CONNECT) {
                    connect(ctx, (MqttConnectMessage) message);
                } else {
                    LOG.debug("MQTT client {} sent {} before CONNECT; closing", describe(ctx), type);
                    ctx.close();
                }
                return;
            }
            switch (type) {
                case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) message);
                case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) message);
                case PUBLISH -> publish(ctx, (MqttPublishMessage) message);
                case PUBACK -> {
                    // the device acknowledges one of our QoS 1 publishes: nothing to redeliver
                }
                case PINGREQ -> ctx.writeAndFlush(new MqttMessage(
                        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
                case DISCONNECT -> ctx.close();
                default -> {
                    LOG.debug("MQTT client {} sent {}, which is not allowed here; closing", describe(ctx), type);
                    ctx.close();
                }
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        if (connect.variableHeader().version() != MQTT_3_1_1) {
            refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return;
        }
        clientId = nullToEmpty(connect.payload().clientIdentifier());
        byte[] passwordBytes = connect.payload().passwordInBytes();
        MqttConnectRequest request = new MqttConnectRequest(clientId, nullToEmpty(connect.payload().userName()),
                passwordBytes == null ? "" : new String(passwordBytes, StandardCharsets.UTF_8),
                connect.variableHeader().keepAliveTimeSeconds(), connect.variableHeader().isCleanSession(),
                serverName(ctx), ctx.channel().remoteAddress());
        for (MqttDeviceService service : services) {
            MqttConnectDecision decision = service.connect(request);
            if (decision == null || decision.isNotMine()) {
                continue;
            }
            if (decision.refusal() != null) {
                LOG.debug("MQTT CONNECT of {} refused: {}", clientId, decision.refusal());
                refuse(ctx, MqttConnectReturnCode.valueOf((byte) decision.refusal().code()));
                return;
            }
            session = decision.sessionFactory().apply(new Channel(ctx, clientId));
            connected = true;
            int keepAlive = request.keepAliveSeconds();
            ctx.pipeline().remove("idle");
            if (keepAlive > 0) {
                // MQTT 3.1.1 §3.1.2.10: the server may disconnect after one and a half keep-alive periods of silence
                ctx.pipeline().addBefore("decoder", "idle",
                        new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
            }
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).sessionPresent(false).build());
            return;
        }
        LOG.debug("MQTT CONNECT of {} claimed by no service (user name {}); refused", clientId, request.username());
        refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage subscribe) {
        List<Integer> granted = new ArrayList<>();
        for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
            granted.add(session.subscribe(subscription.topicFilter(), subscription.qualityOfService().value()));
        }
        ctx.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubAckPayload(granted)));
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage unsubscribe) {
        for (String topic : unsubscribe.payload().topics()) {
            session.unsubscribe(topic);
        }
        ctx.writeAndFlush(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        if (qos > 1) {
            LOG.debug("MQTT client {} published with QoS {}; closing (IoT Hub and DPS do not support QoS 2)",
                    clientId, qos);
            ctx.close();
            return;
        }
        MqttInboundMessage inbound = new MqttInboundMessage(publish.variableHeader().topicName(), qos,
                publish.fixedHeader().isRetain(), ByteBufUtil.getBytes(publish.payload()));
        if (!session.publish(inbound)) {
            LOG.debug("MQTT client {}: publish to {} refused; closing", clientId, inbound.topic());
            ctx.close();
            return;
        }
        if (qos == 1) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
        }
    }

    private static void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.debug("MQTT client {} idle past its keep-alive (or never sent CONNECT); closing", describe(ctx));
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        notifyClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("MQTT connection {} failed: {}", describe(ctx), cause.toString());
        ctx.close();
    }

    private void notifyClosed() {
        if (session != null && !closedNotified) {
            closedNotified = true;
            try {
                session.closed();
            } catch (RuntimeException e) {
                LOG.debug("MQTT session of {} failed on close: {}", clientId, e.toString());
            }
        }
    }

    private String describe(ChannelHandlerContext ctx) {
        return clientId.isEmpty() ? String.valueOf(ctx.channel().remoteAddress()) : clientId;
    }

    private static String serverName(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return "";
        }
        SSLSession sslSession = tls.engine().getSession();
        if (sslSession instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName hostName) {
                    return hostName.getAsciiName();
                }
            }
        }
        return "";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The channel handed to the session. */
    private static final class Channel implements MqttDeviceChannel {

        private final ChannelHandlerContext ctx;
        private final String clientId;
        private final AtomicInteger packetIds = new AtomicInteger();

        Channel(ChannelHandlerContext ctx, String clientId) {
            this.ctx = ctx;
            this.clientId = clientId;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public void publish(String topic, byte[] payload, int qos) {
            if (qos < 0 || qos > 1) {
                throw new IllegalArgumentException("qos must be 0 or 1");
            }
            if (!ctx.channel().isActive()) {
                return;
            }
            int packetId = qos == 0 ? 0 : packetIds.updateAndGet(id -> id >= 65535 ? 1 : id + 1);
            MqttPublishMessage message = MqttMessageBuilders.publish()
                    .topicName(topic)
                    .qos(MqttQoS.valueOf(qos))
                    .retained(false)
                    .messageId(packetId)
                    .payload(Unpooled.wrappedBuffer(payload))
                    .build();
            ctx.writeAndFlush(message);
        }

        @Override
        public void close() {
            ctx.close();
        }

        @Override
        public boolean isOpen() {
            return ctx.channel().isActive();
        }
    }
}
