package io.dpstwin.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The emulator's wire behaviour, checked with a plain HTTP client that trusts exactly its certificate. */
class AdtEmulatorHttpTest extends OnAdtEmulator {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(ContractModels.ALL.toArray(String[]::new)).build();
    private static HttpClient http;

    @BeforeAll
    static void trustTheEmulator() throws Exception {
        http = client(ADT.emulator().certificate());
    }

    static HttpClient client(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("emulator", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        return send(emulator, method, pathAndQuery, body, headers);
    }

    private static HttpResponse<String> send(AdtEmulator target, String method, String pathAndQuery, String body,
                                             String... headers) throws IOException, InterruptedException {
        String url = pathAndQuery.startsWith("https://") ? pathAndQuery : target.endpoint() + pathAndQuery;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean authorization = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            authorization |= headers[i].equals("Authorization");
        }
        if (!authorization) {
            request.header("Authorization", "Bearer test");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = AdtJson.parse(response.body());
        assertThat(body.at("/error/code").asText()).isEqualTo(code);
        assertThat(body.at("/error/message").asText()).isNotBlank();
    }

    private static final String GATEWAY_TWIN = "{\"$metadata\":{\"$model\":\"" + ContractModels.GATEWAY_ID
            + "\"},\"name\":\"gw\"}";

    @Test
    void requiresABearerTokenButAcceptsAnyTokenAndApiVersion() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/models"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(anonymous, 401, "Unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertError(send("GET", "/models", null, "Authorization", "Basic dXNlcjpwYXNz"), 401, "Unauthorized");

        assertThat(send("GET", "/models", null, "Authorization", "Bearer anything").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/models?api-version=1999-01-01", null).statusCode()).isEqualTo(200);
        assertThat(emulator.journal().countStatus(401)).isEqualTo(2);
    }

    @Test
    void answersPutWith200PatchAndDeleteWith204AndEtagHeaders() throws Exception {
        HttpResponse<String> put = send("PUT", "/digitaltwins/gw-1?api-version=2023-10-31", GATEWAY_TWIN,
                "Content-Type", "application/json");
        assertThat(put.statusCode()).isEqualTo(200);
        String etag = put.headers().firstValue("ETag").orElseThrow();
        assertThat(AdtJson.parse(put.body()).get("$etag").asText()).isEqualTo(etag);

        HttpResponse<String> patch = send("PATCH", "/digitaltwins/gw-1", "[{\"op\":\"replace\",\"path\":\"/name\","
                + "\"value\":\"x\"}]", "Content-Type", "application/json-patch+json", "If-Match", etag);
        assertThat(patch.statusCode()).isEqualTo(204);
        assertThat(patch.body()).isEmpty();
        assertThat(patch.headers().firstValue("ETag")).isPresent().isNotEqualTo(etag);

        HttpResponse<String> delete = send("DELETE", "/digitaltwins/gw-1", null, "If-Match", "*");
        assertThat(delete.statusCode()).isEqualTo(204);
        assertThat(delete.body()).isEmpty();
    }

    @Test
    void acceptsModelIdsRawAndPercentEncoded() throws Exception {
        HttpResponse<String> raw = send("GET", "/models/dtmi:dpstwin:contract:Gateway;1", null);
        HttpResponse<String> encoded = send("GET", "/models/dtmi%3Adpstwin%3Acontract%3AGateway%3B1"
                + "?includeModelDefinition=true", null);

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(AdtJson.parse(raw.body()).get("id").asText()).isEqualTo(ContractModels.GATEWAY_ID);
        assertThat(AdtJson.parse(raw.body()).has("model")).isFalse();
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(AdtJson.parse(encoded.body()).at("/model/@id").asText()).isEqualTo(ContractModels.GATEWAY_ID);
        assertThat(send("PATCH", "/models/dtmi%3Adpstwin%3Acontract%3AThermostat%3B1",
                "[{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":true}]").statusCode()).isEqualTo(204);
        assertThat(AdtJson.parse(send("GET", "/models/dtmi:dpstwin:contract:Thermostat;1", null).body())
                .get("decommissioned").asBoolean()).isTrue();
        assertError(send("PATCH", "/models/dtmi:dpstwin:contract:Thermostat;1",
                "[{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":false}]"), 400, "JsonPatchInvalid");
    }

    @Test
    void keepsEncodedSlashesInsideTwinIds() throws Exception {
        HttpResponse<String> put = send("PUT", "/digitaltwins/site%2Fgw%201", GATEWAY_TWIN);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(AdtJson.parse(put.body()).get("$dtId").asText()).isEqualTo("site/gw 1");
        assertThat(send("GET", "/digitaltwins/site%2Fgw%201", null).statusCode()).isEqualTo(200);
        assertError(send("GET", "/digitaltwins/site/gw", null), 404, "NotFound");
    }

    @Test
    void decodesPathSegmentsOneByOne() {
        assertThat(AdtHttpHandler.segments("/models/dtmi:a:B;1")).containsExactly("models", "dtmi:a:B;1");
        assertThat(AdtHttpHandler.segments("/digitaltwins/a%2Fb%3Bc%3Ad+e%C3%A9/")).containsExactly("digitaltwins",
                "a/b;c:d+e\u00e9");
        assertThatThrownBy(() -> AdtHttpHandler.percentDecode("bad%zz"))
                .hasMessageContaining("invalid percent escape");
        assertThatThrownBy(() -> AdtHttpHandler.percentDecode("bad%2"))
                .hasMessageContaining("invalid percent escape");
    }

    @Test
    void alwaysAnswersCollectionsWithValueAndANullableLink() throws Exception {
        send("PUT", "/digitaltwins/gw-1", GATEWAY_TWIN);

        JsonNode relationships = AdtJson.parse(send("GET", "/digitaltwins/gw-1/relationships", null).body());
        JsonNode incoming = AdtJson.parse(send("GET", "/digitaltwins/gw-1/incomingrelationships", null).body());
        HttpResponse<String> query = send("POST", "/query", "{\"query\":\"SELECT * FROM DIGITALTWINS\"}");

        assertThat(relationships.get("value").isArray()).isTrue();
        assertThat(relationships.get("nextLink").isNull()).isTrue();
        assertThat(incoming.get("value")).isEmpty();
        assertThat(incoming.get("nextLink").isNull()).isTrue();
        assertThat(AdtJson.parse(query.body()).get("value")).hasSize(1);
        assertThat(AdtJson.parse(query.body()).get("continuationToken").isNull()).isTrue();
        assertThat(query.headers().firstValue("query-charge")).isPresent();
    }

    @Test
    void followsAbsoluteAndHostRelativeNextLinks() throws Exception {
        try (AdtEmulator small = AdtEmulator.builder().engine(AdtEngine.builder().relationshipPageSize(2).build())
                .models(ContractModels.ALL.toArray(String[]::new)).start()) {
            HttpClient previous = http;
            http = client(small.certificate());
            try {
                send(small, "PUT", "/digitaltwins/dev", "{\"$metadata\":{\"$model\":\"" + ContractModels.DEVICE_ID
                        + "\"}}");
                send(small, "PUT", "/digitaltwins/gw", GATEWAY_TWIN);
                for (int i = 0; i < 5; i++) {
                    assertThat(send(small, "PUT", "/digitaltwins/dev/relationships/r" + i, "{\"$targetId\":\"gw\","
                            + "\"$relationshipName\":\"connectedTo\"}").statusCode()).isEqualTo(200);
                }

                List<String> ids = new ArrayList<>();
                JsonNode page = AdtJson.parse(send(small, "GET", "/digitaltwins/dev/relationships?api-version=2023-10-31",
                        null).body());
                String next = page.get("nextLink").asText();
                assertThat(next).startsWith(small.endpoint() + "/digitaltwins/dev/relationships?");
                page.get("value").forEach(r -> ids.add(r.get("$relationshipId").asText()));
                page = AdtJson.parse(send(small, "GET", next, null).body());
                page.get("value").forEach(r -> ids.add(r.get("$relationshipId").asText()));
                String relative = page.get("nextLink").asText().substring(small.endpoint().length());
                page = AdtJson.parse(send(small, "GET", relative, null).body());
                page.get("value").forEach(r -> ids.add(r.get("$relationshipId").asText()));

                assertThat(page.get("nextLink").isNull()).isTrue();
                assertThat(ids).containsExactly("r0", "r1", "r2", "r3", "r4");
                assertError(send(small, "GET", "/digitaltwins/dev/relationships?continuationToken=forged", null),
                        400, "BadRequest");
            } finally {
                http = previous;
            }
        }
    }

    @Test
    void continuesQueriesFromABodyWithOnlyTheToken() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("PUT", "/digitaltwins/gw-" + i, GATEWAY_TWIN);
        }

