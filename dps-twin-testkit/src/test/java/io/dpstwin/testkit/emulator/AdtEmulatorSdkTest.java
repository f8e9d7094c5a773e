package io.dpstwin.testkit.emulator;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.models.JsonPatchDocument;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.BasicRelationship;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.implementation.models.ErrorResponseException;
import com.azure.digitaltwins.core.models.CreateOrReplaceDigitalTwinOptions;
import com.azure.digitaltwins.core.models.CreateOrReplaceRelationshipOptions;
import com.azure.digitaltwins.core.models.DeleteDigitalTwinOptions;
import com.azure.digitaltwins.core.models.DeleteRelationshipOptions;
import com.azure.digitaltwins.core.models.DigitalTwinsModelData;
import com.azure.digitaltwins.core.models.DigitalTwinsResponse;
import com.azure.digitaltwins.core.models.IncomingRelationship;
import com.azure.digitaltwins.core.models.ListModelsOptions;
import com.azure.digitaltwins.core.models.QueryChargeHelper;
import com.azure.digitaltwins.core.models.QueryOptions;
import com.azure.digitaltwins.core.models.UpdateDigitalTwinOptions;
import com.azure.digitaltwins.core.models.UpdateRelationshipOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.contract.ContractModels;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives every emulator route through the official SDK client, as users' services do. */
class AdtEmulatorSdkTest {

    private static AdtEmulator emulator;
    private static DigitalTwinsClient client;

