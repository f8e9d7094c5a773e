package io.dpstwin.testkit.emulator;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.models.JsonPatchDocument;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.BasicRelationship;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.DigitalTwinsEventRoute;
import com.azure.digitaltwins.core.models.ListDigitalTwinsEventRoutesOptions;
import com.azure.digitaltwins.core.models.PublishComponentTelemetryOptions;
import com.azure.digitaltwins.core.models.PublishTelemetryOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.events.DigitalTwinsEvent;
import io.dpstwin.testkit.adt.events.EventType;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.dpstwin.testkit.emulator.AdtErrors.assertAdtError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event routes, notifications and telemetry through the official SDK's sync and async clients. Codes and messages
 * follow the live service as the Azure SDKs recorded it (EventRoutesTest: 404 EventRouteNotFound, 400
 * EventRouteFilterInvalid at the first unexpected input; the JavaScript SDK's recording: 400
 * EventRouteEndpointInvalid), attributes and bodies follow
 * https://learn.microsoft.com/azure/digital-twins/concepts-event-notifications.
 */
class AdtEmulatorEventRoutesTest extends OnAdtEmulator {

    private static final List<DigitalTwinsEvent> HEARD = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(ContractModels.ALL.toArray(String[]::new))
            .configure(builder -> builder.endpoint("everything").endpoint("creations").endpoint("listened", HEARD::add))
            .build();

    @BeforeEach
    void resetEmulator() {
        HEARD.clear();
    }

