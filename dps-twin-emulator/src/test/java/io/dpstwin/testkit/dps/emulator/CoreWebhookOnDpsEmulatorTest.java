package io.dpstwin.testkit.dps.emulator;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.device.mqtt.LoopbackHosts;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our own allocation webhook (core's {@link DpsAllocationHandler} on an in-memory ADT, behind a small HTTP server)
 * called by the DPS emulator for devices registering through the official Java SDK, whose payload
 * {@code {"modelId": ...}} travels as a JSON string holding the object: the webhook reads it as the object and
 * creates the twin of that model, and its {@code initialTwin} reaches the hub's device twin.
 */
@Execution(ExecutionMode.CONCURRENT)
class CoreWebhookOnDpsEmulatorTest {

    static final String MODEL = "dtmi:com:example:Thermostat;1";
    static final String GROUP_KEY = DeviceAuthentication.randomKey();
    static final String HUB = "hub.core-webhook.test";

    static InMemoryDigitalTwins adt;
    static HttpServer webhook;
    static InMemoryLinkedHub hub;
    static DpsEmulator dps;

    @BeforeAll
    static void start() throws Exception {
        adt = InMemoryDigitalTwins.create();
        adt.uploadModels("{\"@id\":\"" + MODEL + "\",\"@type\":\"Interface\",\"@context\":\"dtmi:dtdl:context;2\","
                + "\"contents\":[{\"@type\":\"Property\",\"name\":\"Temperature\",\"schema\":\"double\"}]}");
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults());
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        webhook.createContext("/api/allocate", exchange -> {
            try (exchange) {
                WebhookResponse response = handler.handle(exchange.getRequestBody().readAllBytes());
                byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", WebhookResponse.CONTENT_TYPE);
                exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        webhook.start();
        hub = new InMemoryLinkedHub(HUB);
        dps = DpsEmulator.builder()
                .mqttHost(LoopbackHosts.withFree8883())
                .linkedHub(hub)
                .enrollment(Enrollment.group("thermostats", GROUP_KEY)
                        .customAllocation("http://127.0.0.1:" + webhook.getAddress().getPort()
                                + "/api/allocate?code=k", "2021-10-01").build())
                .start();
    }

    @AfterAll
    static void stop() {
        dps.close();
        webhook.stop(0);
    }

    @ParameterizedTest
    @EnumSource(value = ProvisioningDeviceClientTransportProtocol.class, names = {"MQTT", "HTTPS"})
    void theSdksStringPayloadIsReadAsTheObjectAndTheTwinIsCreated(ProvisioningDeviceClientTransportProtocol protocol)
            throws Exception {
        String registrationId = "thermostat-" + protocol.name().toLowerCase(Locale.ROOT);

        ProvisioningDeviceClientRegistrationResult result = new ProvisioningSdk(dps).register(protocol,
                registrationId, ProvisioningSdk.derivedKey(GROUP_KEY, registrationId),
                "{\"modelId\":\"" + MODEL + "\"}");

        assertThat(result.getIothubUri()).isEqualTo(HUB);
        assertThat(adt.getTwin(registrationId)).hasValueSatisfying(twin ->
                assertThat(twin.modelId()).isEqualTo(MODEL));
        assertThat(hub.twin(registrationId)).hasValueSatisfying(twin -> {
            assertThat(twin.path("tags").path("dtId").asText()).isEqualTo(registrationId);
            assertThat(twin.path("tags").path("dtmi").asText()).isEqualTo(MODEL);
        });
    }
}
