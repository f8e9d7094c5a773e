package io.dpstwin.testkit.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviours of Azure Digital Twins every {@link DigitalTwinsGateway} must pass, as a JUnit 5 test class to
 * extend (a technology compatibility kit in the style of Micrometer's): implement {@link #gateway()} and
 * {@link #fixture()}, and every test below runs against your gateway.
 *
 * <pre>{@code
 * class MyGatewayContractTest extends DigitalTwinsGatewayContract {
 *     static AdtEmulator adt = AdtEmulator.start();
 *     static MyGateway gateway = new MyGateway(adt.clientBuilder()
 *             .retryOptions(DigitalTwinsClients.noSdkRetries()).buildClient());   // a 429 must reach the gateway
 *     protected DigitalTwinsGateway gateway() { return gateway; }
 *     protected GatewayContractFixture fixture() { return GatewayContractFixture.emulator(adt); }
 * }
 * }</pre>
 *
 * The tests name their twins with a random prefix, so they also run against a shared instance; the fixture
 * uploads {@link ContractModels} before each test.
 */
public abstract class DigitalTwinsGatewayContract {

    /** The gateway under test (may be a new one per test or a shared one). */
    protected abstract DigitalTwinsGateway gateway();

    /** Uploads models and injects a 429 for the gateway's service. */
    protected abstract GatewayContractFixture fixture();

    private final String prefix = "ct" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void prepareService() {
        fixture().reset();
        fixture().ensureModels(ContractModels.ALL);
    }

    /** A twin id unique to this test run. */
    protected String id(String name) {
        return prefix + name;
    }

    private DigitalTwin device(String name) {
        return gateway().createTwinIfAbsent(DigitalTwin.of(id(name), ContractModels.DEVICE_ID,
                Map.of("serial", "S-" + name)));
    }

    private DigitalTwin gatewayTwin(String name) {
        return gateway().createTwinIfAbsent(DigitalTwin.of(id(name), ContractModels.GATEWAY_ID, Map.of("name", name)));
    }

    private static void assertAdtError(ThrowableAssert.ThrowingCallable call, int status, String... codes) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AdtException.class, e -> {
            assertThat(e.statusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
            assertThat(e.errorCode()).as("error code of %s", e.getMessage()).isIn((Object[]) codes);
        });
    }

    // ------------------------------------------------------------------------------------------------ twins

    @Test
    @DisplayName("createTwinIfAbsent creates a twin with a weak etag and refuses a second create with 412")
    void createsATwinOnlyIfAbsent() {
        DigitalTwin created = gateway().createTwinIfAbsent(DigitalTwin.of(id("dev"), ContractModels.DEVICE_ID,
                Map.of("serial", "S1", "temperature", 21.5)));

        assertThat(created.id()).isEqualTo(id("dev"));
        assertThat(created.modelId()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(created.etag()).startsWith("W/\"");
        assertThat(created.properties()).containsEntry("serial", "S1");
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("dev"), ContractModels.DEVICE_ID)),
                412, AdtErrorCodes.PRECONDITION_FAILED);
        assertThat(gateway().getTwin(id("dev")).orElseThrow().properties()).containsEntry("serial", "S1");
    }

    @Test
    @DisplayName("of two concurrent createTwinIfAbsent calls for one id, exactly one succeeds and one gets 412")
    void concurrentCreatesOfOneTwinCreateItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String twinId = id("race-" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<DigitalTwin>> attempts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String serial = "S" + i;
                    Callable<DigitalTwin> create = () -> {
                        start.await();
                        return gateway().createTwinIfAbsent(DigitalTwin.of(twinId, ContractModels.DEVICE_ID,
                                Map.of("serial", serial)));
                    };
                    attempts.add(pool.submit(create));
                }
                start.countDown();
                int created = 0;
                int refused = 0;
                String winner = null;
                for (Future<DigitalTwin> attempt : attempts) {
                    try {
                        winner = (String) attempt.get(30, TimeUnit.SECONDS).properties().get("serial");
                        created++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfSatisfying(AdtException.class,
                                a -> assertThat(a.statusCode()).isEqualTo(412));
                        refused++;
                    }
                }
                assertThat(created).isEqualTo(1);
                assertThat(refused).isEqualTo(1);
                assertThat(gateway().getTwin(twinId).orElseThrow().properties()).containsEntry("serial", winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("getTwin returns the stored twin with its etag, and empty for a missing twin")
    void getsATwinOrNothing() {
        DigitalTwin created = device("dev");

        Optional<DigitalTwin> read = gateway().getTwin(id("dev"));

        assertThat(read).isPresent();
        assertThat(read.get().etag()).isEqualTo(created.etag());
        assertThat(read.get().modelId()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(read.get().properties()).containsEntry("serial", "S-dev");
        assertThat(gateway().getTwin(id("missing"))).isEmpty();
    }

    @Test
    @DisplayName("createOrReplaceTwin replaces the twin and renews its etag")
    void replacesATwin() {
        DigitalTwin created = device("dev");

        DigitalTwin replaced = gateway().createOrReplaceTwin(DigitalTwin.of(id("dev"), ContractModels.DEVICE_ID,
                Map.of("serial", "S2")));

        assertThat(replaced.etag()).isNotEqualTo(created.etag()).startsWith("W/\"");
        assertThat(gateway().getTwin(id("dev")).orElseThrow().properties()).containsEntry("serial", "S2");
    }

    @Test
    @DisplayName("updateTwin honours If-Match: the current etag or * apply, a stale etag gets 412")
    void updatesHonourIfMatch() {
        DigitalTwin created = device("dev");
        gateway().updateTwin(id("dev"), List.of(JsonPatchOperation.replace("/serial", "S2")), created.etag());
        String current = gateway().getTwin(id("dev")).orElseThrow().etag();

        assertThat(current).isNotEqualTo(created.etag());
        assertAdtError(() -> gateway().updateTwin(id("dev"), List.of(JsonPatchOperation.replace("/serial", "S3")),
                created.etag()), 412, AdtErrorCodes.PRECONDITION_FAILED);
        gateway().updateTwin(id("dev"), List.of(JsonPatchOperation.replace("/serial", "S4")), "*");
        assertThat(gateway().getTwin(id("dev")).orElseThrow().properties()).containsEntry("serial", "S4");
    }

    @Test
    @DisplayName("updateTwin applies add, replace and remove, and refuses replacing an unset property")
    void appliesJsonPatch() {
        device("dev");

        gateway().updateTwin(id("dev"), List.of(
                JsonPatchOperation.add("/temperature", 20.5),
                JsonPatchOperation.add("/firmware", Map.of("version", "1.2", "build", 7)),
                JsonPatchOperation.replace("/serial", "S9"),
                JsonPatchOperation.add("/mode", "auto")), null);
        gateway().updateTwin(id("dev"), List.of(JsonPatchOperation.remove("/mode"),
                JsonPatchOperation.replace("/firmware/build", 8)), null);

        Map<String, Object> properties = gateway().getTwin(id("dev")).orElseThrow().properties();
        assertThat(properties).containsEntry("serial", "S9").doesNotContainKey("mode");
        assertThat(((Number) properties.get("temperature")).doubleValue()).isEqualTo(20.5);
        assertThat(properties.get("firmware")).isEqualTo(Map.of("version", "1.2", "build", 8));
        assertThatThrownBy(() -> gateway().updateTwin(id("dev"),
                List.of(JsonPatchOperation.replace("/mode", "manual")), null))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    @DisplayName("updateTwin migrates /$metadata/$model when the twin conforms to the new model")
    void migratesTheModelWithAPatch() {
        gatewayTwin("gw");

        gateway().updateTwin(id("gw"), List.of(
                JsonPatchOperation.replace("/$metadata/$model", ContractModels.SMART_GATEWAY_ID),
                JsonPatchOperation.add("/vendor", "Contoso")), null);

        DigitalTwin migrated = gateway().getTwin(id("gw")).orElseThrow();
        assertThat(migrated.modelId()).isEqualTo(ContractModels.SMART_GATEWAY_ID);
        assertThat(migrated.properties()).containsEntry("vendor", "Contoso").containsEntry("name", "gw");
        assertAdtError(() -> gateway().updateTwin(id("gw"), List.of(
                        JsonPatchOperation.replace("/$metadata/$model", ContractModels.DEVICE_ID)), null),
                400, AdtErrorCodes.VALIDATION_FAILED);
        assertThat(gateway().getTwin(id("gw")).orElseThrow().modelId()).isEqualTo(ContractModels.SMART_GATEWAY_ID);
    }

    @Test
    @DisplayName("updating or deleting a missing twin is 404 DigitalTwinNotFound")
    void missingTwinsAreNotFound() {
        assertAdtError(() -> gateway().updateTwin(id("missing"), List.of(JsonPatchOperation.add("/serial", "x")),
                null), 404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
        assertAdtError(() -> gateway().deleteTwin(id("missing"), null), 404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
    }

    @Test
    @DisplayName("deleteTwin honours If-Match and removes the twin")
    void deletesATwin() {
        DigitalTwin created = device("dev");
        gateway().updateTwin(id("dev"), List.of(JsonPatchOperation.replace("/serial", "S2")), null);

        assertAdtError(() -> gateway().deleteTwin(id("dev"), created.etag()), 412, AdtErrorCodes.PRECONDITION_FAILED);
        gateway().deleteTwin(id("dev"), gateway().getTwin(id("dev")).orElseThrow().etag());

        assertThat(gateway().getTwin(id("dev"))).isEmpty();
    }

    @Test
    @DisplayName("a twin is refused with 400 ValidationFailed when its model is not uploaded")
    void refusesTwinsOfUnknownModels() {
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("dev"), "dtmi:dpstwin:contract:Nope;1")),
                400, AdtErrorCodes.VALIDATION_FAILED);
        assertThat(gateway().getTwin(id("dev"))).isEmpty();
    }

    @Test
    @DisplayName("a twin is refused with 400 ValidationFailed for an undeclared property, a wrong type or a bad enum")
    void refusesTwinsThatBreakTheirModel() {
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("a"), ContractModels.DEVICE_ID,
                Map.of("colour", "red"))), 400, AdtErrorCodes.VALIDATION_FAILED);
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("b"), ContractModels.DEVICE_ID,
                Map.of("temperature", "warm"))), 400, AdtErrorCodes.VALIDATION_FAILED);
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("c"), ContractModels.DEVICE_ID,
                Map.of("mode", "turbo"))), 400, AdtErrorCodes.VALIDATION_FAILED);
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("d"), ContractModels.DEVICE_ID,
                Map.of("reading", 1.0))), 400, AdtErrorCodes.VALIDATION_FAILED);
        device("e");
        assertAdtError(() -> gateway().updateTwin(id("e"), List.of(JsonPatchOperation.add("/temperature", "hot")),
                null), 400, AdtErrorCodes.VALIDATION_FAILED);
        assertThat(gateway().getTwin(id("a"))).isEmpty();
    }

    @Test
    @DisplayName("a twin with components is accepted only with every component initialised")
    void requiresComponentsAtCreation() {
        assertAdtError(() -> gateway().createTwinIfAbsent(DigitalTwin.of(id("t1"), ContractModels.THERMOSTAT_ID,
                Map.of("setpoint", 21.0))), 400, AdtErrorCodes.VALIDATION_FAILED);

        DigitalTwin created = gateway().createTwinIfAbsent(DigitalTwin.of(id("t2"), ContractModels.THERMOSTAT_ID,
                Map.of("setpoint", 21.0, "info", Map.of("$metadata", Map.of(), "manufacturer", "Contoso"))));

        assertThat(created.properties()).containsKey("info");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) gateway().getTwin(id("t2")).orElseThrow()
                .properties().get("info");
        assertThat(info).containsEntry("manufacturer", "Contoso");
    }

    // ------------------------------------------------------------------------------------------------ relationships

    @Test
    @DisplayName("a twin with only an incoming relationship cannot be deleted (400 RelationshipsNotDeleted)")
    void incomingRelationshipsBlockDeletion() {
        device("dev");
        gatewayTwin("gw");
        gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("gw"), "connectedTo"));

        assertAdtError(() -> gateway().deleteTwin(id("gw"), null), 400, AdtErrorCodes.RELATIONSHIPS_NOT_DELETED);
        assertThat(gateway().getTwin(id("gw"))).isPresent();

        gateway().deleteRelationship(id("dev"), "r1", null);
        gateway().deleteTwin(id("gw"), null);
        assertThat(gateway().getTwin(id("gw"))).isEmpty();
    }

    @Test
    @DisplayName("a twin with only an outgoing relationship cannot be deleted (400 RelationshipsNotDeleted)")
    void outgoingRelationshipsBlockDeletion() {
        device("dev");
        gatewayTwin("gw");
        gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("gw"), "connectedTo"));

        assertAdtError(() -> gateway().deleteTwin(id("dev"), null), 400, AdtErrorCodes.RELATIONSHIPS_NOT_DELETED);
        assertThat(gateway().getTwin(id("dev"))).isPresent();
    }

    @Test
    @DisplayName("relationships are created once, read, listed by name and deleted; missing ones are 404")
    void managesRelationships() {
        device("dev");
        device("other");
        gatewayTwin("gw");
        Relationship created = gateway().createRelationshipIfAbsent(new Relationship("r1", id("dev"), id("gw"),
                "connectedTo", null, Map.of("since", "2024")));
        gateway().createRelationshipIfAbsent(Relationship.of("p1", id("dev"), id("other"), "peer"));

        assertThat(created.etag()).startsWith("W/\"");
        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("gw"),
                "connectedTo")), 412, AdtErrorCodes.PRECONDITION_FAILED);
        Relationship read = gateway().getRelationship(id("dev"), "r1").orElseThrow();
        assertThat(read.targetId()).isEqualTo(id("gw"));
        assertThat(read.name()).isEqualTo("connectedTo");
        assertThat(read.properties()).containsEntry("since", "2024");
        assertThat(gateway().listRelationships(id("dev"), null)).extracting(Relationship::id)
                .containsExactlyInAnyOrder("r1", "p1");
        assertThat(gateway().listRelationships(id("dev"), "peer")).extracting(Relationship::id).containsExactly("p1");
        Relationship replaced = gateway().createOrReplaceRelationship(new Relationship("r1", id("dev"), id("gw"),
                "connectedTo", null, Map.of("since", "2025")));
        assertThat(replaced.etag()).isNotEqualTo(created.etag());

        assertAdtError(() -> gateway().deleteRelationship(id("dev"), "r1", created.etag()), 412,
                AdtErrorCodes.PRECONDITION_FAILED);
        gateway().deleteRelationship(id("dev"), "r1", replaced.etag());
        assertThat(gateway().getRelationship(id("dev"), "r1")).isEmpty();
        assertAdtError(() -> gateway().deleteRelationship(id("dev"), "r1", null), 404,
                AdtErrorCodes.RELATIONSHIP_NOT_FOUND);
        assertAdtError(() -> gateway().listRelationships(id("missing"), null), 404,
                AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
        assertAdtError(() -> gateway().listIncomingRelationships(id("missing")), 404,
                AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
    }

    @Test
    @DisplayName("a relationship to a missing target is 404 TargetDigitalTwinNotFound, from a missing source 404")
    void relationshipsNeedBothTwins() {
        device("dev");

        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("nowhere"),
                "peer")), 404, AdtErrorCodes.TARGET_DIGITAL_TWIN_NOT_FOUND, AdtErrorCodes.TARGET_TWIN_NOT_FOUND);
        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r1", id("nowhere"), id("dev"),
                "peer")), 404, AdtErrorCodes.DIGITAL_TWIN_NOT_FOUND);
        assertThat(gateway().listRelationships(id("dev"), null)).isEmpty();
    }

    @Test
    @DisplayName("a relationship must be declared by the source model, reach the declared target and not loop")
    void relationshipsFollowTheModel() {
        device("dev");
        device("other");
        gateway().createTwinIfAbsent(DigitalTwin.of(id("smart"), ContractModels.SMART_GATEWAY_ID));

        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("other"),
                "owns")), 400, AdtErrorCodes.INVALID_RELATIONSHIP);
        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r2", id("dev"), id("other"),
                "connectedTo")), 400, AdtErrorCodes.INVALID_RELATIONSHIP);
        assertAdtError(() -> gateway().createRelationshipIfAbsent(Relationship.of("r3", id("dev"), id("dev"),
                "peer")), 400, AdtErrorCodes.OPERATION_NOT_ALLOWED);
        Relationship toSubtype = gateway().createRelationshipIfAbsent(Relationship.of("r4", id("dev"), id("smart"),
                "connectedTo"));
        assertThat(toSubtype.targetId()).isEqualTo(id("smart"));
    }

    @Test
    @DisplayName("listing 250 relationships returns every one, across pages, outgoing and incoming")
    void listsRelationshipsPastOnePage() {
        device("dev");
        gatewayTwin("gw");
        for (int i = 0; i < 250; i++) {
            gateway().createRelationshipIfAbsent(Relationship.of("r" + i, id("dev"), id("gw"), "connectedTo"));
        }

        List<Relationship> outgoing = gateway().listRelationships(id("dev"), null);
        List<IncomingRelationship> incoming = gateway().listIncomingRelationships(id("gw"));

        assertThat(outgoing).hasSize(250).extracting(Relationship::id).doesNotHaveDuplicates();
        assertThat(incoming).hasSize(250).extracting(IncomingRelationship::relationshipId).doesNotHaveDuplicates();
        assertThat(gateway().listRelationships(id("dev"), "connectedTo")).hasSize(250);
    }

    @Test
    @DisplayName("an incoming relationship carries its id, source, name and link")
    void incomingRelationshipsCarryFourFields() {
        device("dev");
        gatewayTwin("gw");
        gateway().createRelationshipIfAbsent(Relationship.of("r1", id("dev"), id("gw"), "connectedTo"));

        List<IncomingRelationship> incoming = gateway().listIncomingRelationships(id("gw"));

        assertThat(incoming).hasSize(1);
        IncomingRelationship relationship = incoming.get(0);
        assertThat(relationship.relationshipId()).isEqualTo("r1");
        assertThat(relationship.sourceId()).isEqualTo(id("dev"));
        assertThat(relationship.name()).isEqualTo("connectedTo");
        assertThat(relationship.link()).contains("/digitaltwins/").contains("/relationships/r1");
        assertThat(gateway().listIncomingRelationships(id("dev"))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ query

    @Test
    @DisplayName("a query returns every matching twin across pages with continuation tokens, and COUNT() counts them")
    void queriesPageWithContinuationTokens() {
        int twins = 120;
        for (int i = 0; i < twins; i++) {
            gateway().createTwinIfAbsent(DigitalTwin.of(id(String.format(Locale.ROOT, "q%03d", i)),
                    ContractModels.DEVICE_ID, Map.of("serial", "Q" + i, "temperature", i)));
        }
        gatewayTwin("gw");
        fixture().awaitQueryIndex();
        String filter = " FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, '" + id("q") + "') AND IS_OF_MODEL(T, '"
                + ContractModels.DEVICE_ID + "')";

        Set<String> seen = new HashSet<>();
        int pages = 0;
        String token = null;
        do {
            QueryPage page = gateway().query("SELECT *" + filter, token);
            pages++;
            for (ObjectNode item : page.items()) {
                assertThat(seen.add(item.get("$dtId").asText())).as("duplicate %s", item.get("$dtId")).isTrue();
                assertThat(item.path("$metadata").path("$model").asText()).isEqualTo(ContractModels.DEVICE_ID);
            }
            token = page.continuationToken();
        } while (token != null && pages < 50);

        assertThat(seen).hasSize(twins);
        assertThat(pages).isGreaterThan(1);
        QueryPage count = gateway().query("SELECT COUNT()" + filter, null);
        assertThat(count.items()).hasSize(1);
        assertThat(count.items().get(0).get("COUNT").asInt()).isEqualTo(twins);
        QueryPage warm = gateway().query("SELECT COUNT()" + filter + " AND T.temperature >= 100", null);
        assertThat(warm.items().get(0).get("COUNT").asInt()).isEqualTo(20);
    }

    @Test
    @DisplayName("a query outside the language is 400 SqlQueryError")
    void refusesInvalidQueries() {
        assertAdtError(() -> gateway().query("SELEKT * FROM DIGITALTWINS", null), 400, AdtErrorCodes.SQL_QUERY_ERROR);
    }

    // ------------------------------------------------------------------------------------------------ models

    @Test
    @DisplayName("models upload all or nothing, read back with their definition, and refuse duplicates and bad DTDL")
    void uploadsAndReadsModels() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String baseId = "dtmi:dpstwin:contract:Base" + suffix + ";1";
        String childId = "dtmi:dpstwin:contract:Child" + suffix + ";1";
        String base = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + baseId + "\",\"@type\":\"Interface\","
                + "\"contents\":[{\"@type\":\"Property\",\"name\":\"label\",\"schema\":\"string\"}]}";
        String child = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"" + childId + "\",\"@type\":\"Interface\","
                + "\"extends\":\"" + baseId + "\"}";
        String broken = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"dtmi:dpstwin:contract:Broken" + suffix
                + ";1\",\"@type\":\"Interface\",\"extends\":\"dtmi:dpstwin:contract:Absent" + suffix + ";1\"}";

        List<ModelInfo> uploaded = gateway().createModels(List.of(base, child));

        assertThat(uploaded).extracting(ModelInfo::id).containsExactlyInAnyOrder(baseId, childId);
        assertThat(uploaded).allSatisfy(m -> assertThat(m.decommissioned()).isFalse());
        ModelInfo read = gateway().getModel(childId).orElseThrow();
        assertThat(read.definition()).contains(baseId).contains("\"extends\"");
        assertThat(gateway().getModel("dtmi:dpstwin:contract:Missing" + suffix + ";1")).isEmpty();
        assertAdtError(() -> gateway().createModels(List.of(base)), 409, AdtErrorCodes.MODEL_ALREADY_EXISTS,
                AdtErrorCodes.MODEL_ID_ALREADY_EXISTS);
        assertThatThrownBy(() -> gateway().createModels(List.of(base))).isInstanceOfSatisfying(AdtException.class,
                e -> assertThat(e.isModelAlreadyExists()).as("isModelAlreadyExists of %s", e).isTrue());
        assertAdtError(() -> gateway().createModels(List.of(broken)), 400, AdtErrorCodes.DTDL_PARSER_ERROR);
        String third = base.replace(baseId, "dtmi:dpstwin:contract:Third" + suffix + ";1");
        assertAdtError(() -> gateway().createModels(List.of(third, broken)), 400, AdtErrorCodes.DTDL_PARSER_ERROR);
        assertThat(gateway().getModel("dtmi:dpstwin:contract:Third" + suffix + ";1")).as("all or nothing").isEmpty();
        DigitalTwin ofChild = gateway().createTwinIfAbsent(DigitalTwin.of(id("child"), childId,
                Map.of("label", "inherited")));
        assertThat(ofChild.properties()).containsEntry("label", "inherited");
    }

    // ------------------------------------------------------------------------------------------------ throttling

    @Test
    @DisplayName("a 429 surfaces as a transient AdtException with the Retry-After delay")
    void surfacesThrottling() {
        device("dev");
        fixture().throttleNextRequest(Duration.ofSeconds(2));

        assertThatThrownBy(() -> gateway().getTwin(id("dev"))).isInstanceOfSatisfying(AdtException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.isThrottled()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        });
        assertThat(gateway().getTwin(id("dev"))).isPresent();
    }
}
