package io.dpstwin.core.twins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link SdkDigitalTwinsGateway} through the real {@code DigitalTwinsClient} over HTTPS against WireMock: the
 * requests it sends (paths, preconditions, bodies, paging) and how it reads ADT's answers and failures.
 */
class SdkDigitalTwinsGatewayTest extends AdtWireMockTest {

    private static final String MODEL = "dtmi:com:example:Device;1";
    private static final String JSON = "application/json; charset=utf-8";

    private static SdkDigitalTwinsGateway gateway;

    @BeforeAll
    static void connectGateway() {
        gateway = new SdkDigitalTwinsGateway(AdtWireMock.client(adt, Duration.ofSeconds(10)));
    }

    /** Runs {@code call}, which must fail with an {@link AdtException} of {@code status} and {@code errorCode}. */
    private static AdtException failsWith(int status, String errorCode, ThrowingCallable call) {
        AdtException failure = catchThrowableOfType(AdtException.class, call);
        assertThat(failure.statusCode()).isEqualTo(status);
        assertThat(failure.errorCode()).isEqualTo(errorCode);
        return failure;
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON).withBody(body);
    }

    private static ResponseDefinitionBuilder error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    @Nested
    class Twins {

        @Test
        void readsATwinKeepingJsonTypesAndTheEtag() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(200, """
                    {"$dtId":"dev-1","$etag":"W/\\"e1\\"","serial":"S1","count":3,"ratio":0.25,"big":12345678901,
                     "on":true,"tags":["a","b"],"location":{"lat":47.5,"floor":2},
                     "$metadata":{"$model":"dtmi:com:example:Device;1","serial":{"lastUpdateTime":"2024-01-01T00:00:00Z"}}}
                    """).withHeader("ETag", "W/\"e1\"")));

            DigitalTwin twin = gateway.getTwin("dev-1").orElseThrow();

            assertThat(twin.id()).isEqualTo("dev-1");
            assertThat(twin.modelId()).isEqualTo(MODEL);
            assertThat(twin.etag()).isEqualTo("W/\"e1\"");
            assertThat(twin.properties()).containsOnlyKeys("serial", "count", "ratio", "big", "on", "tags", "location");
            assertThat(twin.properties().get("count")).isInstanceOf(Number.class).isEqualTo(3);
            assertThat(twin.properties().get("ratio")).isEqualTo(0.25);
            assertThat(((Number) twin.properties().get("big")).longValue()).isEqualTo(12345678901L);
            assertThat(twin.properties().get("on")).isEqualTo(true);
            assertThat(twin.properties().get("tags")).isEqualTo(List.of("a", "b"));
            assertThat(twin.properties().get("location")).isEqualTo(Map.of("lat", 47.5, "floor", 2));
            adt.verify(getRequestedFor(urlPathEqualTo("/digitaltwins/dev-1"))
                    .withQueryParam("api-version", equalTo("2023-10-31"))
                    .withHeader("Authorization", equalTo("Bearer " + AdtWireMock.TOKEN)));
        }

        @Test
        void takesTheEtagFromTheHeaderWhenTheBodyHasNone() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(200,
                    "{\"$dtId\":\"dev-1\",\"$metadata\":{\"$model\":\"" + MODEL + "\"}}")
                    .withHeader("ETag", "W/\"from-header\"")));

            assertThat(gateway.getTwin("dev-1")).map(DigitalTwin::etag).contains("W/\"from-header\"");
        }

        @Test
        void encodesTwinIdsAsOnePathSegment() {
            adt.stubFor(get(anyUrl()).willReturn(error(404, "DigitalTwinNotFound", "no twin")));

            gateway.getTwin("a b/c");

            adt.verify(getRequestedFor(urlPathEqualTo("/digitaltwins/a%20b%2Fc")));
        }

        @Test
        void aMissingTwinIsEmpty() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/gone"))
                    .willReturn(error(404, "DigitalTwinNotFound", "There is no digital twin instance")));

            assertThat(gateway.getTwin("gone")).isEmpty();
        }

        @Test
        void createTwinIfAbsentSendsIfNoneMatchStarAndTheTwin() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(200, """
                    {"$dtId":"dev-1","$etag":"W/\\"new\\"","serial":"S1","level":7,
                     "$metadata":{"$model":"dtmi:com:example:Device;1","$lastUpdateTime":"2024-01-01T00:00:00Z"}}
                    """)));

            DigitalTwin created = gateway.createTwinIfAbsent(
                    DigitalTwin.of("dev-1", MODEL, Map.of("serial", "S1", "level", 7)));

            assertThat(created.etag()).isEqualTo("W/\"new\"");
            assertThat(created.properties()).isEqualTo(Map.of("serial", "S1", "level", 7));
            adt.verify(putRequestedFor(urlPathEqualTo("/digitaltwins/dev-1"))
                    .withHeader("If-None-Match", equalTo("*"))
                    .withRequestBody(equalToJson("""
                            {"$dtId":"dev-1","$metadata":{"$model":"dtmi:com:example:Device;1"},"serial":"S1","level":7}
                            """)));
        }

        @Test
        void createTwinIfAbsentOfAnExistingTwinFailsWithPreconditionFailed() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(error(412, "PreconditionFailed",
                    "If-None-Match: * header was specified but a twin with the id dev-1 was found.")));

            AdtException failure = failsWith(412, AdtErrorCodes.PRECONDITION_FAILED,
                    () -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)));
            assertThat(failure.isPreconditionFailed()).isTrue();
            assertThat(failure.isTransient()).isFalse();
            assertThat(failure).hasMessageContaining("a twin with the id dev-1 was found");
        }

        @Test
        void createOrReplaceTwinSendsNoPrecondition() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(200,
                    "{\"$dtId\":\"dev-1\",\"$etag\":\"W/\\\"r\\\"\",\"$metadata\":{\"$model\":\"" + MODEL + "\"}}")));

            gateway.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));

            adt.verify(putRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")).withHeader("If-None-Match", absent()));
        }

        @Test
        void updateTwinSendsAJsonPatchWithIfMatch() {
            adt.stubFor(patch(urlPathEqualTo("/digitaltwins/dev-1"))
                    .willReturn(aResponse().withStatus(204).withHeader("ETag", "W/\"e2\"")));

            gateway.updateTwin("dev-1", List.of(JsonPatchOperation.replace("/$metadata/$model", "dtmi:x:Y;2"),
                    JsonPatchOperation.add("/level", 8), JsonPatchOperation.remove("/old")), "W/\"e1\"");

            adt.verify(patchRequestedFor(urlPathEqualTo("/digitaltwins/dev-1"))
                    .withHeader("If-Match", equalTo("W/\"e1\""))
                    .withHeader("Content-Type", equalTo("application/json-patch+json"))
                    .withRequestBody(equalToJson("""
                            [{"op":"replace","path":"/$metadata/$model","value":"dtmi:x:Y;2"},
                             {"op":"add","path":"/level","value":8},
                             {"op":"remove","path":"/old"}]
                            """)));
        }

        @Test
        void deleteTwinSendsIfMatchOnlyWhenGiven() {
            adt.stubFor(delete(urlPathMatching("/digitaltwins/.*")).willReturn(aResponse().withStatus(204)));

            gateway.deleteTwin("dev-1", "W/\"e1\"");
            gateway.deleteTwin("dev-2", null);

            adt.verify(deleteRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")).withHeader("If-Match", equalTo("W/\"e1\"")));
            adt.verify(deleteRequestedFor(urlPathEqualTo("/digitaltwins/dev-2")).withHeader("If-Match", absent()));
        }

        @Test
        void deletingAMissingTwinFailsWithDigitalTwinNotFound() {
            adt.stubFor(delete(urlPathEqualTo("/digitaltwins/gone"))
                    .willReturn(error(404, "DigitalTwinNotFound", "There is no digital twin instance")));

            AdtException failure = failsWith(404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND,
                    () -> gateway.deleteTwin("gone", null));
            assertThat(failure.isNotFound()).isTrue();
        }

        @Test
        void deletingATwinWithRelationshipsFailsWithRelationshipsNotDeleted() {
            adt.stubFor(delete(urlPathEqualTo("/digitaltwins/dev-1"))
                    .willReturn(error(400, "RelationshipsNotDeleted", "Twin dev-1 has active relationships.")));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.deleteTwin("dev-1", null));

            assertThat(failure.isRelationshipsNotDeleted()).isTrue();
            assertThat(failure.statusCode()).isEqualTo(400);
        }
    }

    @Nested
    class Relationships {

        private String relationshipJson(String id, String source, String target) {
            return "{\"$relationshipId\":\"" + id + "\",\"$etag\":\"W/\\\"" + id + "-etag\\\"\",\"$sourceId\":\""
                    + source + "\",\"$targetId\":\"" + target + "\",\"$relationshipName\":\"connectedTo\",\"since\":2024}";
        }

        @Test
        void createRelationshipIfAbsentSendsIfNoneMatchStarAndReadsTheEtag() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1"))
                    .willReturn(json(200, relationshipJson("r1", "dev-1", "gw-1"))));

            Relationship created = gateway.createRelationshipIfAbsent(
                    new Relationship("r1", "dev-1", "gw-1", "connectedTo", null, Map.of("since", 2024)));

            assertThat(created.etag()).isEqualTo("W/\"r1-etag\"");
            assertThat(created.properties()).isEqualTo(Map.of("since", 2024));
            adt.verify(putRequestedFor(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1"))
                    .withHeader("If-None-Match", equalTo("*"))
                    .withRequestBody(equalToJson("""
                            {"$relationshipId":"r1","$sourceId":"dev-1","$targetId":"gw-1",
                             "$relationshipName":"connectedTo","since":2024}
                            """)));
        }

        @Test
        void createRelationshipToAMissingTargetFailsWithTargetTwinNotFound() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1")).willReturn(
                    error(404, "TargetDigitalTwinNotFound", "The target digital twin is invalid or does not exist")));

            AdtException failure = catchThrowableOfType(AdtException.class,
                    () -> gateway.createRelationshipIfAbsent(Relationship.of("r1", "dev-1", "nobody", "connectedTo")));

            assertThat(failure.isTargetTwinNotFound()).isTrue();
        }

        @Test
        void readsARelationshipWithItsEtagAndAMissingOneIsEmpty() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1"))
                    .willReturn(json(200, relationshipJson("r1", "dev-1", "gw-1"))));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1/relationships/r2"))
                    .willReturn(error(404, "RelationshipNotFound", "Relationship r2 not found on twin dev-1.")));

            assertThat(gateway.getRelationship("dev-1", "r1")).hasValueSatisfying(r -> {
                assertThat(r.targetId()).isEqualTo("gw-1");
                assertThat(r.name()).isEqualTo("connectedTo");
                assertThat(r.etag()).isEqualTo("W/\"r1-etag\"");
            });
            assertThat(gateway.getRelationship("dev-1", "r2")).isEmpty();
        }

        @Test
        void deleteRelationshipSendsIfMatchAndAMissingOneFailsWith404() {
            adt.stubFor(delete(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1")).willReturn(aResponse().withStatus(204)));
            adt.stubFor(delete(urlPathEqualTo("/digitaltwins/dev-1/relationships/r2"))
                    .willReturn(error(404, "RelationshipNotFound", "Relationship r2 not found on twin dev-1.")));

            gateway.deleteRelationship("dev-1", "r1", "W/\"r1-etag\"");
            AdtException failure = catchThrowableOfType(AdtException.class,
                    () -> gateway.deleteRelationship("dev-1", "r2", null));

            adt.verify(deleteRequestedFor(urlPathEqualTo("/digitaltwins/dev-1/relationships/r1"))
                    .withHeader("If-Match", equalTo("W/\"r1-etag\"")));
            assertThat(failure.statusCode()).isEqualTo(404);
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.RELATIONSHIP_NOT_FOUND);
        }

        @Test
        void listsOutgoingRelationshipsAcrossThreePages() {
            String base = AdtWireMock.endpoint(adt);
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/hub/relationships"))
                    .withQueryParam("relationshipName", equalTo("connectedTo"))
                    .willReturn(json(200, "{\"value\":[" + relationshipJson("r1", "hub", "a") + ","
                            + relationshipJson("r2", "hub", "b") + "],\"nextLink\":\"" + base
                            + "/digitaltwins/hub/relationships?page=2&api-version=2023-10-31\"}")));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/hub/relationships")).withQueryParam("page", equalTo("2"))
                    .willReturn(json(200, "{\"value\":[" + relationshipJson("r3", "hub", "c")
                            + "],\"nextLink\":\"/digitaltwins/hub/relationships?page=3\"}")));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/hub/relationships")).withQueryParam("page", equalTo("3"))
                    .willReturn(json(200, "{\"value\":[" + relationshipJson("r4", "hub", "d") + "],\"nextLink\":null}")));

            List<Relationship> all = gateway.listRelationships("hub", "connectedTo");

            assertThat(all).extracting(Relationship::id).containsExactly("r1", "r2", "r3", "r4");
            assertThat(all).extracting(Relationship::etag).containsExactly(
                    "W/\"r1-etag\"", "W/\"r2-etag\"", "W/\"r3-etag\"", "W/\"r4-etag\"");
            adt.verify(3, getRequestedFor(urlPathEqualTo("/digitaltwins/hub/relationships")));
        }

        @Test
        void listsIncomingRelationshipsAcrossThreePages() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/gw-1/incomingrelationships")).withQueryParam("page", absent())
                    .willReturn(json(200, """
                            {"value":[{"$relationshipId":"r1","$sourceId":"dev-1","$relationshipName":"connectedTo",
                              "$relationshipLink":"/digitaltwins/dev-1/relationships/r1"}],
                             "nextLink":"/digitaltwins/gw-1/incomingrelationships?page=2"}""")));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/gw-1/incomingrelationships")).withQueryParam("page", equalTo("2"))
                    .willReturn(json(200, """
                            {"value":[{"$relationshipId":"r1","$sourceId":"dev-2","$relationshipName":"connectedTo"}],
                             "nextLink":"/digitaltwins/gw-1/incomingrelationships?page=3"}""")));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/gw-1/incomingrelationships")).withQueryParam("page", equalTo("3"))
                    .willReturn(json(200, """
                            {"value":[{"$relationshipId":"r9","$sourceId":"dev-3","$relationshipName":"feeds"}],
                             "nextLink":null}""")));

            List<IncomingRelationship> all = gateway.listIncomingRelationships("gw-1");

            assertThat(all).containsExactly(
                    new IncomingRelationship("r1", "dev-1", "connectedTo", "/digitaltwins/dev-1/relationships/r1"),
                    new IncomingRelationship("r1", "dev-2", "connectedTo", null),
                    new IncomingRelationship("r9", "dev-3", "feeds", null));
        }

        @Test
        void listingRelationshipsOfAMissingTwinFailsWith404() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/gone/relationships"))
                    .willReturn(error(404, "DigitalTwinNotFound", "There is no digital twin instance")));

            failsWith(404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND, () -> gateway.listRelationships("gone", null));
        }
    }

    @Nested
    class Queries {

        @Test
        void returnsOnePagePerCallAndSendsOnlyTheTokenForTheNextPage() {
            adt.stubFor(post(urlPathEqualTo("/query")).withRequestBody(matchingJsonPath("$.query"))
                    .willReturn(json(200, """
                            {"value":[{"$dtId":"a","n":1},{"$dtId":"b","n":2}],"continuationToken":"tok-1"}""")));
            adt.stubFor(post(urlPathEqualTo("/query")).withRequestBody(equalToJson("{\"continuationToken\":\"tok-1\"}"))
                    .willReturn(json(200, "{\"value\":[{\"COUNT\":3}],\"continuationToken\":null}")));

            QueryPage first = gateway.query("SELECT * FROM DIGITALTWINS", null);

            assertThat(first.items()).extracting(row -> row.get("$dtId").asText()).containsExactly("a", "b");
            assertThat(first.items().get(0).get("n").isNumber()).isTrue();
            assertThat(first.continuationToken()).isEqualTo("tok-1");
            adt.verify(1, postRequestedFor(urlPathEqualTo("/query")));

            QueryPage second = gateway.query("SELECT * FROM DIGITALTWINS", first.continuationToken());

            assertThat(second.items()).extracting((ObjectNode row) -> row.get("COUNT").asInt()).containsExactly(3);
            assertThat(second.hasNext()).isFalse();
            adt.verify(2, postRequestedFor(urlPathEqualTo("/query")));
            adt.verify(postRequestedFor(urlPathEqualTo("/query"))
                    .withRequestBody(equalToJson("{\"query\":\"SELECT * FROM DIGITALTWINS\"}")));
            adt.verify(postRequestedFor(urlPathEqualTo("/query"))
                    .withRequestBody(equalToJson("{\"continuationToken\":\"tok-1\"}")));
        }

        @Test
        void anInvalidQueryFailsWithSqlQueryError() {
            adt.stubFor(post(urlPathEqualTo("/query")).willReturn(error(400, "SqlQueryError", "SQL query parse failed")));

            failsWith(400, AdtErrorCodes.SQL_QUERY_ERROR, () -> gateway.query("foo", null));
        }
    }

    @Nested
    class Models {

        @Test
        void uploadsModelsAndReadsTheAnswer() {
            adt.stubFor(post(urlPathEqualTo("/models")).willReturn(json(201, """
                    [{"id":"dtmi:com:example:Device;1","displayName":{"en":"Device"},"decommissioned":false,
                      "uploadTime":"2024-01-01T00:00:00+00:00"}]""")));
            String dtdl = "{\"@id\":\"dtmi:com:example:Device;1\",\"@type\":\"Interface\","
                    + "\"@context\":\"dtmi:dtdl:context;3\"}";

            List<ModelInfo> created = gateway.createModels(List.of(dtdl));

            assertThat(created).containsExactly(new ModelInfo(MODEL, false, null));
            adt.verify(postRequestedFor(urlPathEqualTo("/models")).withRequestBody(equalToJson("[" + dtdl + "]")));
        }

        @Test
        void readsAModelWithItsDefinitionAndAMissingOneIsEmpty() {
            adt.stubFor(get(urlPathMatching("/models/dtmi:com:example:Device;1.*")).willReturn(json(200, """
                    {"id":"dtmi:com:example:Device;1","decommissioned":true,
                     "model":{"@id":"dtmi:com:example:Device;1","@type":"Interface"}}""")));
            adt.stubFor(get(urlPathMatching("/models/dtmi:com:example:Other;1.*"))
                    .willReturn(error(404, "ModelNotFound", "There is no Model(s) available")));

            Optional<ModelInfo> model = gateway.getModel(MODEL);

            assertThat(model).hasValueSatisfying(m -> {
                assertThat(m.id()).isEqualTo(MODEL);
                assertThat(m.decommissioned()).isTrue();
                assertThat(m.definition()).contains("\"@type\":\"Interface\"");
            });
            assertThat(gateway.getModel("dtmi:com:example:Other;1")).isEmpty();
            adt.verify(getRequestedFor(urlPathMatching("/models/dtmi:com:example:Device;1.*"))
                    .withQueryParam("includeModelDefinition", equalTo("true")));
        }

        @Test
        void uploadingAnExistingModelFailsWithModelAlreadyExists() {
            adt.stubFor(post(urlPathEqualTo("/models")).willReturn(error(409, "ModelAlreadyExists", "exists")));

            failsWith(409, AdtErrorCodes.MODEL_ALREADY_EXISTS,
                    () -> gateway.createModels(List.of("{\"@id\":\"dtmi:a:B;1\",\"@type\":\"Interface\"}")));
        }
    }

    @Nested
    class Failures {

        @Test
        void validationFailedKeepsCodeMessageAndDetails() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(400, """
                    {"error":{"code":"ValidationFailed","message":"Invalid twin specified",
                      "details":[{"code":"ValidationFailed",
                                  "message":"dtmi:com:example:Device;1 or one of its dependencies does not exist."}]}}
                    """)));

            AdtException failure = failsWith(400, AdtErrorCodes.VALIDATION_FAILED,
                    () -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)));
            assertThat(failure.getMessage()).isEqualTo("Invalid twin specified "
                    + "(dtmi:com:example:Device;1 or one of its dependencies does not exist.)");
            assertThat(failure.isTransient()).isFalse();
        }

        @Test
        void throttlingCarriesRetryAfter() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(
                    error(429, "TooManyRequests", "slow down").withHeader("Retry-After", "3")));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.isThrottled()).isTrue();
            assertThat(failure.isTransient()).isTrue();
            assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
        }

        @Test
        void throttlingWithoutABodyIsTooManyRequests() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1"))
                    .willReturn(aResponse().withStatus(429).withHeader("retry-after-ms", "250")));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
            assertThat(failure.retryAfter()).contains(Duration.ofMillis(250));
        }

        @Test
        void serviceUnavailableWithoutACodeIsServiceUnavailable() {
            adt.stubFor(delete(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withStatus(503)));

            AdtException failure = failsWith(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                    () -> gateway.deleteTwin("dev-1", null));
            assertThat(failure.isTransient()).isTrue();
        }

        @Test
        void anEmptyErrorBodyIsUnknownWithTheStatus() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withStatus(500)));

            AdtException failure = failsWith(500, AdtErrorCodes.UNKNOWN,
                    () -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)));
            assertThat(failure).hasMessageContaining("HTTP 500 without an error body");
            assertThat(failure.isTransient()).isTrue();
        }

        @Test
        void aNonJsonErrorBodyIsUnknownWithASnippet() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>Bad gateway</body></html>")));

            AdtException failure = failsWith(502, AdtErrorCodes.UNKNOWN, () -> gateway.getTwin("dev-1"));
            assertThat(failure).hasMessageContaining("Bad gateway");
        }

        @Test
        void aJsonErrorBodyWithoutErrorIsUnknown() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(400, "{\"message\":\"odd\"}")));

            failsWith(400, AdtErrorCodes.UNKNOWN, () -> gateway.getTwin("dev-1"));
        }

        /** A reset connection is a transport error; a malformed answer is one too, or a timeout. */
        @ParameterizedTest(name = "{0}")
        @CsvSource({"CONNECTION_RESET_BY_PEER, TransportError", "MALFORMED_RESPONSE_CHUNK, TransportError Timeout"})
        void aBrokenConnectionIsATransientTransportError(Fault fault, String errorCodes) {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withFault(fault)));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.statusCode()).isZero();
            assertThat(failure.errorCode()).isIn((Object[]) errorCodes.split(" "));
            assertThat(failure.isTransient()).isTrue();
        }

        @Test
        void aSlowAnswerIsATimeout() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/slow"))
                    .willReturn(error(404, "DigitalTwinNotFound", "late").withFixedDelay(1500)));
            SdkDigitalTwinsGateway impatient = new SdkDigitalTwinsGateway(
                    AdtWireMock.client(adt, Duration.ofMillis(200)));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> impatient.getTwin("slow"));

            assertThat(failure.statusCode()).isZero();
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TIMEOUT);
            assertThat(failure.isTransient()).isTrue();
        }

        @Test
        void aRefusedConnectionIsATransportError() {
            SdkDigitalTwinsGateway nowhere = new SdkDigitalTwinsGateway(
                    AdtWireMock.client("https://localhost:1", Duration.ofSeconds(2), null));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> nowhere.getTwin("dev-1"));

            assertThat(failure.statusCode()).isZero();
            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        }

        @Test
        void aTwinWithoutAModelInTheAnswerIsRejected() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(200, "{\"$dtId\":\"dev-1\"}")));

            AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.UNKNOWN);
            assertThat(failure).hasMessageContaining("$metadata.$model");
        }

        @Test
        void theSdkDoesNotRetryOnItsOwn() {
            adt.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));

            catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

            adt.verify(1, anyRequestedFor(anyUrl()));
        }
    }

    @Nested
    class WithRetries {

        @Test
        void retriesAThrottledCallAfterTheServicesRetryAfter() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("throttle")
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("served")
                    .willReturn(error(429, "TooManyRequests", "slow down").withHeader("Retry-After", "1")));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("throttle")
                    .whenScenarioStateIs("served")
                    .willReturn(json(200, "{\"$dtId\":\"dev-1\",\"$metadata\":{\"$model\":\"" + MODEL + "\"}}")));
            List<Duration> waits = new ArrayList<>();
            DigitalTwinsGateway retrying = new RetryingDigitalTwinsGateway(gateway, RetryBudget.lifecycle(),
                    waits::add, System::nanoTime);

            Optional<DigitalTwin> twin = retrying.getTwin("dev-1");

            assertThat(twin).map(DigitalTwin::id).contains("dev-1");
            assertThat(waits).containsExactly(Duration.ofSeconds(1));
            adt.verify(2, getRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")));
        }

        @Test
        void doesNotRetryValidationFailed() {
            adt.stubFor(put(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(json(400,
                    "{\"error\":{\"code\":\"ValidationFailed\",\"message\":\"Invalid twin specified\",\"details\":[]}}")));
            List<Duration> waits = new ArrayList<>();
            DigitalTwinsGateway retrying = new RetryingDigitalTwinsGateway(gateway, RetryBudget.lifecycle(),
                    waits::add, System::nanoTime);

            AdtException failure = catchThrowableOfType(AdtException.class,
                    () -> retrying.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)));

            assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED);
            assertThat(waits).isEmpty();
            adt.verify(1, putRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")));
        }

        @Test
        void retriesATransportErrorUntilAnAnswer() {
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("reset")
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).inScenario("reset").whenScenarioStateIs("up")
                    .willReturn(error(404, "DigitalTwinNotFound", "none")));
            List<Duration> waits = new ArrayList<>();
            DigitalTwinsGateway retrying = new RetryingDigitalTwinsGateway(gateway, RetryBudget.lifecycle(),
                    waits::add, System::nanoTime);

            assertThat(retrying.getTwin("dev-1")).isEmpty();
            assertThat(waits).hasSize(1);
            adt.verify(2, getRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")));
        }
    }
}