        HttpResponse<String> first = send("POST", "/query", "{\"query\":\"SELECT T.$dtId FROM DIGITALTWINS T\"}",
                "max-items-per-page", "2");
        String token = AdtJson.parse(first.body()).get("continuationToken").asText();
        HttpResponse<String> second = send("POST", "/query", "{\"continuationToken\":\"" + token + "\"}",
                "max-items-per-page", "2");
        String secondToken = AdtJson.parse(second.body()).get("continuationToken").asText();
        HttpResponse<String> last = send("POST", "/query", "{\"continuationToken\":\"" + secondToken + "\"}");

        assertThat(AdtJson.parse(first.body()).get("value")).hasSize(2);
        assertThat(AdtJson.parse(second.body()).get("value")).hasSize(2);
        assertThat(AdtJson.parse(last.body()).get("value")).hasSize(1);
        assertThat(AdtJson.parse(last.body()).get("continuationToken").isNull()).isTrue();
        assertThat(AdtJson.parse(second.body()).get("value").get(0).get("$dtId").asText()).isEqualTo("gw-2");
        assertError(send("POST", "/query", "{\"continuationToken\":\"unknown\"}"), 400, "BadRequest");
        assertError(send("POST", "/query", "{}"), 400, "BadRequest");
        assertError(send("POST", "/query", "SELECT"), 400, "BadRequest");
        assertError(send("POST", "/query", "{\"query\":\"SELECT * FROM DIGITALTWINS\"}", "max-items-per-page", "x"),
                400, "BadRequest");
        assertError(send("POST", "/query", "{\"query\":\"SELECT * FROM EVERYTHING\"}"), 400, "SqlQueryError");
    }

    @Test
    void refusesMalformedTelemetryAndRoutesOverPlainHttp() throws Exception {
        send("PUT", "/digitaltwins/gw-1", GATEWAY_TWIN);

        HttpResponse<String> published = send("POST", "/digitaltwins/gw-1/telemetry", "{\"t\":1}", "Message-Id", "m1",
                "Telemetry-Source-Time", "2024-05-01T12:00:00.123Z");
        assertThat(published.statusCode()).isEqualTo(204);
        assertError(send("POST", "/digitaltwins/gw-1/telemetry", "{\"t\":1}"), 400, "InvalidArgument");
        assertError(send("POST", "/digitaltwins/gw-1/telemetry", "{\"t\":1}", "Message-Id", "m2",
                "Telemetry-Source-Time", "yesterday"), 400, "InvalidArgument");
        assertError(send("POST", "/digitaltwins/gw-1/telemetry", "\"t=1\"", "Message-Id", "m3"), 400,
                "InvalidArgument");
        assertError(send("GET", "/digitaltwins/gw-1/telemetry", null), 405, "MethodNotAllowed");
        assertError(send("POST", "/digitaltwins/gw-1/components/nothing/telemetry", "{}", "Message-Id", "m4"), 404,
                "ComponentNotFound");
        assertError(send("PUT", "/eventroutes/r1", "[]"), 400, "InvalidArgument");
        assertError(send("PUT", "/eventroutes/r1", "{\"endpointName\":\"none\",\"filter\":7}"), 400,
                "EventRouteFilterInvalid");
        assertError(send("PUT", "/eventroutes/%20", "{\"endpointName\":\"none\",\"filter\":\"true\"}"), 400,
                "EventRouteIdInvalid");
        assertError(send("POST", "/eventroutes", "{}"), 405, "MethodNotAllowed");
        assertThat(AdtJson.parse(send("GET", "/eventroutes", null).body()).get("value")).isEmpty();
        assertThat(emulator.events().routes()).isEmpty();
    }

    @Test
    void answersBadRequestsWithClearErrorsAndChangesNothing() throws Exception {
        assertError(send("GET", "/jobs/imports", null), 404, "NotFound");
        HttpResponse<String> wrongMethod = send("POST", "/digitaltwins/gw-1", GATEWAY_TWIN);
        assertError(wrongMethod, 405, "MethodNotAllowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, PUT, PATCH, DELETE");
        assertError(send("PUT", "/digitaltwins/gw-1", "{not json"), 400, "InvalidArgument");
        assertError(send("PUT", "/digitaltwins/gw-1", "[1,2]"), 400, "InvalidArgument");
        assertError(send("PUT", "/digitaltwins/gw-1", "{\"name\":\"no model\"}"), 400, "ValidationFailed");
        send("PUT", "/digitaltwins/gw-1", GATEWAY_TWIN);
        assertError(send("PATCH", "/digitaltwins/gw-1", "{\"op\":\"add\"}"), 400, "JsonPatchInvalid");
        assertError(send("PATCH", "/digitaltwins/gw-1", "[{\"op\":\"move\",\"from\":\"/name\",\"path\":\"/x\"}]"),
                400, "JsonPatchInvalid");
        assertError(send("PUT", "/digitaltwins/gw-1/relationships/r1", "{\"$relationshipName\":\"peer\"}"), 400,
                "InvalidArgument");
        assertError(send("POST", "/models", "{\"not\":\"an array\"}"), 400, "InvalidArgument");
        assertError(send("POST", "/models", "[{\"@id\":\"dtmi:x:Y;1\"}]"), 400, "DTDLParserError");

        assertThat(AdtJson.parse(send("GET", "/digitaltwins/gw-1", null).body()).get("name").asText()).isEqualTo("gw");
        assertThat(emulator.engine().relationshipCount()).isZero();
        assertThat(emulator.engine().modelIds()).hasSize(ContractModels.ALL.size());
    }

    @Test
    void refusesBodiesOverTheLimit() throws Exception {
        try (AdtEmulator small = AdtEmulator.builder().maxBodyBytes(1024).start()) {
            HttpClient previous = http;
            http = client(small.certificate());
            try {
                assertError(send(small, "POST", "/models", "[" + " ".repeat(2000) + "]"), 413, "PayloadTooLarge");
                assertThat(small.engine().counters().total()).isZero();
            } finally {
                http = previous;
            }
        }
    }

    @Test
    void dropsConnectionsWithoutAnAnswerWhenAsked() throws Exception {
        send("PUT", "/digitaltwins/gw-1", GATEWAY_TWIN);
        emulator.faults().dropConnection(1.0, AdtOperation.GET_TWIN);

        assertThatThrownBy(() -> send("GET", "/digitaltwins/gw-1", null)).isInstanceOf(IOException.class);
        assertThat(emulator.journal().count(e -> e.operation() == AdtOperation.GET_TWIN && e.status() == 0))
                .isPositive();
        emulator.faults().clear();
        assertThat(send("GET", "/digitaltwins/gw-1", null).statusCode()).isEqualTo(200);
    }
}
