package io.dpstwin.testkit.dps.emulator;

import io.dpstwin.testkit.device.mqtt.MqttConnectDecision;
import io.dpstwin.testkit.device.mqtt.MqttConnectRefusal;
import io.dpstwin.testkit.device.mqtt.MqttConnectRequest;
import io.dpstwin.testkit.device.mqtt.MqttDeviceChannel;
import io.dpstwin.testkit.device.mqtt.MqttDeviceService;
import io.dpstwin.testkit.device.mqtt.MqttDeviceSession;
import io.dpstwin.testkit.device.mqtt.MqttInboundMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * DPS's device API over MQTT (https://learn.microsoft.com/azure/iot-dps/iot-dps-mqtt-support) on the shared
 * listener. It claims CONNECTs whose user name is {@code {idScope}/registrations/{registrationId}/api-version=...}
 * for its ID scope (no {@code ?} before {@code api-version}; the Java client appends {@code &ClientVersion=...}),
 * with the registration id as client id and a SAS token for {@code {idScope}/registrations/{registrationId}} as
 * password; the signature is checked on each request, which a bad one gets as 401 with error code 401002.
 * Replies go to {@code $dps/registrations/res/{status}/?$rid={rid}[&retry-after={seconds}]} with QoS 1, echoing
 * {@code $rid} exactly (the Node client drops replies whose {@code $rid} it does not know).
 *
 * <p>Replies leave {@code replyDelay} after the request (see {@link DpsEmulator.Builder#mqttReplyDelay}), never in
 * the same instant: the Java client ({@code provisioning-device-client} 2.1.3, {@code ContractAPIMqtt}) starts
 * waiting for a reply with {@code Object.wait()} only after its PUBLISH has returned, and its MQTT callback, which
 * queues the reply and calls {@code notify()}, is held back by the same monitor until then. A reply that arrives
 * within those microseconds wakes nobody: the client then waits 60 s for a register reply, and gives up on a poll
 * after 10 s. Over the internet DPS's latency hides this; on loopback an immediate reply lost the race about once in
 * four registrations.
 */
final class DpsMqttService implements MqttDeviceService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DpsMqttService.class);
    private static final String REGISTRATIONS = "/registrations/";
    private static final String API_VERSION = "/api-version=";
    private static final String RESPONSE_FILTER = "$dps/registrations/res/#";
    private static final String REGISTER_TOPIC = "$dps/registrations/PUT/iotdps-register/?";
    private static final String POLL_TOPIC = "$dps/registrations/GET/iotdps-get-operationstatus/?";

    private final DpsEngine engine;
    private final long replyDelayMillis;
    private final ScheduledExecutorService replies;

    DpsMqttService(DpsEngine engine, Duration replyDelay) {
        this.engine = engine;
        this.replyDelayMillis = replyDelay.toMillis();
        this.replies = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dps-emulator-mqtt-replies");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        replies.shutdownNow();
    }

    @Override
    public MqttConnectDecision connect(MqttConnectRequest request) {
        String username = request.username();
        int registrations = username.indexOf(REGISTRATIONS);
        if (registrations <= 0 || !username.substring(0, registrations).equalsIgnoreCase(engine.idScope())) {
            return MqttConnectDecision.notMine();
        }
        String rest = username.substring(registrations + REGISTRATIONS.length());
        int apiVersion = rest.indexOf(API_VERSION);
        if (apiVersion <= 0) {
            return MqttConnectDecision.refuse(MqttConnectRefusal.BAD_USERNAME_OR_PASSWORD);
        }
        String registrationId = rest.substring(0, apiVersion);
        if (!registrationId.equals(request.clientId())) {
            return MqttConnectDecision.refuse(MqttConnectRefusal.IDENTIFIER_REJECTED);
        }
        String token = request.password();
        if (!engine.tokenAddressed(registrationId, token)) {
            return MqttConnectDecision.refuse(MqttConnectRefusal.NOT_AUTHORIZED);
        }
        return MqttConnectDecision.accept(channel -> new Session(channel, registrationId, token));
    }

    private final class Session implements MqttDeviceSession {

        private final MqttDeviceChannel channel;
        private final String registrationId;
        private final String token;

        Session(MqttDeviceChannel channel, String registrationId, String token) {
            this.channel = channel;
            this.registrationId = registrationId;
            this.token = token;
        }

        @Override
        public int subscribe(String topicFilter, int requestedQos) {
            // DPS grants QoS 1 for a QoS 2 request
            return RESPONSE_FILTER.equals(topicFilter) ? Math.min(requestedQos, 1) : SUBSCRIPTION_FAILURE;
        }

        @Override
        public boolean publish(MqttInboundMessage message) {
            String topic = message.topic();
            boolean register = topic.startsWith(REGISTER_TOPIC);
            if (!register && !topic.startsWith(POLL_TOPIC)) {
                LOG.debug("DPS emulator: {} published to unknown topic {}", registrationId, topic);
                return false;
            }
            Map<String, String> query = query(topic.substring(topic.indexOf('?') + 1));
            String rid = query.get("$rid");
            if (rid == null || rid.isEmpty()) {
                LOG.debug("DPS emulator: {} published without $rid", registrationId);
                return false;
            }
            DpsReply reply = register
                    ? engine.register(registrationId, token, message.payload())
                    : engine.operationStatus(registrationId, token, query.get("operationId"));
            String replyTopic = "$dps/registrations/res/" + reply.status() + "/?$rid=" + rid
                    + (reply.retryAfterSeconds() > 0 ? "&retry-after=" + reply.retryAfterSeconds() : "");
            byte[] body = reply.body().toString().getBytes(StandardCharsets.UTF_8);
            try {
                // Netty queues a write from another thread onto the connection's event loop, in order
                replies.schedule(() -> channel.publish(replyTopic, body, 1), replyDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("DPS emulator closed; no reply to {}", registrationId);
            }
            return true;
        }
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new HashMap<>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                try {
                    values.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: the parameter is ignored
                }
            }
        }
        return values;
    }
}
