package io.dpstwin.core.allocation;

import io.dpstwin.core.testing.Concurrently;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.TwinIdStrategy;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dpstwin.core.allocation.Requests.GROUP_ID;
import static io.dpstwin.core.allocation.Requests.HUB_A;
import static io.dpstwin.core.allocation.Requests.HUB_B;
import static io.dpstwin.core.allocation.Requests.SPACE;
import static io.dpstwin.core.allocation.Requests.spaceInGroupElseThermostat;
import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.body;
import static io.dpstwin.core.allocation.Requests.context;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.individual;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Successful allocations: the reference flow, model resolution, twin ids, mismatch policies, the answer. */
class DpsAllocationHandlerTest {

    private final HandFakeGateway adt = new HandFakeGateway();

    private WebhookResponse handle(AllocationOptions options, JsonNode request) {
        return new DpsAllocationHandler(adt, options).handle(text(request));
    }

    private WebhookResponse handle(JsonNode request) {
        return handle(AllocationOptions.defaults(), request);
    }

    private static JsonNode ok(WebhookResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    @Test
    void allocatesANewDeviceLikeTheReferenceFlow() {
        WebhookResponse response = handle(group("breakroom499-contoso-tstrsd-007", THERMOSTAT));

        JsonNode answer = ok(response);
        assertThat(answer.path("iotHubHostName").asText()).isEqualTo(HUB_A);
        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText())
                .isEqualTo("breakroom499-contoso-tstrsd-007");
        assertThat(answer.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(THERMOSTAT);
        assertThat(answer.path("initialTwin").path("properties").path("desired").isObject()).isTrue();
        assertThat(answer.has("payload")).isFalse();
        assertThat(answer.fieldNames()).toIterable().containsExactly("iotHubHostName", "initialTwin");
        assertThat(answer.path("initialTwin").fieldNames()).toIterable().containsExactly("tags", "properties");
        assertThat(answer.path("initialTwin").path("properties").fieldNames()).toIterable().containsExactly("desired");
        assertThat(adt.getTwin("breakroom499-contoso-tstrsd-007"))
                .hasValueSatisfying(twin -> assertThat(twin.modelId()).isEqualTo(THERMOSTAT));
        assertThat(adt.calls("createTwinIfAbsent")).isEqualTo(1);
        assertThat(adt.calls("query")).isZero();
    }

    @Test
    void aReRegistrationFindsTheTwinWithoutWriting() {
        handle(group("dev-1", THERMOSTAT));
        ObjectNode again = group("dev-1", THERMOSTAT);
        context(again).put("currentIotHubHostName", HUB_A).put("currentDeviceId", "dev-1");

        JsonNode answer = ok(handle(again));

        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("dev-1");
        assertThat(adt.calls("createTwinIfAbsent")).isEqualTo(1);
        assertThat(adt.twinCount()).isEqualTo(1);
    }

    @Test
    void theTwinOfAnIndividualEnrollmentIsNamedAfterItsDeviceId() {
        JsonNode answer = ok(handle(individual("reg-1", "Boiler-7", THERMOSTAT)));

        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("Boiler-7");
        assertThat(adt.getTwin("Boiler-7")).isPresent();
        assertThat(adt.getTwin("reg-1")).isEmpty();
    }

    @Test
    void theTwinOfAnIndividualEnrollmentWithoutDeviceIdIsNamedAfterTheRegistrationId() {
        ok(handle(individual("reg-2", null, THERMOSTAT)));

        assertThat(adt.getTwin("reg-2")).isPresent();
    }

    @Test
    void theTwinIdStrategyIsConfigurable() {
        AllocationOptions options = AllocationOptions.builder().twinIdStrategy(TwinIdStrategy.prefixed("device-"))
                .build();

        JsonNode answer = ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("device-dev-1");
        assertThat(adt.getTwin("device-dev-1")).isPresent();
    }

    @Test
    void aTwinIdStrategyReturningNothingIsABugAnswered503() {
        AllocationOptions options = AllocationOptions.builder().twinIdStrategy(deviceId -> "").build();

        WebhookResponse response = handle(options, group("dev-1", THERMOSTAT));

        assertThat(response.status()).isEqualTo(503);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INTERNAL_ERROR);
        assertThat(adt.twinCount()).isZero();
    }

