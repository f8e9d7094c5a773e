package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.emulator.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the in-memory fake offers beyond the contract: lag, faults, counters, limits, reset, concurrency. */
class InMemoryDigitalTwinsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private InMemoryDigitalTwins fake(AdtEngine.Builder builder) {
        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(builder.clock(clock).build());
        adt.uploadModels(ContractModels.ALL.toArray(String[]::new));
        return adt;
    }

    private InMemoryDigitalTwins fake() {
        return fake(AdtEngine.builder());
    }

    private static DigitalTwin gateway(String id) {
        return DigitalTwin.of(id, ContractModels.GATEWAY_ID, Map.of("name", id));
    }

    private static int count(InMemoryDigitalTwins adt, String query) {
        return adt.query(query, null).items().get(0).get("COUNT").asInt();
    }

    @Test
    void queriesSeeWritesOnlyAfterTheIndexLag() {
        InMemoryDigitalTwins adt = fake(AdtEngine.builder().queryIndexLag(Duration.ofSeconds(10)));

        adt.createTwinIfAbsent(gateway("gw-1"));

        assertThat(adt.getTwin("gw-1")).as("reads do not lag").isPresent();
        assertThat(count(adt, "SELECT COUNT() FROM DIGITALTWINS")).isZero();
        clock.advance(Duration.ofSeconds(9));
        assertThat(count(adt, "SELECT COUNT() FROM DIGITALTWINS")).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(count(adt, "SELECT COUNT() FROM DIGITALTWINS")).isEqualTo(1);

        adt.deleteTwin("gw-1", null);
        assertThat(count(adt, "SELECT COUNT() FROM DIGITALTWINS")).as("deletes lag too").isEqualTo(1);
        adt.createTwinIfAbsent(gateway("gw-2"));
        adt.engine().queryIndexLag(Duration.ZERO);
        assertThat(adt.query("SELECT T.$dtId FROM DIGITALTWINS T", null).items())
                .extracting(n -> n.get("$dtId").asText()).containsExactly("gw-2");
    }

    @Test
    void injectsTheSameFaultsForTheSameSeed() {
        List<Boolean> first = throttledPattern(7);
        List<Boolean> second = throttledPattern(7);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains(true, false);
    }

    private List<Boolean> throttledPattern(long seed) {
        InMemoryDigitalTwins adt = fake(AdtEngine.builder().seed(seed));
        adt.createTwinIfAbsent(gateway("gw-1"));
        adt.faults().throttle(0.5, Duration.ofSeconds(1), Duration.ofSeconds(5), AdtOperation.GET_TWIN);
        List<Boolean> throttled = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try {
                adt.getTwin("gw-1");
                throttled.add(false);
            } catch (AdtException e) {
                assertThat(e.statusCode()).isEqualTo(429);
                assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(1),
                        Duration.ofSeconds(5)));
                throttled.add(true);
            }
        }
        return throttled;
    }

    @Test
    void failsTheNextCallOfOneOperationOnly() {
        InMemoryDigitalTwins adt = fake();
        adt.createTwinIfAbsent(gateway("gw-1"));
        adt.faults().failNext(AdtOperation.DELETE_TWIN, new AdtServiceException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                "busy"));

        assertThat(adt.getTwin("gw-1")).isPresent();
        assertThatThrownBy(() -> adt.deleteTwin("gw-1", null)).isInstanceOfSatisfying(AdtException.class,
                e -> assertThat(e.isTransient()).isTrue());
        adt.deleteTwin("gw-1", null);
        assertThat(adt.getTwin("gw-1")).isEmpty();
    }

    @Test
    void reportsDroppedConnectionsAsTransportErrors() {
        InMemoryDigitalTwins adt = fake();
        adt.faults().dropConnection(1.0, AdtOperation.PUT_TWIN);

        assertThatThrownBy(() -> adt.createTwinIfAbsent(gateway("gw-1")))
                .isInstanceOfSatisfying(ConnectionDroppedException.class, e -> {
                    assertThat(e.statusCode()).isZero();
                    assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
                    assertThat(e.isTransient()).isTrue();
                });
        assertThat(adt.engine().twinCount()).isZero();
    }

    @Test
    void countsRequestsPerOperationAndPage() {
        InMemoryDigitalTwins adt = fake(AdtEngine.builder().relationshipPageSize(2));
        adt.createTwinIfAbsent(DigitalTwin.of("dev", ContractModels.DEVICE_ID));
        adt.createTwinIfAbsent(gateway("gw"));
        for (int i = 0; i < 5; i++) {
            adt.createRelationshipIfAbsent(Relationship.of("r" + i, "dev", "gw", "connectedTo"));
        }
        adt.counters().reset();

        assertThat(adt.listRelationships("dev", null)).hasSize(5);
        assertThat(adt.listIncomingRelationships("gw")).hasSize(5);
        adt.getTwin("missing");

        assertThat(adt.counters().count(AdtOperation.LIST_RELATIONSHIPS)).isEqualTo(3);
        assertThat(adt.counters().count(AdtOperation.LIST_INCOMING_RELATIONSHIPS)).isEqualTo(3);
        assertThat(adt.counters().count(AdtOperation.GET_TWIN)).isEqualTo(1);
        assertThat(adt.counters().total()).isEqualTo(7);
        assertThat(adt.counters().snapshot()).containsOnlyKeys(AdtOperation.LIST_RELATIONSHIPS,
                AdtOperation.LIST_INCOMING_RELATIONSHIPS, AdtOperation.GET_TWIN);
    }

    @Test
    void enforcesThePerTwinLimitIncludingRelationships() {
        InMemoryDigitalTwins adt = fake(AdtEngine.builder()
                .limits(new AdtLimits(null, new RateLimit(2, Duration.ofHours(1)))));
        adt.createTwinIfAbsent(DigitalTwin.of("dev", ContractModels.DEVICE_ID));
        adt.createTwinIfAbsent(gateway("gw"));
        adt.createRelationshipIfAbsent(Relationship.of("r1", "dev", "gw", "connectedTo"));

        assertThatThrownBy(() -> adt.createRelationshipIfAbsent(Relationship.of("r2", "dev", "gw", "connectedTo")))
                .isInstanceOfSatisfying(AdtException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.retryAfter()).isPresent();
                });
        assertThat(adt.engine().relationshipCount()).isEqualTo(1);
    }

    @Test
    void forgetsContinuationTokensAfterTheirExpiry() {
        InMemoryDigitalTwins adt = fake(AdtEngine.builder().defaultQueryPageSize(1).cursorExpiry(Duration.ofMinutes(1)));
        adt.createTwinIfAbsent(gateway("gw-1"));
        adt.createTwinIfAbsent(gateway("gw-2"));
        adt.createTwinIfAbsent(gateway("gw-3"));
        String token = adt.query("SELECT * FROM DIGITALTWINS", null).continuationToken();

        assertThat(adt.query(null, token).items()).hasSize(1);
        assertThat(adt.query(null, token).items()).as("a retried page").hasSize(1);
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> adt.query(null, token)).isInstanceOfSatisfying(AdtException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.BAD_REQUEST);
        });
    }

    @Test
    void storesTwinsAsAdtReturnsThem() {
        InMemoryDigitalTwins adt = fake();
        adt.createTwinIfAbsent(DigitalTwin.of("dev", ContractModels.DEVICE_ID, Map.of("serial", "S1",
                "temperature", 20.0)));
        ObjectNode before = adt.engine().getTwin("dev");
        clock.advance(Duration.ofMinutes(1));

        adt.updateTwin("dev", List.of(JsonPatchOperation.replace("/temperature", 21.0)), null);

        ObjectNode after = adt.engine().getTwin("dev");
        assertThat(after.get("$dtId").asText()).isEqualTo("dev");
        assertThat(after.get("$etag").asText()).matches("W/\"[0-9a-f-]{36}\"").isNotEqualTo(before.get("$etag").asText());
        JsonNode metadata = after.get("$metadata");
        assertThat(metadata.get("$model").asText()).isEqualTo(ContractModels.DEVICE_ID);
        assertThat(metadata.get("$lastUpdateTime").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(metadata.at("/temperature/lastUpdateTime").asText()).isEqualTo("2026-01-01T00:01:00Z");
        assertThat(metadata.at("/serial/lastUpdateTime").asText()).as("untouched").isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void refusesNewTwinsOfDecommissionedModelsButKeepsExistingOnesWorking() {
        InMemoryDigitalTwins adt = fake();
        adt.createTwinIfAbsent(gateway("gw-1"));
        adt.engine().decommissionModel(ContractModels.GATEWAY_ID);

        assertThatThrownBy(() -> adt.createTwinIfAbsent(gateway("gw-2"))).isInstanceOfSatisfying(AdtException.class,
                e -> assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.MODEL_DECOMMISSIONED));
        adt.updateTwin("gw-1", List.of(JsonPatchOperation.replace("/name", "still fine")), null);
        assertThat(adt.getModel(ContractModels.GATEWAY_ID).orElseThrow().decommissioned()).isTrue();
        assertThatThrownBy(() -> adt.updateTwin("gw-1", List.of(JsonPatchOperation.replace("/$metadata/$model",
                ContractModels.SMART_GATEWAY_ID), JsonPatchOperation.add("/vendor", 5)), null))
                .isInstanceOfSatisfying(AdtServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED);
                    assertThat(e.details()).singleElement().asString().contains("vendor");
                });
    }

    @Test
    void validatesRelationshipProperties() {
        InMemoryDigitalTwins adt = fake();
        adt.createTwinIfAbsent(DigitalTwin.of("dev", ContractModels.DEVICE_ID));
        adt.createTwinIfAbsent(gateway("gw"));

        assertThatThrownBy(() -> adt.createRelationshipIfAbsent(new Relationship("r1", "dev", "gw", "connectedTo",
                null, Map.of("since", 2024)))).isInstanceOfSatisfying(AdtException.class,
                e -> assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.VALIDATION_FAILED));
        adt.createRelationshipIfAbsent(new Relationship("r1", "dev", "gw", "connectedTo", null,
                Map.of("since", "2024")));
        String etag = adt.engine().patchRelationship("dev", "r1", AdtJson.parse(
                "[{\"op\":\"replace\",\"path\":\"/since\",\"value\":\"2025\"}]"), null);
        assertThat(adt.getRelationship("dev", "r1").orElseThrow().etag()).isEqualTo(etag);
        assertThatThrownBy(() -> adt.engine().patchRelationship("dev", "r1", AdtJson.parse(
                "[{\"op\":\"replace\",\"path\":\"/$targetId\",\"value\":\"dev\"}]"), null))
                .isInstanceOfSatisfying(AdtException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.JSON_PATCH_INVALID));
    }

    @Test
    void resetDropsModelsWhileClearTwinsKeepsThem() {
        InMemoryDigitalTwins adt = fake();
        adt.createTwinIfAbsent(gateway("gw-1"));
        adt.faults().throttle(1.0, Duration.ZERO, Duration.ZERO, AdtOperation.DELETE_MODEL);

        adt.clearTwins();
        assertThat(adt.engine().twinCount()).isZero();
        assertThat(adt.engine().modelIds()).hasSize(ContractModels.ALL.size());
        assertThat(adt.faults().isActive()).isTrue();

        adt.reset();
        assertThat(adt.engine().modelIds()).isEmpty();
        assertThat(adt.counters().total()).isZero();
        assertThat(adt.faults().isActive()).isFalse();
    }

    @Test
    void createsATwinExactlyOnceUnderConcurrentCreates() throws Exception {
        InMemoryDigitalTwins adt = fake();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<Boolean> create = () -> {
                    start.await();
                    try {
                        adt.createTwinIfAbsent(gateway("gw-1"));
                        return true;
                    } catch (AdtException e) {
                        assertThat(e.statusCode()).isEqualTo(412);
                        return false;
                    }
                };
                attempts.add(pool.submit(create));
            }
            start.countDown();
            int created = 0;
            for (Future<Boolean> attempt : attempts) {
                created += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(16);
        } finally {
            pool.shutdownNow();
        }
    }
}
