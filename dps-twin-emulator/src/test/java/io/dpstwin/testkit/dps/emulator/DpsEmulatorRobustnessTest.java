package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.device.mqtt.RawMqttClient;
import io.dpstwin.testkit.dps.RegistrationSasToken;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a bad device gets from the DPS emulator, over raw MQTT (packets no SDK sends) and raw HTTPS: refusals and
 * DPS's error answers (401 with 401002 for bad or expired SAS tokens, 400 with 400004 for malformed or oversized
 * bodies), a closed connection for packets DPS does not accept, and never an effect on other devices, which the
 * official SDK still registers afterwards.
 */
@Execution(ExecutionMode.CONCURRENT)
class DpsEmulatorRobustnessTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP_KEY = DeviceAuthentication.randomKey();
    static final Duration WAIT = Duration.ofSeconds(5);

    static String host;
    static DpsEmulator dps;
    static HttpClient http;

    @BeforeAll
    static void start() {
        host = LoopbackHosts.withFree8883();
        dps = DpsEmulator.builder()
                .mqttHost(host)
                .linkedHub(new InMemoryLinkedHub("hub.robust.test"))
                .enrollment(Enrollment.group("robust", GROUP_KEY).hashed().build())
                .start();
        http = HttpClient.newBuilder().sslContext(dps.certificateAuthority().clientContext()).build();
    }

    @AfterAll
    static void stop() {
        dps.close();
    }

    static String token(String registrationId, Instant expiry) {
        return RegistrationSasToken.forRegistration(dps.idScope(), registrationId).groupKey(GROUP_KEY)
                .expiresAt(expiry).toHeaderValue();
    }

    static String validToken(String registrationId) {
        return token(registrationId, Instant.now().plusSeconds(3600));
    }

    static String username(String registrationId) {
        return dps.idScope() + "/registrations/" + registrationId + "/api-version=2019-03-31";
    }

    /** A connected, subscribed raw MQTT client of {@code registrationId} with {@code password}. */
    static RawMqttClient connected(String registrationId, String password) throws Exception {
        RawMqttClient client = new RawMqttClient(host, 8883, dps.certificateAuthority().clientContext());
        client.send(RawMqttClient.connect(registrationId, username(registrationId), password));
        MqttMessage connAck = client.read(WAIT).orElseThrow();
        assertThat(((MqttConnAckMessage) connAck).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        client.send(RawMqttClient.subscribe("$dps/registrations/res/#", 1, 1));
        assertThat(client.read(WAIT).orElseThrow().fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
        return client;
    }

    /** The next reply PUBLISH: its topic and JSON body. */
    static Reply reply(RawMqttClient client) throws Exception {
        while (true) {
            MqttMessage message = client.read(WAIT).orElseThrow(() -> new AssertionError("no reply"));
            if (message instanceof MqttPublishMessage publish) {
                return new Reply(publish.variableHeader().topicName(),
                        JSON.readTree(ByteBufUtil.getBytes(publish.payload())));
            }
        }
    }

    record Reply(String topic, JsonNode body) {
    }

    static void assertStillServes(ProvisioningDeviceClientTransportProtocol protocol, String registrationId)
            throws Exception {
        assertThat(new ProvisioningSdk(dps).register(protocol, registrationId,
                ProvisioningSdk.derivedKey(GROUP_KEY, registrationId), null).getIothubUri())
                .isEqualTo("hub.robust.test");
    }

    @Test
    void aConnectWithATokenForAnotherRegistrationOrNoTokenIsRefused() throws Exception {
        for (String password : new String[]{validToken("someone-else"), "", "SharedAccessSignature garbage"}) {
            try (RawMqttClient client = new RawMqttClient(host, 8883, dps.certificateAuthority().clientContext())) {
                client.send(RawMqttClient.connect("mallory", username("mallory"), password));
                MqttConnAckMessage connAck = (MqttConnAckMessage) client.read(WAIT).orElseThrow();
                assertThat(connAck.variableHeader().connectReturnCode())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                assertThat(client.closedWithin(WAIT)).isTrue();
            }
        }
        assertStillServes(ProvisioningDeviceClientTransportProtocol.MQTT, "after-refused-connect");
    }

    @Test
    void aReplyNotFollowedByANewerRequestIsSentAgainWithItsRidSoThatAJavaClientThatMissedItWakesUp() throws Exception {
        try (RawMqttClient client = connected("repeat", validToken("repeat"))) {
            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=r1",
                    "{\"registrationId\":\"repeat\"}".getBytes(StandardCharsets.UTF_8), 0, 0));
            Reply first = reply(client);
            assertThat(first.topic()).startsWith("$dps/registrations/res/202/?$rid=r1");
            Reply again = reply(client);            // nothing sent since: the same reply, after REPEAT_AFTER_MILLIS
            assertThat(again).isEqualTo(first);

            String operationId = first.body().path("operationId").asText();
            client.send(RawMqttClient.publish("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=r2&operationId="
                    + operationId, new byte[0], 0, 0));
            assertThat(reply(client).topic()).contains("$rid=r2");
            // r1 is answered by a newer request now: only r2's reply may come again
            assertThat(reply(client).topic()).contains("$rid=r2");
        }
    }

    @Test
    void anExpiredOrWronglySignedTokenGets401AndTheRequestIdEchoed() throws Exception {
        String expired = token("late", Instant.now().minusSeconds(60));
        try (RawMqttClient client = connected("late", expired)) {
            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=abc-1",
                    "{\"registrationId\":\"late\"}".getBytes(StandardCharsets.UTF_8), 1, 7));
            Reply reply = reply(client);
            assertThat(reply.topic()).isEqualTo("$dps/registrations/res/401/?$rid=abc-1");
            assertThat(reply.body().path("errorCode").asInt()).isEqualTo(401002);
        }
        String forged = RegistrationSasToken.forRegistration(dps.idScope(), "forged")
                .deviceKey(DeviceAuthentication.randomKey()).validFor(Duration.ofHours(1)).toHeaderValue();
        try (RawMqttClient client = connected("forged", forged)) {
            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=2",
                    new byte[0], 0, 0));
            assertThat(reply(client).topic()).isEqualTo("$dps/registrations/res/401/?$rid=2");
        }
        assertThat(dps.registration("late")).isEmpty();
        assertThat(dps.registration("forged")).isEmpty();
    }

    @Test
    void malformedAndOversizedRegisterBodiesGet400AndTheConnectionServesOn() throws Exception {
        try (RawMqttClient client = connected("sloppy", validToken("sloppy"))) {
            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=1",
                    "{not json".getBytes(StandardCharsets.UTF_8), 0, 0));
            Reply malformed = reply(client);
            assertThat(malformed.topic()).isEqualTo("$dps/registrations/res/400/?$rid=1");
            assertThat(malformed.body().path("errorCode").asInt()).isEqualTo(400004);

            byte[] big = new byte[DpsEngine.MAX_MESSAGE_BYTES + 10];
            Arrays.fill(big, (byte) ' ');
            big[0] = '{';
            big[big.length - 1] = '}';
            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=2", big, 0, 0));
            Reply oversized = reply(client);
            assertThat(oversized.topic()).isEqualTo("$dps/registrations/res/400/?$rid=2");
            assertThat(oversized.body().path("errorCode").asInt()).isEqualTo(400004);

            client.send(RawMqttClient.publish("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=3"
                    + "&operationId=4.no.such-operation", new byte[0], 0, 0));
            Reply unknown = reply(client);
            assertThat(unknown.topic()).isEqualTo("$dps/registrations/res/404/?$rid=3");

            client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=4",
                    "{\"registrationId\":\"sloppy\"}".getBytes(StandardCharsets.UTF_8), 1, 9));
            Reply accepted = reply(client);
            assertThat(accepted.topic()).startsWith("$dps/registrations/res/202/?$rid=4&retry-after=");
            assertThat(accepted.body().path("status").asText()).isEqualTo("assigning");
        }
    }

    @Test
    void anUnknownTopicAPublishWithoutRidAndAMalformedPacketCloseOnlyThatConnection() throws Exception {
        try (RawMqttClient bystander = connected("bystander", validToken("bystander"))) {
            try (RawMqttClient client = connected("unknown-topic", validToken("unknown-topic"))) {
                client.send(RawMqttClient.publish("devices/unknown-topic/messages/events/", new byte[]{1}, 0, 0));
                assertThat(client.closedWithin(WAIT)).isTrue();
            }
            try (RawMqttClient client = connected("no-rid", validToken("no-rid"))) {
                client.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?", new byte[0], 0, 0));
                assertThat(client.closedWithin(WAIT)).isTrue();
            }
            try (RawMqttClient client = connected("garbage", validToken("garbage"))) {
                client.sendRaw(new byte[]{(byte) 0xF0, 0x7F, 1, 2, 3});
                assertThat(client.closedWithin(WAIT)).isTrue();
            }
            bystander.send(RawMqttClient.publish("$dps/registrations/PUT/iotdps-register/?$rid=1",
                    new byte[0], 0, 0));
            assertThat(reply(bystander).topic()).startsWith("$dps/registrations/res/202/?$rid=1");
        }
        assertStillServes(ProvisioningDeviceClientTransportProtocol.MQTT, "after-bad-packets");
    }

    @Test
    void httpsAnswersBadTokensBadBodiesAndUnknownPathsWithDpsErrors() throws Exception {
        String url = dps.httpsEndpoint() + "/" + dps.idScope()
                + "/registrations/web-1/register?api-version=2019-03-31";

        HttpResponse<String> noToken = put(url, null, "{\"registrationId\":\"web-1\"}");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("x-ms-error-code")).contains("401002");
        assertThat(JSON.readTree(noToken.body()).path("errorCode").asInt()).isEqualTo(401002);

        HttpResponse<String> expired = put(url, token("web-1", Instant.now().minusSeconds(5)), "{}");
        assertThat(expired.statusCode()).isEqualTo(401);

        HttpResponse<String> malformed = put(url, validToken("web-1"), "[1,2");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("x-ms-error-code")).contains("400004");

        HttpResponse<String> trailing = put(url, validToken("web-1"), "{\"registrationId\":\"web-1\"} {}");
        assertThat(trailing.statusCode()).as("content after the JSON document").isEqualTo(400);
        assertThat(trailing.headers().firstValue("x-ms-error-code")).contains("400004");

        HttpResponse<String> oversized = put(url, validToken("web-1"),
                "{\"payload\":\"" + "x".repeat(DpsEngine.MAX_MESSAGE_BYTES) + "\"}");
        assertThat(oversized.statusCode()).isEqualTo(400);

        HttpResponse<String> otherDevice = put(url, validToken("web-2"), "{}");
        assertThat(otherDevice.statusCode()).as("a token for another registration id").isEqualTo(401);

        HttpResponse<String> unknownPath = put(dps.httpsEndpoint() + "/" + dps.idScope() + "/nothing/here",
                validToken("web-1"), "{}");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));

        assertThat(dps.registration("web-1")).isEmpty();
        assertStillServes(ProvisioningDeviceClientTransportProtocol.HTTPS, "after-bad-https");
    }

    static HttpResponse<String> put(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(token).ifPresent(t -> request.header("Authorization", t));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