    @Test
    void acceptsUppercaseRegistrationIdsWhenConfigured() {
        AllocationOptions options = AllocationOptions.builder().acceptUppercaseRegistrationIds(true).build();

        ok(handle(options, group("Dev-1", THERMOSTAT)));

        assertThat(adt.getTwin("Dev-1")).isPresent();
    }

    @Test
    void newTwinsGetTheInitialPropertiesOfTheirModel() {
        AllocationOptions options = AllocationOptions.builder()
                .initialProperties(THERMOSTAT, Map.of("Temperature", 0.0))
                .build();

        ok(handle(options, group("dev-1", THERMOSTAT)));
        ok(handle(options, group("dev-2", SPACE)));

        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).containsEntry("Temperature", 0.0);
        assertThat(adt.getTwin("dev-2").orElseThrow().properties()).isEmpty();
    }

    @Test
    void existingTwinsKeepTheirPropertiesOnReRegistration() {
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", THERMOSTAT, Map.of("Temperature", 21.5)));
        AllocationOptions options = AllocationOptions.builder()
                .initialProperties(THERMOSTAT, Map.of("Temperature", 0.0))
                .build();

        ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).containsEntry("Temperature", 21.5);
    }

    @Test
    void aComputedInitialPropertiesProviderSeesModelAndRequest() {
        AllocationOptions options = AllocationOptions.builder()
                .initialPropertiesProvider((modelId, request) -> Map.of("serial", request.registrationId()))
                .build();

        ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(adt.getTwin("dev-1").orElseThrow().properties()).containsEntry("serial", "dev-1");
    }

    // ------------------------------------------------------------------ model resolution

    @Test
    void usesTheEnrollmentGroupsDefaultModelWhenThePayloadNamesNone() {
        AllocationOptions options = spaceInGroupElseThermostat(GROUP_ID);

        JsonNode answer = ok(handle(options, group("dev-1", null)));

        assertThat(answer.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(SPACE);
    }

    @Test
    void usesTheIndividualEnrollmentsDefaultModelWhenThePayloadNamesNone() {
        AllocationOptions options = AllocationOptions.builder()
                .defaultModel(EnrollmentRef.individual("reg-1"), SPACE)
                .build();

        ok(handle(options, individual("reg-1", null, null)));

        assertThat(adt.getTwin("reg-1").orElseThrow().modelId()).isEqualTo(SPACE);
    }

    @Test
    void usesTheGlobalDefaultModelForOtherEnrollments() {
        AllocationOptions options = spaceInGroupElseThermostat("another-group");

        ok(handle(options, group("dev-1", null)));

        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(THERMOSTAT);
    }

    @Test
    void thePayloadModelIdWinsOverDefaults() {
        AllocationOptions options = AllocationOptions.builder().defaultModel(SPACE).build();

        ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(THERMOSTAT);
    }

    @Test
    void anEmptyPayloadModelIdCountsAsNone() {
        AllocationOptions options = AllocationOptions.builder().defaultModel(SPACE).build();

        ok(handle(options, group("dev-1", "")));

        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(SPACE);
    }

    @Test
    void readsTheModelFromAnotherPayloadFieldWhenConfigured() {
        ObjectNode request = group("dev-1", null);
        payload(request).put("iotcModelId", SPACE);
        AllocationOptions options = AllocationOptions.builder()
                .modelResolver(ModelResolver.payloadField("iotcModelId"))
                .build();

        ok(handle(options, request));

        assertThat(adt.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(SPACE);
    }

    @Test
    void aModelOnTheAllowListIsAccepted() {
        AllocationOptions options = AllocationOptions.builder()
                .allowedModels(EnrollmentRef.group(GROUP_ID), List.of(THERMOSTAT, SPACE))
                .build();

        ok(handle(options, group("dev-1", SPACE)));
    }

    @Test
    void theAllowListForAllEnrollmentsAppliesWhereNoOwnListExists() {
        AllocationOptions options = AllocationOptions.builder()
                .allowedModels(List.of(THERMOSTAT))
                .allowedModels(EnrollmentRef.group("special"), List.of(SPACE))
                .build();

        assertThat(handle(options, group("dev-1", SPACE)).status()).isEqualTo(400);
        ok(handle(options, group("dev-2", THERMOSTAT)));
    }

    @Test
    void aDefaultModelIsStillCheckedAgainstTheAllowList() {
        AllocationOptions options = AllocationOptions.builder()
                .defaultModel(SPACE)
                .allowedModels(List.of(THERMOSTAT))
                .build();

        WebhookResponse response = handle(options, group("dev-1", null));

        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.MODEL_NOT_ALLOWED);
        assertThat(adt.twinCount()).isZero();
    }

    // ------------------------------------------------------------------ mismatch policies and 412

    @Test
    void keepLeavesATwinOfAnotherModelUnchangedAndTagsItsRealModel() {
        DigitalTwin existing = adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));
        AllocationOptions options = AllocationOptions.builder().modelMismatchPolicy(ModelMismatchPolicy.KEEP).build();

        JsonNode answer = ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(adt.getTwin("dev-1")).contains(existing);
        assertThat(adt.calls("updateTwin")).isZero();
        assertThat(answer.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(SPACE);
    }

    @Test
    void migratePatchesTheModelOfATwinOfAnotherModel() {
        adt.createOrReplaceTwin(DigitalTwin.of("dev-1", SPACE, Map.of("name", "kept")));
        AllocationOptions options = AllocationOptions.builder()
                .modelMismatchPolicy(ModelMismatchPolicy.MIGRATE).build();

        JsonNode answer = ok(handle(options, group("dev-1", THERMOSTAT)));

        DigitalTwin migrated = adt.getTwin("dev-1").orElseThrow();
        assertThat(migrated.modelId()).isEqualTo(THERMOSTAT);
        assertThat(migrated.properties()).containsEntry("name", "kept");
        assertThat(adt.calls("createOrReplaceTwin")).isEqualTo(1);
        assertThat(answer.path("initialTwin").path("tags").path("dtmi").asText()).isEqualTo(THERMOSTAT);
    }

    /** A gateway whose PUT succeeds but answers 412, as when azure-core retries a PUT whose first attempt worked. */
    private static final class RetriedPutGateway extends HandFakeGateway {
        @Override
        public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
            super.createTwinIfAbsent(twin);
            throw new AdtException(412, AdtErrorCodes.PRECONDITION_FAILED,
                    "If-None-Match: * header was specified but a twin with the id " + twin.id() + " was found.");
        }
    }

    @Test
    void aRetriedPutThatMeets412EndsWithTheExistingTwin() {
        RetriedPutGateway gateway = new RetriedPutGateway();

        WebhookResponse response = new DpsAllocationHandler(gateway, AllocationOptions.defaults())
                .handle(text(group("dev-1", THERMOSTAT)));

        JsonNode answer = ok(response);
        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("dev-1");
        assertThat(gateway.twinCount()).isEqualTo(1);
        assertThat(gateway.calls("getTwin")).isEqualTo(2);
    }

    @Test
    void aRetriedPutMeeting412WithATwinOfAnotherModelIsNeverReplaced() {
        HandFakeGateway gateway = new HandFakeGateway() {
            @Override
            public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
                // another registration created the twin with another model between our GET and our PUT
                createOrReplaceTwin(DigitalTwin.of(twin.id(), SPACE, Map.of("name", "theirs")));
                return super.createTwinIfAbsent(twin);
            }
        };

        WebhookResponse response = new DpsAllocationHandler(gateway, AllocationOptions.defaults())
                .handle(text(group("dev-1", THERMOSTAT)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.MODEL_MISMATCH);
        assertThat(gateway.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(SPACE);
        assertThat(gateway.getTwin("dev-1").orElseThrow().properties()).containsEntry("name", "theirs");
    }

    @Test
    void thirtyTwoConcurrentAllocationsOfOneNewDeviceCreateExactlyOneTwin() throws Exception {
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.builder()
                .hubSelection(HubSelectionPolicy.consistentHashing())
                .build());
        String body = text(group("dev-concurrent", THERMOSTAT));
        int threads = 32;

        List<WebhookResponse> responses = Concurrently.startTogether(threads, thread -> handler.handle(body));

        Set<String> twinIds = new HashSet<>();
        Set<String> hubs = new HashSet<>();
        for (WebhookResponse response : responses) {
            JsonNode answer = ok(response);
            twinIds.add(answer.path("initialTwin").path("tags").path("dtId").asText());
            hubs.add(answer.path("iotHubHostName").asText());
        }
        assertThat(twinIds).containsExactly("dev-concurrent");
        assertThat(hubs).hasSize(1);
        assertThat(hubs.iterator().next()).isIn(HUB_A, HUB_B);
        assertThat(adt.twinCount()).isEqualTo(1);
        assertThat(adt.calls("createTwinIfAbsent")).isBetween(1, threads);
        assertThat(adt.calls("query")).isZero();
    }

    // ------------------------------------------------------------------ the answer

    @Test
    void mergesOurInitialTwinOverTheEnrollmentsOwn() {
        ObjectNode request = group("dev-1", THERMOSTAT);
        ObjectNode enrollmentTwin = ((ObjectNode) request.get("enrollmentGroup")).putObject("initialTwin");
        ObjectNode tags = enrollmentTwin.putObject("tags");
        tags.put("site", "plant-1");
        tags.put("dtId", "from-enrollment");
        tags.putObject("location").put("building", "B1").put("floor", 1);
        ObjectNode desired = enrollmentTwin.putObject("properties").putObject("desired");
        desired.put("telemetryInterval", 30);
        desired.putObject("thresholds").put("high", 80).put("low", 10);
        AllocationOptions options = AllocationOptions.builder()
                .initialTwinTags(Map.of("owner", "facilities", "location", Map.of("floor", 2)))
                .initialTwinDesiredProperties(Map.of("thresholds", Map.of("high", 75)))
                .build();

        JsonNode answer = ok(handle(options, request));

        JsonNode answerTags = answer.path("initialTwin").path("tags");
        assertThat(answerTags.path("site").asText()).isEqualTo("plant-1");
        assertThat(answerTags.path("owner").asText()).isEqualTo("facilities");
        assertThat(answerTags.path("dtId").asText()).isEqualTo("dev-1");
        assertThat(answerTags.path("dtmi").asText()).isEqualTo(THERMOSTAT);
        assertThat(answerTags.path("location").path("building").asText()).isEqualTo("B1");
        assertThat(answerTags.path("location").path("floor").asInt()).isEqualTo(2);
        JsonNode answerDesired = answer.path("initialTwin").path("properties").path("desired");
        assertThat(answerDesired.path("telemetryInterval").asInt()).isEqualTo(30);
        assertThat(answerDesired.path("thresholds").path("high").asInt()).isEqualTo(75);
        assertThat(answerDesired.path("thresholds").path("low").asInt()).isEqualTo(10);
    }

    @Test
    void replacesTheEnrollmentsInitialTwinWhenMergingIsOff() {
        ObjectNode request = group("dev-1", THERMOSTAT);
        ((ObjectNode) request.get("enrollmentGroup")).putObject("initialTwin").putObject("tags").put("site", "p1");
        AllocationOptions options = AllocationOptions.builder().mergeEnrollmentInitialTwin(false).build();

        JsonNode answer = ok(handle(options, request));

        assertThat(answer.path("initialTwin").path("tags").has("site")).isFalse();
        assertThat(answer.path("initialTwin").path("tags").path("dtId").asText()).isEqualTo("dev-1");
    }

    @Test
    void returnsTheTwinIdToTheDeviceWhenConfigured() {
        AllocationOptions options = AllocationOptions.builder().returnTwinIdInPayload(true).build();

        JsonNode answer = ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(answer.path("payload").path("twinId").asText()).isEqualTo("dev-1");
    }

    @Test
    void aCustomDevicePayloadSeesTheAllocation() {
        AllocationOptions options = AllocationOptions.builder()
                .devicePayload((allocation, request) -> Map.of("hub", allocation.iotHubHostName(),
                        "created", allocation.twinOutcome().name()))
                .build();

        JsonNode answer = ok(handle(options, group("dev-1", THERMOSTAT)));

        assertThat(answer.path("payload").path("hub").asText()).isEqualTo(HUB_A);
        assertThat(answer.path("payload").path("created").asText()).isEqualTo("CREATED");
    }

    @Test
    void answersWithJsonContentAndNoExtraHeaders() {
        WebhookResponse response = handle(group("dev-1", THERMOSTAT));

        assertThat(response.headers()).isEmpty();
        assertThat(WebhookResponse.CONTENT_TYPE).startsWith("application/json");
    }
}
