package io.dpstwin.core.allocation;

import io.dpstwin.core.support.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ResponseWriter} must write exactly what Jackson's serialization of the response records writes. */
class ResponseWriterTest {

    private static void assertSameAsJackson(AllocationResponse response) throws Exception {
        assertThat(ResponseWriter.write(response)).isEqualTo(Json.MAPPER.writeValueAsString(response));
    }

    @Test
    void writesTheUsualAnswerAsJacksonDoes() throws Exception {
        AllocationResponse response = new AllocationResponse("hub-1.azure-devices.net",
                InitialTwin.of(Map.of("dtId", "dev-1"), Map.of()), null);

        assertSameAsJackson(response);
        assertThat(ResponseWriter.write(response)).isEqualTo(
                "{\"iotHubHostName\":\"hub-1.azure-devices.net\",\"initialTwin\":{\"tags\":{\"dtId\":\"dev-1\"},"
                        + "\"properties\":{\"desired\":{}}}}");
    }

    @Test
    void writesEveryPartAndEveryKindOfValueAsJacksonDoes() throws Exception {
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("dtId", "dev-\"1\"\n\u00e9");
        tags.put("dtmi", "dtmi:com:example:Thermostat;1");
        tags.put("site", Map.of("floor", 3));
        tags.put("none", null);
        Map<String, Object> desired = new LinkedHashMap<>();
        desired.put("mode", "eco");
        desired.put("limits", Arrays.asList(1, 2.5, null, true, new BigDecimal("1.10"), List.of("a")));
        Map<String, Object> payload = Map.of("greeting", "hello");

        assertSameAsJackson(new AllocationResponse("h", InitialTwin.of(tags, desired), payload));
    }

    @Test
    void leavesOutWhatIsNullAsJacksonDoes() throws Exception {
        assertSameAsJackson(new AllocationResponse("h", null, null));
        assertSameAsJackson(new AllocationResponse("h", new InitialTwin(null, null), Map.of()));
        assertSameAsJackson(new AllocationResponse("h", new InitialTwin(Map.of(), new InitialTwin.Properties(null)),
                null));
    }
}