    private static BasicDigitalTwin device(String id) {
        return new BasicDigitalTwin(id).setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID))
                .addToContents("serial", "S-" + id);
    }

    private List<EventType> types(String endpoint) {
        return emulator.events().events(endpoint).stream().map(DigitalTwinsEvent::type).toList();
    }

    // ------------------------------------------------------------------------------------------------ route API

    @Test
    void createsReadsListsAndDeletesRoutesSync() {
        String filter = "$eventType = 'DigitalTwinTelemetryMessages' or $eventType = 'DigitalTwinLifecycleNotification'";
        Response<Void> created = client.createOrReplaceEventRouteWithResponse("route-1",
                new DigitalTwinsEventRoute("everything").setFilter(filter), Context.NONE);
        for (int i = 2; i <= 5; i++) {
            client.createOrReplaceEventRoute("route-" + i, new DigitalTwinsEventRoute("creations").setFilter("true"));
        }

        assertThat(created.getStatusCode()).isEqualTo(204);
        DigitalTwinsEventRoute read = client.getEventRoute("route-1");
        assertThat(read.getEventRouteId()).isEqualTo("route-1");
        assertThat(read.getEndpointName()).isEqualTo("everything");
        assertThat(read.getFilter()).isEqualTo(filter);
        List<PagedResponse<DigitalTwinsEventRoute>> pages = new ArrayList<>();
        client.listEventRoutes(new ListDigitalTwinsEventRoutesOptions().setMaxItemsPerPage(2), Context.NONE)
                .iterableByPage().forEach(pages::add);
        assertThat(pages).extracting(p -> p.getValue().size()).containsExactly(2, 2, 1);
        assertThat(pages.stream().flatMap(p -> p.getValue().stream()).map(DigitalTwinsEventRoute::getEventRouteId))
                .containsExactly("route-1", "route-2", "route-3", "route-4", "route-5");
        assertThat(client.listEventRoutes().stream()).hasSize(5);

        client.createOrReplaceEventRoute("route-1", new DigitalTwinsEventRoute("creations").setFilter("false"));
        assertThat(client.getEventRoute("route-1").getEndpointName()).as("replaced").isEqualTo("creations");
        Response<Void> deleted = client.deleteEventRouteWithResponse("route-1", Context.NONE);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertAdtError(() -> client.getEventRoute("route-1"), 404, "EventRouteNotFound",
                "There is no route available that matches the provided input");
        assertAdtError(() -> client.deleteEventRoute("route-1"), 404, "EventRouteNotFound", "EventRoute_List");
        assertThat(emulator.counters().count(AdtOperation.PUT_EVENT_ROUTE)).isEqualTo(6);
    }

    @Test
    void refusesWhatAdtRefusesSync() {
        assertAdtError(() -> client.createOrReplaceEventRoute("bad-filter", new DigitalTwinsEventRoute("everything")
                .setFilter("this is not a valid filter string")), 400, "EventRouteFilterInvalid",
                "The provided filter is invalid. Parsing error, Line=1, Position=6, Message=Unexpected input 'is'");
        assertAdtError(() -> client.createOrReplaceEventRoute("no-filter", new DigitalTwinsEventRoute("everything")),
                400, "EventRouteFilterInvalid", "The provided filter is invalid");
        assertAdtError(() -> client.createOrReplaceEventRoute("bad-endpoint", new DigitalTwinsEventRoute("undeclared")
                .setFilter("true")), 400, "EventRouteEndpointInvalid",
                "The endpoint provided does not exist or is not active");
        for (int i = 0; i < 6; i++) {
            client.createOrReplaceEventRoute("r" + i, new DigitalTwinsEventRoute("everything").setFilter("false"));
        }
        assertAdtError(() -> client.createOrReplaceEventRoute("r6", new DigitalTwinsEventRoute("everything")
                .setFilter("true")), 400, "LimitExceeded", "maximum number of event routes");
        client.createOrReplaceEventRoute("r5", new DigitalTwinsEventRoute("creations").setFilter("true"));
        assertThat(emulator.events().routes()).hasSize(6).noneMatch(r -> r.id().startsWith("bad"));
    }

    @Test
    void servesRoutesAsync() {
        Response<Void> created = asyncClient.createOrReplaceEventRouteWithResponse("async-1",
                new DigitalTwinsEventRoute("everything").setFilter("type = 'microsoft.iot.telemetry'")).block();
        asyncClient.createOrReplaceEventRoute("async-2", new DigitalTwinsEventRoute("creations").setFilter("true"))
                .block();

        assertThat(created).isNotNull();
        assertThat(created.getStatusCode()).isEqualTo(204);
        assertThat(asyncClient.getEventRoute("async-1").block()).isNotNull()
                .satisfies(r -> assertThat(r.getFilter()).isEqualTo("type = 'microsoft.iot.telemetry'"));
        assertThat(asyncClient.listEventRoutes(new ListDigitalTwinsEventRoutesOptions().setMaxItemsPerPage(1))
                .byPage().collectList().block()).hasSize(2);
        assertAdtError(() -> asyncClient.createOrReplaceEventRoute("async-3", new DigitalTwinsEventRoute("everything")
                .setFilter("type = ")).block(), 400, "EventRouteFilterInvalid", "Unexpected end of input");
        assertAdtError(() -> asyncClient.createOrReplaceEventRoute("async-3", new DigitalTwinsEventRoute("nowhere")
                .setFilter("true")).block(), 400, "EventRouteEndpointInvalid", "does not exist");
        asyncClient.deleteEventRoute("async-1").block();
        assertAdtError(() -> asyncClient.getEventRoute("async-1").block(), 404, "EventRouteNotFound", "no route");
        assertAdtError(() -> asyncClient.deleteEventRoute("async-1").block(), 404, "EventRouteNotFound", "no route");
    }

    // ------------------------------------------------------------------------------------------------ notifications

    @Test
    void routesTwinAndRelationshipNotificationsThroughTheirFiltersSync() {
        client.createOrReplaceEventRoute("all", new DigitalTwinsEventRoute("everything").setFilter("true"));
        client.createOrReplaceEventRoute("creates", new DigitalTwinsEventRoute("creations")
                .setFilter("type = 'Microsoft.DigitalTwins.Twin.Create' OR type = "
                        + "'Microsoft.DigitalTwins.Relationship.Create'"));
        client.createOrReplaceDigitalTwin("gw-1", new BasicDigitalTwin("gw-1").setMetadata(
                new BasicDigitalTwinMetadata().setModelId(ContractModels.GATEWAY_ID)), BasicDigitalTwin.class);
        BasicDigitalTwin created = client.createOrReplaceDigitalTwin("dev-1", device("dev-1"), BasicDigitalTwin.class);

        client.updateDigitalTwin("dev-1", new JsonPatchDocument().appendReplace("/serial", "S2")
                .appendAdd("/temperature", 21.5));
        client.createOrReplaceRelationship("dev-1", "r1", new BasicRelationship("r1", "dev-1", "gw-1", "connectedTo")
                .addProperty("since", "2024"), BasicRelationship.class);
        client.updateRelationship("dev-1", "r1", new JsonPatchDocument().appendReplace("/since", "2025"));
        client.deleteRelationship("dev-1", "r1");
        client.deleteDigitalTwin("dev-1");

        assertThat(types("everything")).containsExactly(EventType.TWIN_CREATE, EventType.TWIN_CREATE,
                EventType.TWIN_UPDATE, EventType.RELATIONSHIP_CREATE, EventType.RELATIONSHIP_UPDATE,
                EventType.RELATIONSHIP_DELETE, EventType.TWIN_DELETE);
        assertThat(types("creations")).containsExactly(EventType.TWIN_CREATE, EventType.TWIN_CREATE,
                EventType.RELATIONSHIP_CREATE);
        List<DigitalTwinsEvent> events = emulator.events().events("everything");
        DigitalTwinsEvent create = events.get(1);
        assertThat(create.subject()).isEqualTo("dev-1");
        assertThat(create.source()).isEqualTo("localhost");
        assertThat(create.data().get("$etag").asText()).isEqualTo(created.getETag());
        assertThat(create.data().at("/$metadata/$model").asText()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(create.traceParent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        JsonNode update = events.get(2).data();
        assertThat(update.get("modelId").asText()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(update.get("patch")).hasSize(2);
        assertThat(update.get("patch").get(0).get("op").asText()).isEqualTo("replace");
        assertThat(update.get("patch").get(0).get("path").asText()).isEqualTo("/serial");
        assertThat(update.get("patch").get(0).get("value").asText()).isEqualTo("S2");
        DigitalTwinsEvent relationship = events.get(3);
        assertThat(relationship.subject()).isEqualTo("dev-1/relationships/r1");
        assertThat(relationship.data().get("$targetId").asText()).isEqualTo("gw-1");
        assertThat(relationship.data().get("since").asText()).isEqualTo("2024");
        assertThat(events.get(4).data().get("patch").get(0).get("value").asText()).isEqualTo("2025");
        assertThat(events.get(5).data().get("since").asText()).as("last state before the delete").isEqualTo("2025");
        assertThat(events.get(6).data().get("temperature").asDouble()).isEqualTo(21.5);
        assertThat(events).extracting(DigitalTwinsEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void routesNotificationsOfAsyncCallsAndFeedsListeners() {
        asyncClient.createOrReplaceEventRoute("listen", new DigitalTwinsEventRoute("listened")
                .setFilter("$eventType = 'DigitalTwinLifecycleNotification' AND STARTS_WITH(subject, 'keep-')"))
                .block();

        asyncClient.createOrReplaceDigitalTwin("keep-1", device("keep-1"), BasicDigitalTwin.class).block();
        asyncClient.createOrReplaceDigitalTwin("drop-1", device("drop-1"), BasicDigitalTwin.class).block();
        asyncClient.createOrReplaceDigitalTwin("keep-1", device("keep-1").addToContents("temperature", 3.0),
                BasicDigitalTwin.class).block();
        asyncClient.deleteDigitalTwin("keep-1").block();

        assertThat(emulator.events().awaitDelivery(Duration.ofSeconds(10))).isTrue();
        assertThat(HEARD).extracting(DigitalTwinsEvent::type)
                .containsExactly(EventType.TWIN_CREATE, EventType.TWIN_DELETE);
        assertThat(HEARD).extracting(DigitalTwinsEvent::subject).containsOnly("keep-1");
        assertThat(emulator.events().events("listened")).hasSize(2);
    }

    @Test
    void replacingATwinNotifiesAnUpdateWithTheDifference() {
        client.createOrReplaceEventRoute("updates", new DigitalTwinsEventRoute("everything")
                .setFilter("type = 'Microsoft.DigitalTwins.Twin.Update'"));
        client.createOrReplaceDigitalTwin("dev-1", device("dev-1").addToContents("temperature", 1.0),
                BasicDigitalTwin.class);

        client.createOrReplaceDigitalTwin("dev-1", device("dev-1").addToContents("mode", "auto"),
                BasicDigitalTwin.class);
        client.createOrReplaceDigitalTwin("dev-1", device("dev-1").addToContents("mode", "auto"),
                BasicDigitalTwin.class);

        List<DigitalTwinsEvent> updates = emulator.events().events("everything");
        assertThat(updates).as("an identical replace changes nothing").hasSize(1);
        assertThat(updates.get(0).data().get("patch").toString())
                .contains("{\"value\":\"auto\",\"path\":\"/mode\",\"op\":\"add\"}")
                .contains("{\"path\":\"/temperature\",\"op\":\"remove\"}");
    }

    // ------------------------------------------------------------------------------------------------ telemetry

    @Test
    void publishesTelemetryThroughRoutesSync() {
        client.createOrReplaceEventRoute("hot", new DigitalTwinsEventRoute("everything")
                .setFilter("type = 'microsoft.iot.telemetry' AND $body.reading > 20"));
        client.createOrReplaceDigitalTwin("dev-1", device("dev-1"), BasicDigitalTwin.class);
        OffsetDateTime measured = OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);

        Response<Void> published = client.publishTelemetryWithResponse("dev-1", "msg-1", Map.of("reading", 25.5),
                new PublishTelemetryOptions().setTimestamp(measured), Context.NONE);
        client.publishTelemetry("dev-1", "msg-2", Map.of("reading", 5.0));
        client.publishTelemetry("dev-1", "msg-3", AdtJson.parse("{\"reading\": 30}"));
        assertAdtError(() -> client.publishTelemetry("dev-1", "msg-4", "{\"reading\": 40}"), 400, "InvalidArgument",
                "must be a JSON object, found string");

        assertThat(published.getStatusCode()).isEqualTo(204);
        List<DigitalTwinsEvent> hot = emulator.events().events("everything");
        assertThat(hot).extracting(DigitalTwinsEvent::id).containsExactly("msg-1", "msg-3");
        DigitalTwinsEvent first = hot.get(0);
        assertThat(first.type().cloudEventType()).isEqualTo("microsoft.iot.telemetry");
        assertThat(first.source()).isEqualTo("localhost/digitaltwins/dev-1");
        assertThat(first.subject()).isNull();
        assertThat(first.dataSchema()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(first.data().get("reading").asDouble()).isEqualTo(25.5);
        assertThat(OffsetDateTime.parse(first.telemetrySourceTime()).toInstant()).isEqualTo(measured.toInstant());
        assertThat(client.getDigitalTwin("dev-1", BasicDigitalTwin.class).getContents())
                .as("telemetry is not stored on the twin").doesNotContainKey("reading");
        assertAdtError(() -> client.publishTelemetry("missing", "msg-5", Map.of("reading", 1)), 404,
                "DigitalTwinNotFound", "missing");
        assertThat(emulator.counters().count(AdtOperation.PUBLISH_TELEMETRY)).isEqualTo(5);
    }

    @Test
    void publishesComponentTelemetryAsync() {
        asyncClient.createOrReplaceEventRoute("telemetry", new DigitalTwinsEventRoute("everything")
                .setFilter("$eventType = 'DigitalTwinTelemetryMessages'")).block();
        BasicDigitalTwin thermostat = new BasicDigitalTwin("th-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.THERMOSTAT_ID))
                .addToContents("info", Map.of("$metadata", Map.of()));
        asyncClient.createOrReplaceDigitalTwin("th-1", thermostat, BasicDigitalTwin.class).block();

        Response<Void> published = asyncClient.publishComponentTelemetryWithResponse("th-1", "info", "m-1",
                Map.of("battery", 80), new PublishComponentTelemetryOptions()).block();
        asyncClient.publishTelemetry("th-1", "m-2", Map.of("setpointReached", true)).block();
        client.publishComponentTelemetry("th-1", "info", "m-sync", Map.of("battery", 79));

        assertThat(published).isNotNull();
        assertThat(published.getStatusCode()).isEqualTo(204);
        List<DigitalTwinsEvent> events = emulator.events().events("everything");
        assertThat(events).extracting(DigitalTwinsEvent::id).containsExactly("m-1", "m-2", "m-sync");
        assertThat(events.get(2).subject()).isEqualTo("info");
        assertThat(emulator.counters().count(AdtOperation.PUBLISH_COMPONENT_TELEMETRY)).isEqualTo(2);
        assertThat(events.get(0).subject()).isEqualTo("info");
        assertThat(events.get(0).dataSchema()).isEqualTo(ContractModels.DEVICE_INFO_ID);
        assertThat(events.get(1).dataSchema()).isEqualTo(ContractModels.THERMOSTAT_ID);
        assertAdtError(() -> asyncClient.publishComponentTelemetry("th-1", "absent", "m-3", Map.of("x", 1)).block(),
                404, "ComponentNotFound", "absent");
        assertAdtError(() -> asyncClient.publishTelemetry("nobody", "m-4", Map.of("x", 1)).block(), 404,
                "DigitalTwinNotFound", "nobody");
    }

    // ------------------------------------------------------------------------------------------------ webhook

    @Test
    void pushesRoutedEventsToAWebhookAsCloudEvents() throws Exception {
        BlockingQueue<String[]> posts = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/events", exchange -> {
            posts.add(new String[] {exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
        try (AdtEmulator pushing = AdtEmulator.builder().models(ContractModels.ALL.toArray(String[]::new))
                .webhookEndpoint("downstream", url).start()) {
            DigitalTwinsClient pushingClient = pushing.client();
            pushingClient.createOrReplaceEventRoute("push", new DigitalTwinsEventRoute("downstream")
                    .setFilter("true"));

            pushingClient.createOrReplaceDigitalTwin("dev-1", device("dev-1"), BasicDigitalTwin.class);
            pushingClient.publishTelemetry("dev-1", "t-1", Map.of("reading", 1.5));

            String[] first = posts.poll(10, TimeUnit.SECONDS);
            String[] second = posts.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(first[0]).isEqualTo("application/cloudevents+json; charset=utf-8");
            JsonNode create = AdtJson.parse(first[1]);
            assertThat(create.get("specversion").asText()).isEqualTo("1.0");
            assertThat(create.get("type").asText()).isEqualTo("Microsoft.DigitalTwins.Twin.Create");
            assertThat(create.get("subject").asText()).isEqualTo("dev-1");
            assertThat(create.at("/data/$dtId").asText()).isEqualTo("dev-1");
            JsonNode telemetry = AdtJson.parse(second[1]);
            assertThat(telemetry.get("id").asText()).isEqualTo("t-1");
            assertThat(telemetry.get("type").asText()).isEqualTo("microsoft.iot.telemetry");
            assertThat(telemetry.at("/data/reading").asDouble()).isEqualTo(1.5);
            assertThat(pushing.events().webhookFailures()).isZero();
            assertThat(pushing.events().events("downstream")).hasSize(2);
        } finally {
            receiver.stop(0);
        }
    }
}
