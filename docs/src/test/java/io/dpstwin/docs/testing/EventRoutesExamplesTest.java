package io.dpstwin.docs.testing;

import com.azure.core.exception.HttpResponseException;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.DigitalTwinsEventRoute;
import io.dpstwin.testkit.adt.events.DigitalTwinsEvent;
import io.dpstwin.testkit.adt.events.EventType;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event route, telemetry and String-body examples of docs/testing.md and docs/adt-gateway.md. */
class EventRoutesExamplesTest {

    @Test
    void deliversNotificationsAndTelemetryToDeclaredEndpoints() {
        // tag::event-routes[]
        try (AdtEmulator adt = AdtEmulator.builder()
                .modelResources("models/room.json", "models/thermostat.json")
                .endpoint("downstream")                  // as created in ADT's control plane; also .webhookEndpoint(name, url)
                .start()) {
            DigitalTwinsClient client = adt.client();
            client.createOrReplaceEventRoute("lifecycle", new DigitalTwinsEventRoute("downstream")
                    .setFilter("type = 'Microsoft.DigitalTwins.Twin.Create' OR type = 'microsoft.iot.telemetry'"));

            new ThermostatOnboarding(client).register("thermostat-1", "SN-001");
            client.publishTelemetry("thermostat-1", "message-1", Map.of("temperature", 21.5));

            List<DigitalTwinsEvent> received = adt.events().events("downstream");
            assertThat(received).extracting(DigitalTwinsEvent::type)
                    .containsExactly(EventType.TWIN_CREATE, EventType.TELEMETRY);
            assertThat(received.get(1).id()).isEqualTo("message-1");                  // the Message-Id
            assertThat(received.get(1).source()).isEqualTo("localhost/digitaltwins/thermostat-1");
            assertThat(received.get(1).toCloudEvent().get("type").asText()).isEqualTo("microsoft.iot.telemetry");
        }
        // end::event-routes[]
    }

    @Test
    void refusesAStringTwinBody() {
        try (AdtEmulator adt = AdtEmulator.builder()
                .modelResources("models/room.json", "models/thermostat.json").start()) {
            DigitalTwinsClient client = adt.client();
            // tag::string-body[]
            String json = "{\"$metadata\":{\"$model\":\"dtmi:com:example:Thermostat;1\"},\"serialNumber\":\"SN-1\"}";
            // azure-digitaltwins-core 1.5.0 sends a String as a JSON string literal: ADT answers 400, so does the emulator
            assertThatThrownBy(() -> client.createOrReplaceDigitalTwin("thermostat-1", json, String.class))
                    .isInstanceOfSatisfying(HttpResponseException.class,
                            e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(400));

            BasicDigitalTwin twin = new BasicDigitalTwin("thermostat-1")   // or a Map, or a Jackson JsonNode
                    .setMetadata(new BasicDigitalTwinMetadata().setModelId("dtmi:com:example:Thermostat;1"))
                    .addToContents("serialNumber", "SN-1");
            client.createOrReplaceDigitalTwin("thermostat-1", twin, BasicDigitalTwin.class);
            // end::string-body[]
            assertThat(adt.engine().twinIds()).containsExactly("thermostat-1");
        }
    }
}
