package io.dpstwin.testkit.adt.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.adt.AdtJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route filter language as ADT documents it (how-to-create-routes#filter-events). */
class RouteFilterTest {

    private static final JsonNode TWIN = AdtJson.parse("{\"$dtId\":\"floor-1\",\"$metadata\":{\"$model\":"
            + "\"dtmi:example:com:floor4;2\"},\"temperature\":21.5,\"poweredOn\":true,\"label\":null}");

    private static DigitalTwinsEvent event(EventType type, String subject, JsonNode data) {
        return new DigitalTwinsEvent("e-1", type, "contoso.api.wus2.digitaltwins.azure.net", subject,
                type == EventType.TELEMETRY ? "dtmi:example:com:floor4;2" : null, Instant.parse("2024-05-01T12:00:00Z"),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", data, null);
    }

    private static final DigitalTwinsEvent CREATE = event(EventType.TWIN_CREATE, "floor-1", TWIN);
    private static final DigitalTwinsEvent TELEMETRY = event(EventType.TELEMETRY, "thermostat",
            AdtJson.parse("{\"temperature\":30,\"unit\":\"C\"}"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "true | true | true",
            "false | false | false",
            "type = 'Microsoft.DigitalTwins.Twin.Create' | true | false",
            "type != 'microsoft.iot.telemetry' | true | false",
            "type = 'x' OR true | true | true",
            "$eventType = 'DigitalTwinTelemetryMessages' or $eventType = 'DigitalTwinLifecycleNotification' | true | true",
            "$eventType = 'DigitalTwinChangeNotification' | false | false",
            "subject = 'floor-1' | true | false",
            "CONTAINS(subject, 'therm') | false | true",
            "STARTS_WITH($body.$metadata.$model, 'dtmi:example:com:floor') | true | false",
            "ENDS_WITH($body.$metadata.$model, 'floor4;2') | true | false",
            "dataschema = 'dtmi:example:com:floor4;2' | false | true",
            "$body.temperature <= 21.5 | true | false",
            "$body.temperature > 25 AND $body.unit = 'C' | false | true",
            "$body.poweredOn = true | true | false",
            "$body.label = null | true | true",
            "$body.label != null | false | false",
            "NOT (type = 'microsoft.iot.telemetry') | true | false",
            "(type != 'microsoft.iot.telemetry' OR datacontenttype = 'application/json') OR (specversion != '1.0') | true | true",
            "source = 'contoso.api.wus2.digitaltwins.azure.net' and id = 'e-1' | true | true",
    })
    void evaluatesDocumentedFilters(String filter, boolean onCreate, boolean onTelemetry) {
        RouteFilter parsed = RouteFilter.parse(filter);

        assertThat(parsed.matches(CREATE)).as("%s on a twin create", filter).isEqualTo(onCreate);
        assertThat(parsed.matches(TELEMETRY)).as("%s on telemetry", filter).isEqualTo(onTelemetry);
        assertThat(parsed.text()).isEqualTo(filter);
    }

    @Test
    void reportsTheFirstUnexpectedInputWithItsPositionAsAdtDoes() {
        assertThatThrownBy(() -> RouteFilter.parse("this is not a valid filter string"))
                .isInstanceOf(RouteFilter.RouteFilterException.class)
                .hasMessage("Parsing error, Line=1, Position=6, Message=Unexpected input 'is'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "type =", "type = 'x' AND", "(true", "STARTS_WITH(subject)", "type = 'open",
            "colour = 'red'", "$body. = 1", "type ! 'x'", "type = 'x' #"})
    void refusesMalformedFilters(String filter) {
        assertThatThrownBy(() -> RouteFilter.parse(filter)).isInstanceOf(RouteFilter.RouteFilterException.class)
                .hasMessageStartingWith("Parsing error, Line=1, Position=");
    }

    @Test
    void cloudEventCarriesAdtsAttributes() {
        JsonNode cloudEvent = TELEMETRY.toCloudEvent();

        assertThat(cloudEvent.get("specversion").asText()).isEqualTo("1.0");
        assertThat(cloudEvent.get("type").asText()).isEqualTo("microsoft.iot.telemetry");
        assertThat(cloudEvent.get("subject").asText()).isEqualTo("thermostat");
        assertThat(cloudEvent.get("dataschema").asText()).isEqualTo("dtmi:example:com:floor4;2");
        assertThat(cloudEvent.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(cloudEvent.get("time").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(cloudEvent.get("data").get("temperature").asInt()).isEqualTo(30);
        assertThat(CREATE.toCloudEvent().has("dataschema")).isFalse();
    }
}
