package io.dpstwin.testkit.flows;

import com.microsoft.azure.sdk.iot.provisioning.device.AdditionalData;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.eventgrid.LifecycleWebhook;
import io.dpstwin.testkit.iothub.emulator.EventGridPush;
import io.dpstwin.testkit.iothub.emulator.EventGridPushOptions;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.junit.DpsEmulatorExtension;
import io.dpstwin.testkit.junit.ProvisioningClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference flow end to end, driven only through the official SDKs: a device registers with
 * {@code provisioning-device-client} through the DPS emulator, whose custom allocation calls core's webhook (which
 * creates the twin in the HTTPS ADT emulator through the real ADT SDK); the twin gets relationships; then the device
 * is deleted with {@code RegistryClient} in the emulated hub, and core's retire flow removes the twin with all its
 * relationships, once from the Event Hubs-shaped lifecycle event and once from the Event Grid push (handshake
 * included).
 */
class DeviceLifecycleThroughSdksTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().modelResources(Contoso.MODELS).build();

    @RegisterExtension
    static final DpsEmulatorExtension DEVICES = DpsEmulatorExtension.newInstance()
            .enrollmentGroup(Contoso.GROUP)
            .build();

    static HttpServer allocationWebhook;
    static volatile DpsTwin current;

    private AdtEmulator adtEmulator;
    private InMemoryDigitalTwins adt;
    private DpsTwin dpsTwin;

    @BeforeAll
    static void startTheAllocationWebhook() throws Exception {
        allocationWebhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        allocationWebhook.createContext("/api/allocate", exchange -> {
            try (exchange) {
                WebhookResponse response = current.allocation().handle(exchange.getRequestBody().readAllBytes());
                byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", WebhookResponse.CONTENT_TYPE);
                exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        allocationWebhook.start();
        DpsEmulator dps = DEVICES.dps();
        Enrollment group = dps.enrollments().group(Contoso.GROUP).orElseThrow();
        dps.enrollments().put(group.toBuilder().customAllocation("http://127.0.0.1:"
                + allocationWebhook.getAddress().getPort() + "/api/allocate?code=k", "2021-10-01").build());
    }

    @AfterAll
    static void stopTheAllocationWebhook() {
        allocationWebhook.stop(0);
    }

    @BeforeEach
    void setUp() {
        adtEmulator = ADT.emulator();
        adt = Contoso.direct(adtEmulator);
        dpsTwin = Contoso.dpsTwin(adtEmulator).build();
        current = dpsTwin;
        Contoso.room(adt, "room-1");
    }

    @AfterEach
    void tearDown() {
        dpsTwin.close();
    }

    /** Registers through DPS with the payload a device sends, and checks the twin core's webhook created. */
    private String registerAndRelate(String registrationId, ProvisioningDeviceClientTransportProtocol protocol)
            throws Exception {
        ProvisioningClientFactory provisioning = DEVICES.provisioning();
        ProvisioningDeviceClient client = provisioning.create(registrationId, protocol);
        ProvisioningDeviceClientRegistrationResult result;
        try {
            AdditionalData payload = new AdditionalData();
            payload.setProvisioningPayload("{\"modelId\":\"" + Contoso.THERMOSTAT + "\"}");
            result = client.registerDeviceSync(payload);
        } finally {
            client.close();
        }
        assertThat(result.getIothubUri()).isEqualTo(DEVICES.hub().hostName());
        assertThat(result.getDeviceId()).isEqualTo(registrationId);
        assertThat(adt.getTwin(registrationId)).hasValueSatisfying(twin ->
                assertThat(twin.modelId()).isEqualTo(Contoso.THERMOSTAT));
        assertThat(DEVICES.registryClient().getDevice(registrationId).getPrimaryKey())
                .isEqualTo(provisioning.deviceKey(registrationId));
        Contoso.relate(adt, registrationId, "feeds", "room-1");
        Contoso.relate(adt, "room-1", "contains", registrationId);
        return registrationId;
    }

    @Test
    @SuppressWarnings("try") // the route only has to be open while the device is deleted
    void aDeviceRegisteredThroughDpsOverMqttIsRetiredWithItsRelationshipsFromTheEventHubsShapedEvent()
            throws Exception {
        String id = registerAndRelate("sdk-thermo-eh", ProvisioningDeviceClientTransportProtocol.MQTT);
        IotHubEmulator hubs = DEVICES.hubs();
        assertThat(hubs.awaitIdle(Duration.ofSeconds(10))).isTrue();   // the creation's event goes first
        EventHubsLifecycleParser parser = new EventHubsLifecycleParser();
        List<ParsedEvent> routed = new CopyOnWriteArrayList<>();
        try (AutoCloseable route = hubs.onLifecycleEvent(event -> routed.add(parser.parse(
                event.applicationProperties(), event.iotHubSystemProperties(), event.body())))) {
            DEVICES.registryClient().removeDevice(id);
            assertThat(hubs.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }

        BatchResult result = dpsTwin.lifecycle().process(routed);

        assertThat(result.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
            assertThat(o.twinId()).isEqualTo(id);
        });
        assertThat(adt.getTwin(id)).isEmpty();
        assertThat(GraphSnapshot.of(adtEmulator.engine())).isEmpty();
        assertThat(adt.getTwin("room-1")).isPresent();
    }

    @Test
    void aDeviceRegisteredThroughDpsOverHttpsIsRetiredWithItsRelationshipsFromTheEventGridPush() throws Exception {
        String id = registerAndRelate("sdk-thermo-eg", ProvisioningDeviceClientTransportProtocol.HTTPS);
        IotHubEmulator hubs = DEVICES.hubs();
        assertThat(hubs.awaitIdle(Duration.ofSeconds(10))).isTrue();   // no push yet: the creation is not delivered
        LifecycleWebhook lifecycleWebhook = LifecycleWebhook.start(dpsTwin.lifecycle());
        try (EventGridPush push = hubs.pushEventGrid(EventGridPushOptions.webhook(lifecycleWebhook.uri())
                .retryDelays(Duration.ofMillis(100)))) {
            RegistryClient registry = DEVICES.registryClient();
            registry.removeDevice(id);
            assertThat(hubs.awaitIdle(Duration.ofSeconds(30))).isTrue();

            assertThat(push.deliveries()).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(EventGridPush.Outcome.DELIVERED);
                assertThat(d.eventType()).isEqualTo("Microsoft.Devices.DeviceDeleted");
            });
        } finally {
            lifecycleWebhook.close();
        }

        assertThat(lifecycleWebhook.results()).flatExtracting(BatchResult::outcomes).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.RETIRED);
        assertThat(adt.getTwin(id)).isEmpty();
        assertThat(GraphSnapshot.of(adtEmulator.engine())).isEmpty();
        assertThat(adt.getTwin("room-1")).isPresent();
    }
}
