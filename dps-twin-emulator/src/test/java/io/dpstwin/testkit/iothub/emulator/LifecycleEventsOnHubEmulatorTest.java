package io.dpstwin.testkit.iothub.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.testkit.internal.Wire;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEventType;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Creating and deleting identities (through {@code RegistryClient} and through DPS's {@code LinkedHub} calls) emits
 * IoT Hub's lifecycle events, in order, to in-process subscribers and to an Event Grid webhook with the validation
 * handshake and Event Grid's retries.
 */
class LifecycleEventsOnHubEmulatorTest extends OnHubEmulatorWithServiceClients {

    HttpServer webhook;
    final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> eventTypeHeaders = new CopyOnWriteArrayList<>();
    final List<String> deliveryCounts = new CopyOnWriteArrayList<>();
    volatile boolean validate = true;

    @BeforeEach
    void setUp() throws Exception {
        registry = hub.registryClient();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("aeg-event-type");
            int status;
            String answer = "";
            if ("SubscriptionValidation".equals(type)) {
                JsonNode event = Wire.MAPPER.readTree(body).get(0);
                status = 200;
                answer = validate ? "{\"validationResponse\":\"" + event.path("data").path("validationCode").asText()
                        + "\"}" : "{}";
            } else {
                eventTypeHeaders.add(type);
                deliveryCounts.add(exchange.getRequestHeaders().getFirst("aeg-delivery-count"));
                Integer scripted = answers.poll();
                status = scripted == null ? 200 : scripted;
                if (status == 200) {
                    received.add(body);
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        webhook.stop(0);
        emulator.registry().clear();
    }

    private static JsonNode json(String body) {
        try {
            return Wire.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private URI webhookUri() {
        return URI.create("http://localhost:" + webhook.getAddress().getPort() + "/events");
    }

    private List<IotHubEvent> eventsAfter(int before) {
        assertThat(emulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        List<IotHubEvent> all = emulator.lifecycleEvents();
        return all.subList(before, all.size());
    }

    @Test
    @SuppressWarnings("try") // the subscription only has to be open while the registry changes
    void registryCreatesAndDeletesEmitDeviceAndModuleLifecycleEventsInOrder() throws Exception {
        List<IotHubEvent> seen = new CopyOnWriteArrayList<>();
        int before = emulator.lifecycleEvents().size();
        try (AutoCloseable subscription = emulator.onLifecycleEvent(seen::add)) {
            registry.addDevice(new Device("thermo-1"));
            registry.addModule(new Module("thermo-1", "sensor"));
            registry.removeModule("thermo-1", "sensor");
            registry.removeDevice("thermo-1");
            assertThat(emulator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }

        List<IotHubEvent> events = eventsAfter(before);
        assertThat(seen).containsExactlyElementsOf(events);
        assertThat(events).extracting(IotHubEvent::type).containsExactly(IotHubEventType.DEVICE_CREATED,
                IotHubEventType.DEVICE_CREATED, IotHubEventType.DEVICE_DELETED, IotHubEventType.DEVICE_DELETED);
        assertThat(events).extracting(e -> e.moduleId().orElse("-")).containsExactly("-", "sensor", "sensor", "-");
        IotHubEvent deleted = events.get(3);
        assertThat(deleted.applicationProperties()).containsEntry("hubName", "contoso-hub-1")
                .containsEntry("deviceId", "thermo-1").containsEntry("opType", "deleteDeviceIdentity")
                .containsEntry("iothub-message-schema", "deviceLifecycleNotification");
        assertThat(deleted.iotHubSystemProperties()).containsEntry("iothub-message-source", "deviceLifecycleEvents");
        assertThat(deleted.eventGridEvent().path("eventType").asText()).isEqualTo("Microsoft.Devices.DeviceDeleted");
        assertThat(events).extracting(e -> e.eventHubsPosition().sequenceNumber())
                .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void dpsAssignmentThroughTheLinkedHubCreatesTheDeviceWithItsKeyAndInitialTwin() throws Exception {
        int before = emulator.lifecycleEvents().size();
        String key = DeviceAuthentication.randomKey();
        ObjectNode twin = (ObjectNode) Wire.MAPPER.readTree(
                "{\"tags\":{\"dtId\":\"twin-7\"},\"properties\":{\"desired\":{\"interval\":30}}}");

        hub.register("thermo-7", key, twin);
        hub.deregister("thermo-7");
        hub.deregister("thermo-7");

        assertThat(eventsAfter(before)).extracting(IotHubEvent::type)
                .containsExactly(IotHubEventType.DEVICE_CREATED, IotHubEventType.DEVICE_DELETED);
        assertThat(eventsAfter(before).get(0).body()).contains("\"dtId\":\"twin-7\"");
        hub.register("thermo-7", key, twin);
        assertThat(emulator.registry().device(HUB, "thermo-7")).hasValueSatisfying(d -> {
            assertThat(d.authentication().primaryKey()).isEqualTo(key);
            assertThat(d.tags()).containsEntry("dtId", "twin-7");
            assertThat(d.desiredProperties()).containsEntry("interval", 30);
        });
        assertThat(hub.twin("thermo-7")).hasValueSatisfying(t ->
                assertThat(t.path("tags").path("dtId").asText()).isEqualTo("twin-7"));
    }

    @Test
    void eventGridValidatesTheWebhookThenPushesRetryingFailedDeliveries() throws Exception {
        EventGridPush push = emulator.pushEventGrid(EventGridPushOptions.webhook(webhookUri())
                .retryDelays(Duration.ofMillis(50)));
        try {
            answers.add(503);
            answers.add(500);
            registry.addDevice(new Device("thermo-1"));
            registry.addModule(new Module("thermo-1", "sensor"));
            registry.removeDevice("thermo-1");
            assertThat(emulator.awaitIdle(Duration.ofSeconds(10))).isTrue();

            // The two scripted failures go to whichever delivery comes first: the creation, or the deletion when it
            // overtakes the creation's retry (Event Grid does not keep order either). Either way both are retried
            // until delivered, in four attempts in all.
            assertThat(push.deliveries()).extracting(EventGridPush.Delivery::eventType, EventGridPush.Delivery::outcome)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("Microsoft.Devices.DeviceCreated",
                                    EventGridPush.Outcome.DELIVERED),
                            org.assertj.core.groups.Tuple.tuple("Microsoft.Devices.DeviceDeleted",
                                    EventGridPush.Outcome.DELIVERED));
            assertThat(push.deliveries().stream().mapToInt(EventGridPush.Delivery::attempts).sum()).isEqualTo(4);
            assertThat(received).hasSize(2);
            JsonNode deleted = received.stream().map(LifecycleEventsOnHubEmulatorTest::json)
                    .filter(b -> b.get(0).path("eventType").asText().endsWith("DeviceDeleted")).findFirst()
                    .orElseThrow();
            assertThat(deleted.isArray()).isTrue();
            assertThat(deleted.get(0).path("data").path("hubName").asText()).isEqualTo("contoso-hub-1");
            assertThat(deleted.get(0).path("subject").asText()).isEqualTo("devices/thermo-1");
            assertThat(eventTypeHeaders).containsOnly("Notification");
            // aeg-delivery-count numbers each delivery's attempts 0, 1, ...
            assertThat(deliveryCounts).containsExactlyInAnyOrderElementsOf(push.deliveries().stream()
                    .flatMap(d -> java.util.stream.IntStream.range(0, d.attempts()).mapToObj(Integer::toString))
                    .toList());
        } finally {
            push.close();
        }
    }

    @Test
    void a400IsNotRetriedAndAWebhookThatFailsTheHandshakeGetsNoSubscription() throws Exception {
        try (EventGridPush push = emulator.pushEventGrid(EventGridPushOptions.webhook(webhookUri())
                .retryDelays(Duration.ofMillis(50)))) {
            answers.add(400);
            registry.addDevice(new Device("thermo-1"));
            assertThat(emulator.awaitIdle(Duration.ofSeconds(10))).isTrue();

            assertThat(push.deliveries()).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(EventGridPush.Outcome.DROPPED);
                assertThat(d.attempts()).isEqualTo(1);
                assertThat(d.lastStatus()).isEqualTo(400);
            });
        }
        validate = false;
        assertThatThrownBy(() -> emulator.pushEventGrid(webhookUri()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("validation handshake");
        assertThatThrownBy(() -> emulator.pushEventGrid(URI.create("http://localhost:1/none")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be reached");
    }
}
