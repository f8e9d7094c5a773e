package io.dpstwin.testkit.dps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MalformedRequestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AllocationRequestBuilder valid = DpsRequests.group("g").registrationId("dev-1")
            .linkedHubs("hub-a.azure-devices.net", "hub-b.azure-devices.net").modelId("dtmi:com:example:T;1");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void namedHelpersProduceTheClassicBadRequests() throws Exception {
        MalformedRequest bad = valid.malformed();

        assertThat(json(bad.withoutLinkedHubs().toJson()).has("linkedHubs")).isFalse();
        assertThat(json(bad.withEmptyLinkedHubs().toJson()).get("linkedHubs").isArray()).isTrue();
        assertThat(json(bad.withEmptyLinkedHubs().toJson()).get("linkedHubs")).isEmpty();
        assertThat(json(bad.withLinkedHubsAsString().toJson()).get("linkedHubs").asText())
                .isEqualTo("hub-a.azure-devices.net");
        assertThat(json(bad.withPayloadAsArray().toJson()).at("/deviceRuntimeContext/payload"))
                .isEqualTo(json("[\"dtmi:com:example:T;1\"]"));
        assertThat(json(bad.withPayloadAsString().toJson()).at("/deviceRuntimeContext/payload").asText())
                .isEqualTo("modelId=dtmi:com:example:T;1");
        assertThat(json(bad.withModelIdAsNumber().toJson()).at("/deviceRuntimeContext/payload/modelId").isInt())
                .isTrue();
        assertThat(json(bad.withRegistrationIdAsNumber().toJson()).at("/deviceRuntimeContext/registrationId")
                .isNumber()).isTrue();
        assertThat(json(bad.withoutRegistrationId().toJson()).get("deviceRuntimeContext").has("registrationId"))
                .isFalse();
        assertThat(json(bad.withoutDeviceRuntimeContext().toJson()).has("deviceRuntimeContext")).isFalse();
        assertThat(json(bad.withoutEnrollment().toJson()).has("enrollmentGroup")).isFalse();
    }

    @Test
    void helpersChainAndNeverChangeTheStartingPoint() throws Exception {
        MalformedRequest bad = valid.malformed();
        String before = bad.toJson();

        JsonNode both = json(bad.withoutLinkedHubs().withRegistrationIdAsNumber().toJson());

        assertThat(both.has("linkedHubs")).isFalse();
        assertThat(both.at("/deviceRuntimeContext/registrationId").isNumber()).isTrue();
        assertThat(bad.toJson()).isEqualTo(before).isEqualTo(valid.toJson());
    }

    @Test
    void genericRemoveAndSetWorkByJsonPointer() throws Exception {
        MalformedRequest bad = valid.malformed()
                .remove("/linkedHubs/0")
                .remove("/does/not/exist")
                .set("/deviceRuntimeContext/payload/nested/deep", true)
                .set("/enrollmentGroup/allocationPolicy", null);
        JsonNode node = json(bad.toJson());

        assertThat(node.get("linkedHubs")).isEqualTo(json("[\"hub-b.azure-devices.net\"]"));
        assertThat(node.at("/deviceRuntimeContext/payload/nested/deep").asBoolean()).isTrue();
        assertThat(node.at("/enrollmentGroup/allocationPolicy").isNull()).isTrue();
        assertThat(bad.toObjectNode()).isEqualTo(node);
        assertThatThrownBy(() -> valid.malformed().set("", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedJsonDoesNotParse() {
        assertThatThrownBy(() -> MAPPER.readTree(valid.malformed().toTruncatedJson()))
                .isInstanceOf(JsonProcessingException.class);
    }
}