    @BeforeAll
    static void startEmulator() {
        emulator = AdtEmulator.builder().models(ContractModels.ALL.toArray(String[]::new))
                .relationshipPageSize(AdtEngine.ADT_RELATIONSHIP_PAGE_SIZE).start();
        client = emulator.client();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void resetEmulator() {
        emulator.reset();
    }

    private static BasicDigitalTwin device(String id, String serial) {
        return new BasicDigitalTwin(id)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID))
                .addToContents("serial", serial);
    }

    private static BasicDigitalTwin gateway(String id) {
        return new BasicDigitalTwin(id)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.GATEWAY_ID))
                .addToContents("name", id);
    }

    private static void assertError(ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(status);
            assertThat(e.getResponse().getHeaderValue(HttpHeaderName.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
            assertThat(e).isInstanceOf(ErrorResponseException.class);
            assertThat(((ErrorResponseException) e).getValue().getError().getCode()).isEqualTo(code);
        });
    }

    @Test
    void createsReadsPatchesAndDeletesTwinsWithEtags() {
        Response<BasicDigitalTwin> created = client.createOrReplaceDigitalTwinWithResponse("dev-1",
                device("dev-1", "S1"), BasicDigitalTwin.class,
                new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch("*"), Context.NONE);

        assertThat(created.getStatusCode()).isEqualTo(200);
        String etag = created.getHeaders().getValue(HttpHeaderName.ETAG);
        assertThat(etag).matches("W/\"[0-9a-f-]{36}\"").isEqualTo(created.getValue().getETag());
        assertError(() -> client.createOrReplaceDigitalTwinWithResponse("dev-1", device("dev-1", "S2"),
                BasicDigitalTwin.class, new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch("*"), Context.NONE),
                412, "PreconditionFailed");

        JsonNode raw = AdtJson.parse(client.getDigitalTwin("dev-1", String.class));
        assertThat(raw.get("$dtId").asText()).isEqualTo("dev-1");
        assertThat(raw.get("$etag").asText()).isEqualTo(etag);
        assertThat(raw.get("serial").asText()).isEqualTo("S1");
        assertThat(raw.at("/$metadata/$model").asText()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(raw.at("/$metadata/$lastUpdateTime").asText()).isNotEmpty();
        assertThat(raw.at("/$metadata/serial/lastUpdateTime").asText()).isNotEmpty();

        DigitalTwinsResponse<Void> patched = client.updateDigitalTwinWithResponse("dev-1",
                new JsonPatchDocument().appendReplace("/serial", "S3").appendAdd("/temperature", 22.5),
                new UpdateDigitalTwinOptions().setIfMatch(etag), Context.NONE);
        assertThat(patched.getStatusCode()).isEqualTo(204);
        String newEtag = patched.getDeserializedHeaders().getETag();
        assertThat(newEtag).isNotEqualTo(etag).startsWith("W/\"");
        assertError(() -> client.updateDigitalTwinWithResponse("dev-1", new JsonPatchDocument()
                .appendReplace("/serial", "S4"), new UpdateDigitalTwinOptions().setIfMatch(etag), Context.NONE),
                412, "PreconditionFailed");
        BasicDigitalTwin read = client.getDigitalTwinWithResponse("dev-1", BasicDigitalTwin.class, Context.NONE)
                .getValue();
        assertThat(read.getContents()).containsEntry("serial", "S3").containsEntry("temperature", 22.5);

        BasicDigitalTwin replaced = client.createOrReplaceDigitalTwin("dev-1", device("dev-1", "S5"),
                BasicDigitalTwin.class);
        assertThat(replaced.getETag()).isNotEqualTo(newEtag);
        assertError(() -> client.deleteDigitalTwinWithResponse("dev-1",
                new DeleteDigitalTwinOptions().setIfMatch(newEtag), Context.NONE), 412, "PreconditionFailed");
        Response<Void> deleted = client.deleteDigitalTwinWithResponse("dev-1",
                new DeleteDigitalTwinOptions().setIfMatch(replaced.getETag()), Context.NONE);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertError(() -> client.getDigitalTwin("dev-1", BasicDigitalTwin.class), 404, "DigitalTwinNotFound");
        assertError(() -> client.deleteDigitalTwin("dev-1"), 404, "DigitalTwinNotFound");
    }

    @Test
    void keepsTwinIdsThatNeedEncoding() {
        String id = "a b/c#d;e:f%g";

        client.createOrReplaceDigitalTwin(id, device(id, "S1"), BasicDigitalTwin.class);

        assertThat(client.getDigitalTwin(id, BasicDigitalTwin.class).getId()).isEqualTo(id);
        assertThat(emulator.engine().twinIds()).containsExactly(id);
        client.deleteDigitalTwin(id);
        assertThat(emulator.engine().twinCount()).isZero();
    }

    @Test
    void refusesInvalidTwinsWithDetails() {
        BasicDigitalTwin wrong = device("dev-1", "S1").addToContents("colour", "red");

        assertThatThrownBy(() -> client.createOrReplaceDigitalTwin("dev-1", wrong, BasicDigitalTwin.class))
                .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getValue().getError().getCode()).isEqualTo("ValidationFailed");
                    assertThat(e.getValue().getError().getMessage()).isEqualTo("Invalid twin specified");
                    assertThat(e.getValue().getError().getDetails()).singleElement()
                            .satisfies(d -> assertThat(d.getMessage()).contains("colour"));
                });
        BasicDigitalTwin unknownModel = new BasicDigitalTwin("dev-2")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId("dtmi:com:example:Unknown;1"));
        assertError(() -> client.createOrReplaceDigitalTwin("dev-2", unknownModel, BasicDigitalTwin.class), 400,
                "ValidationFailed");
    }

    @Test
    void managesRelationshipsAndListsThemWithTheirFields() {
        client.createOrReplaceDigitalTwin("dev-1", device("dev-1", "S1"), BasicDigitalTwin.class);
        client.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        BasicRelationship relationship = new BasicRelationship("r1", "dev-1", "gw-1", "connectedTo")
                .addProperty("since", "2024");

        DigitalTwinsResponse<BasicRelationship> created = client.createOrReplaceRelationshipWithResponse("dev-1", "r1",
                relationship, BasicRelationship.class, new CreateOrReplaceRelationshipOptions().setIfNoneMatch("*"),
                Context.NONE);

        assertThat(created.getStatusCode()).isEqualTo(200);
        String etag = created.getDeserializedHeaders().getETag();
        assertThat(etag).isEqualTo(created.getValue().getETag());
        assertError(() -> client.createOrReplaceRelationshipWithResponse("dev-1", "r1", relationship,
                BasicRelationship.class, new CreateOrReplaceRelationshipOptions().setIfNoneMatch("*"), Context.NONE),
                412, "PreconditionFailed");
        BasicRelationship read = client.getRelationship("dev-1", "r1", BasicRelationship.class);
        assertThat(read.getTargetId()).isEqualTo("gw-1");
        assertThat(read.getProperties()).containsEntry("since", "2024");

        DigitalTwinsResponse<Void> patched = client.updateRelationshipWithResponse("dev-1", "r1",
                new JsonPatchDocument().appendReplace("/since", "2025"), new UpdateRelationshipOptions().setIfMatch(etag),
                Context.NONE);
        assertThat(patched.getStatusCode()).isEqualTo(204);
        assertThat(patched.getDeserializedHeaders().getETag()).isNotEqualTo(etag);
        assertThat(client.getRelationship("dev-1", "r1", BasicRelationship.class).getProperties())
                .containsEntry("since", "2025");

        assertThat(client.listRelationships("dev-1", BasicRelationship.class).stream().map(BasicRelationship::getId))
                .containsExactly("r1");
        assertThat(client.listRelationships("dev-1", "peer", BasicRelationship.class, Context.NONE).stream())
                .isEmpty();
        List<IncomingRelationship> incoming = client.listIncomingRelationships("gw-1").stream().toList();
        assertThat(incoming).singleElement().satisfies(i -> {
            assertThat(i.getRelationshipId()).isEqualTo("r1");
            assertThat(i.getSourceId()).isEqualTo("dev-1");
            assertThat(i.getRelationshipName()).isEqualTo("connectedTo");
            assertThat(i.getRelationshipLink()).startsWith(emulator.endpoint() + "/digitaltwins/dev-1/relationships/r1");
        });

        assertError(() -> client.deleteDigitalTwin("gw-1"), 400, "RelationshipsNotDeleted");
        assertError(() -> client.deleteDigitalTwin("dev-1"), 400, "RelationshipsNotDeleted");
        assertError(() -> client.createOrReplaceRelationship("dev-1", "r2",
                new BasicRelationship("r2", "dev-1", "nowhere", "peer"), BasicRelationship.class), 404,
                "TargetDigitalTwinNotFound");
        assertError(() -> client.createOrReplaceRelationship("dev-1", "r3",
                new BasicRelationship("r3", "dev-1", "dev-1", "peer"), BasicRelationship.class), 400,
                "OperationNotAllowed");
        assertError(() -> client.createOrReplaceRelationship("dev-1", "r4",
                new BasicRelationship("r4", "dev-1", "gw-1", "owns"), BasicRelationship.class), 400,
                "InvalidRelationship");

        Response<Void> deleted = client.deleteRelationshipWithResponse("dev-1", "r1",
                new DeleteRelationshipOptions(), Context.NONE);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertError(() -> client.getRelationship("dev-1", "r1", BasicRelationship.class), 404, "RelationshipNotFound");
        client.deleteDigitalTwin("gw-1");
        client.deleteDigitalTwin("dev-1");
    }

    @Test
    void pagesRelationshipListsLikeTheService() {
        client.createOrReplaceDigitalTwin("dev-1", device("dev-1", "S1"), BasicDigitalTwin.class);
        client.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        for (int i = 0; i < 250; i++) {
            client.createOrReplaceRelationship("dev-1", "r" + i, new BasicRelationship("r" + i, "dev-1", "gw-1",
                    "connectedTo"), BasicRelationship.class);
        }
        emulator.journal().clear();

        List<PagedResponse<BasicRelationship>> outgoing = new ArrayList<>();
        client.listRelationships("dev-1", BasicRelationship.class).iterableByPage().forEach(outgoing::add);
        List<PagedResponse<IncomingRelationship>> incoming = new ArrayList<>();
        client.listIncomingRelationships("gw-1").iterableByPage().forEach(incoming::add);

        assertThat(outgoing).hasSize(25);
        assertThat(outgoing.stream().mapToInt(p -> p.getValue().size())).containsOnly(10);
        assertThat(outgoing.stream().flatMap(p -> p.getValue().stream()).map(BasicRelationship::getId)
                .collect(Collectors.toSet())).hasSize(250);
        assertThat(incoming).hasSize(25);
        assertThat(incoming.stream().flatMap(p -> p.getValue().stream()).map(IncomingRelationship::getRelationshipId)
                .collect(Collectors.toSet())).hasSize(250);
        assertThat(emulator.journal().count("GET", "/digitaltwins/dev-1/relationships")).isEqualTo(25);
        assertThat(emulator.journal().count("GET", "/digitaltwins/gw-1/incomingrelationships")).isEqualTo(25);
    }

    @Test
    void pagesQueriesWithContinuationTokensAndCounts() {
        for (int i = 0; i < 25; i++) {
            client.createOrReplaceDigitalTwin("dev-" + i, device("dev-" + i, "S" + i).addToContents("temperature", i),
                    BasicDigitalTwin.class);
        }
        client.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);

        List<PagedResponse<BasicDigitalTwin>> pages = new ArrayList<>();
        client.query("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '" + ContractModels.DEVICE_ID + "')",
                BasicDigitalTwin.class, new QueryOptions().setMaxItemsPerPage(10), Context.NONE)
                .iterableByPage().forEach(pages::add);

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).getContinuationToken()).isNotNull();
        assertThat(pages.get(2).getContinuationToken()).isNull();
        assertThat(QueryChargeHelper.getQueryCharge(pages.get(0))).isPositive();
        Set<String> ids = new HashSet<>();
        pages.forEach(p -> p.getValue().forEach(t -> assertThat(ids.add(t.getId())).isTrue()));
        assertThat(ids).hasSize(25);
        assertThat(emulator.journal().count("POST", "/query")).isEqualTo(3);

        List<String> count = client.query("SELECT COUNT() FROM DIGITALTWINS WHERE temperature >= 20", String.class)
                .stream().toList();
        assertThat(count).singleElement().satisfies(row -> assertThat(AdtJson.parse(row).get("COUNT").asInt())
                .isEqualTo(5));
        List<String> top = client.query("SELECT TOP(2) T.$dtId, T.serial FROM DIGITALTWINS T WHERE T.$dtId IN "
                + "['dev-3', 'dev-4', 'gw-1'] AND NOT IS_OF_MODEL(T, '" + ContractModels.GATEWAY_ID + "')",
                String.class).stream().toList();
        assertThat(top).hasSize(2).allSatisfy(row -> assertThat(AdtJson.parse(row).has("serial")).isTrue());
        assertError(() -> client.query("SELECT * FROM DIGITALTWINS JOIN X RELATED T.r", String.class).stream()
                .count(), 400, "SqlQueryError");
    }

    @Test
    void managesModelsWithRawAndEncodedIds() {
        String base = "dtmi:com:example:sdk:Base;1";
        String child = "dtmi:com:example:sdk:Child;1";
        List<String> upload = List.of(
                "{\"@context\":\"dtmi:dtdl:context;2\",\"@id\":\"" + base + "\",\"@type\":\"Interface\","
                        + "\"displayName\":\"Base\",\"contents\":[{\"@type\":\"Property\",\"name\":\"label\","
                        + "\"schema\":\"string\"}]}",
                "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + child + "\",\"@type\":\"Interface\","
                        + "\"extends\":\"" + base + "\"}");

        Response<Iterable<DigitalTwinsModelData>> created = client.createModelsWithResponse(upload, Context.NONE);

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(StreamSupport.stream(created.getValue().spliterator(), false).map(DigitalTwinsModelData::getModelId))
                .containsExactly(base, child);
        DigitalTwinsModelData read = client.getModel(child);
        assertThat(read.getModelId()).isEqualTo(child);
        assertThat(read.getDtdlModel()).contains(base);
        assertThat(read.getUploadedOn()).isNotNull();
        assertThat(client.getModel(base).getDisplayNameLanguageMap()).containsEntry("en", "Base");
        assertThat(emulator.journal().count("GET", "/models/dtmi:com:example:sdk:Child;1")).isEqualTo(1);

        List<DigitalTwinsModelData> dependencies = client.listModels(new ListModelsOptions()
                .setDependenciesFor(List.of(child)).setIncludeModelDefinition(true), Context.NONE).stream().toList();
        assertThat(dependencies).extracting(DigitalTwinsModelData::getModelId).containsExactlyInAnyOrder(base, child);
        assertThat(dependencies).allSatisfy(m -> assertThat(m.getDtdlModel()).isNotNull());
        List<PagedResponse<DigitalTwinsModelData>> pages = new ArrayList<>();
        client.listModels(new ListModelsOptions().setMaxItemsPerPage(3), Context.NONE).iterableByPage()
                .forEach(pages::add);
        assertThat(pages.stream().mapToInt(p -> p.getValue().size()).sum())
                .isEqualTo(ContractModels.ALL.size() + 2);
        assertThat(pages).allSatisfy(p -> assertThat(p.getValue().size()).isLessThanOrEqualTo(3));

        assertError(() -> client.createModels(List.of(upload.get(0))), 409, "ModelAlreadyExists");
        assertError(() -> client.createModels(List.of("{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"not-a-dtmi\","
                + "\"@type\":\"Interface\"}")), 400, "DTDLParserError");
        assertError(() -> client.deleteModel(base), 409, "ModelReferencesNotDeleted");

        client.decommissionModel(child);
        assertThat(client.getModel(child).isDecommissioned()).isTrue();
        BasicDigitalTwin ofChild = new BasicDigitalTwin("c-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(child));
        assertError(() -> client.createOrReplaceDigitalTwin("c-1", ofChild, BasicDigitalTwin.class), 400,
                "ModelDecommissioned");
        Response<Void> deleted = client.deleteModelWithResponse(child, Context.NONE);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertError(() -> client.getModel(child), 404, "ModelNotFound");
        client.deleteModel(base);
        assertError(() -> client.deleteModel(base), 404, "ModelNotFound");
    }

    @Test
    void pagesModelListsAtOneHundred() {
        List<String> many = IntStream.range(0, 105).mapToObj(i -> "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":"
                + "\"dtmi:com:example:many:M" + i + ";1\",\"@type\":\"Interface\"}").toList();
        client.createModels(many);

        List<PagedResponse<DigitalTwinsModelData>> pages = new ArrayList<>();
        client.listModels(new ListModelsOptions().setMaxItemsPerPage(500), Context.NONE).iterableByPage()
                .forEach(pages::add);

        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).getValue()).hasSize(100);
        assertThat(pages.get(1).getValue()).hasSize(105 + ContractModels.ALL.size() - 100);
    }

    @Test
    void readsAndPatchesComponents() {
        BasicDigitalTwin thermostat = new BasicDigitalTwin("th-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.THERMOSTAT_ID))
                .addToContents("setpoint", 21.0)
                .addToContents("info", Map.of("$metadata", Map.of(), "manufacturer", "Contoso"));
        client.createOrReplaceDigitalTwin("th-1", thermostat, BasicDigitalTwin.class);

        client.updateComponent("th-1", "info", new JsonPatchDocument().appendReplace("/manufacturer", "Fabrikam"));

        JsonNode component = AdtJson.parse(client.getComponent("th-1", "info", String.class));
        assertThat(component.get("manufacturer").asText()).isEqualTo("Fabrikam");
        assertThat(component.at("/$metadata/manufacturer/lastUpdateTime").asText()).isNotEmpty();
        assertThat(emulator.counters().count(AdtOperation.PATCH_COMPONENT)).isEqualTo(1);
        assertError(() -> client.updateComponent("th-1", "info", new JsonPatchDocument()
                .appendAdd("/colour", "red")), 400, "ValidationFailed");
    }
}
