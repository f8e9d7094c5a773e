package io.dpstwin.core.twins;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link RateLimitedDigitalTwinsGateway} with limiters on a fake monotonic clock: permits are counted, never timed.
 */
class RateLimitedDigitalTwinsGatewayTest {

    private static final String MODEL = "dtmi:com:example:Device;1";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final HandFakeGateway fake = new HandFakeGateway();
    private final AtomicLong nanos = new AtomicLong(5 * SECOND);

    private RateLimitedDigitalTwinsGateway limited(AdtRateLimits limits) {
        return new RateLimitedDigitalTwinsGateway(fake, new AdtRateLimiters(limits, nanos::get));
    }

    /** Static limits: these tests show the sliding-window model itself (AdaptiveLimiterTest shows the adaptation). */
    private static AdtRateLimits.Builder noWait() {
        return AdtRateLimits.builder().adaptive(false).maxWait(Duration.ZERO);
    }

    private static void assertRejected(Runnable call) {
        AdtException rejected = catchThrowableOfType(AdtException.class, call::run);
        assertThat(rejected).as("rate-limited call").isNotNull();
        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
        assertThat(rejected.isTransient()).isTrue();
        assertThat(rejected.retryAfter()).isPresent();
    }

    @Test
    void admitsAtMostThePerTwinLimitOfConcurrentWritesPerPeriod() throws Exception {
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().perTwinWritesPerSecond(3).build());
        fake.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        gateway.updateTwin("dev-1", List.of(JsonPatchOperation.add("/n" + n, n)), null);
                        return true;
                    } catch (AdtException e) {
                        assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
                        return false;
                    }
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> outcome : outcomes) {
                admitted += outcome.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(admitted).isEqualTo(3);
            assertThat(fake.calls("updateTwin")).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }

        nanos.addAndGet(AdtRateLimiters.WINDOW.toNanos());
        gateway.deleteTwin("dev-1", null);
        assertThat(fake.calls("deleteTwin")).isEqualTo(1);
    }

    @Test
    void admitsAtMostTheLimitInAnyWindowWhateverThePhaseOfTheServicesWindows() {
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().createDeletesPerSecond(100).build());

        assertThat(creates(gateway, "early", 60)).isEqualTo(60);
        nanos.addAndGet(SECOND * 6 / 10);
        // 40 more fit in the window that began with the first 60; a fixed-cycle limiter refilling at 1 s would
        // then release another 100 at once, 160 within 0.4 s of a service window of 1 s
        assertThat(creates(gateway, "late", 60)).isEqualTo(40);
        nanos.addAndGet(AdtRateLimiters.WINDOW.toNanos() - SECOND * 6 / 10);
        // the first 60 have left the window, the last 40 have not
        assertThat(creates(gateway, "next", 100)).isEqualTo(60);
        assertThat(fake.twinCount()).isEqualTo(160);
    }

    private int creates(RateLimitedDigitalTwinsGateway gateway, String prefix, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            try {
                gateway.createTwinIfAbsent(DigitalTwin.of(prefix + "-" + i, MODEL));
                admitted++;
            } catch (AdtException e) {
                assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.TOO_MANY_REQUESTS);
            }
        }
        return admitted;
    }

    @Test
    void eachTwinHasItsOwnWriteLimit() {
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().perTwinWritesPerSecond(1).build());

        gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        assertRejected(() -> gateway.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL)));
        gateway.createTwinIfAbsent(DigitalTwin.of("dev-2", MODEL));

        assertThat(fake.twinCount()).isEqualTo(2);
        assertThat(fake.calls("createOrReplaceTwin")).isZero();
    }

    @Test
    void aRelationshipWriteCountsAgainstItsSourceAndItsTarget() {
        fake.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        fake.createOrReplaceTwin(DigitalTwin.of("gw-1", MODEL));
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().perTwinWritesPerSecond(2).build());

        gateway.createRelationshipIfAbsent(Relationship.of("r1", "dev-1", "gw-1", "connectedTo"));
        gateway.deleteRelationship("dev-1", "r1", null);

        // the target has one write left, the source none
        gateway.updateTwin("gw-1", List.of(JsonPatchOperation.add("/x", 1)), null);
        assertRejected(() -> gateway.updateTwin("gw-1", List.of(JsonPatchOperation.add("/x", 2)), null));
        assertRejected(() -> gateway.deleteTwin("dev-1", null));
        assertThat(fake.calls("deleteTwin")).isZero();
    }

    @Test
    void aRelationshipDeleteThatNamesItsTargetCountsAgainstBothTwinsAsAdtDoes() {
        fake.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        fake.createOrReplaceTwin(DigitalTwin.of("room-1", MODEL));
        fake.createOrReplaceRelationship(Relationship.of("r1", "room-1", "dev-1", "contains"));
        fake.createOrReplaceRelationship(Relationship.of("r2", "room-1", "dev-1", "contains"));
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().perTwinWritesPerSecond(2).build());

        gateway.deleteRelationship("room-1", "r1", "dev-1", null);
        gateway.deleteRelationship("room-1", "r2", null);

        // dev-1 (the target) has one write left after the delete that named it; room-1 (the source) none
        gateway.updateTwin("dev-1", List.of(JsonPatchOperation.add("/x", 1)), null);
        assertRejected(() -> gateway.deleteTwin("dev-1", null));
        assertRejected(() -> gateway.updateTwin("room-1", List.of(JsonPatchOperation.add("/x", 1)), null));
        assertThat(fake.relationshipCount()).isZero();
    }

    @Test
    void createsAndDeletesShareTheInstanceWideLimit() {
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().createDeletesPerSecond(3).build());

        gateway.createTwinIfAbsent(DigitalTwin.of("a", MODEL));
        gateway.createTwinIfAbsent(DigitalTwin.of("b", MODEL));
        gateway.deleteTwin("a", null);
        assertRejected(() -> gateway.createRelationshipIfAbsent(Relationship.of("r1", "b", "c", "rel")));
        // updates are patches, not creates or deletes
        gateway.updateTwin("b", List.of(JsonPatchOperation.add("/x", 1)), null);

        nanos.addAndGet(AdtRateLimiters.WINDOW.toNanos());
        gateway.createTwinIfAbsent(DigitalTwin.of("c", MODEL));
        assertThat(fake.twinCount()).isEqualTo(2);
    }

    @Test
    void instancesInARegistryEachKeepTheirShareOfTheInstanceWideLimitsButTheWholePerTwinLimit() {
        AdtRateLimiters limiters = new AdtRateLimiters(noWait().createDeletesPerSecond(8).readsPerSecond(4)
                .perTwinWritesPerSecond(3).build(), InstanceRegistry.fixed(4), nanos::get);
        RateLimitedDigitalTwinsGateway gateway = new RateLimitedDigitalTwinsGateway(fake, limiters);

        gateway.createTwinIfAbsent(DigitalTwin.of("a", MODEL));
        gateway.createTwinIfAbsent(DigitalTwin.of("b", MODEL));
        assertRejected(() -> gateway.createTwinIfAbsent(DigitalTwin.of("c", MODEL)));
        gateway.getTwin("a");
        assertRejected(() -> gateway.getTwin("b"));
        // the create was the first write on twin a: two more make the whole per-twin limit of 3
        for (int i = 0; i < 2; i++) {
            gateway.updateTwin("a", List.of(JsonPatchOperation.add("/x", i)), null);
        }
        assertRejected(() -> gateway.updateTwin("a", List.of(JsonPatchOperation.add("/x", 2)), null));

        assertThat(limiters.sharedBy()).isEqualTo(4);
        assertThat(limiters.allowedCreateDeletesPerSecond()).isEqualTo(2.0);
        assertThat(fake.twinCount()).isEqualTo(2);
        assertThat(new AdtRateLimiters(AdtRateLimits.defaults(), nanos::get).sharedBy())
                .as("alone by default").isEqualTo(1);
        assertThatThrownBy(() -> InstanceRegistry.fixed(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AdtRateLimiters(AdtRateLimits.builder().createDeletesPerSecond(10).build(),
                InstanceRegistry.fixed(4, 1), nanos::get).allowedCreateDeletesPerSecond())
                .as("10 between 4: places 0 and 1 keep 3, places 2 and 3 keep 2").isEqualTo(3.0);
        assertThat(InstanceRegistry.fixed(4).position()).isEqualTo(-1);
        assertThatThrownBy(() -> InstanceRegistry.fixed(4, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsQueriesAndModelRequestsHaveTheirOwnLimits() {
        fake.createOrReplaceTwin(DigitalTwin.of("dev-1", MODEL));
        RateLimitedDigitalTwinsGateway gateway = limited(noWait().readsPerSecond(2).modelRequestsPerSecond(1)
                .queriesPerSecond(1).build());

        gateway.getTwin("dev-1");
        gateway.listRelationships("dev-1", null);
        assertRejected(() -> gateway.listIncomingRelationships("dev-1"));
        gateway.getModel("dtmi:a:B;1");
        assertRejected(() -> gateway.createModels(List.of("{\"@id\":\"dtmi:a:B;1\"}")));
        assertThatThrownBy(() -> gateway.query("SELECT * FROM DIGITALTWINS", null))
                .isInstanceOf(UnsupportedOperationException.class); // admitted: the hand fake refuses queries
        assertRejected(() -> gateway.query("SELECT * FROM DIGITALTWINS", "next"));

        assertThat(fake.calls("listIncomingRelationships")).isZero();
        assertThat(fake.calls("createModels")).isZero();
        assertThat(fake.calls("query")).isEqualTo(1);
    }

    @Test
    void tellsAnAdaptiveLimiterEveryAnswerAndWhichOnesWereAdtsThrottling() {
        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.builder().adaptive(true).maxWait(Duration.ZERO)
                .build(), nanos::get);
        RateLimitedDigitalTwinsGateway gateway = new RateLimitedDigitalTwinsGateway(fake, limiters);

        gateway.createTwinIfAbsent(DigitalTwin.of("a", MODEL));  // answered
        assertThatThrownBy(() -> gateway.createTwinIfAbsent(DigitalTwin.of("a", MODEL)))
                .isInstanceOf(AdtException.class);  // 412: answered, not throttled
        fake.failNext("deleteTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "ADT throttled",
                Duration.ofSeconds(1), null));
        assertThatThrownBy(() -> gateway.deleteTwin("a", null)).isInstanceOf(AdtException.class);
        nanos.addAndGet(SECOND / 100);  // past the paced slot of the fourth request
        fake.failNext("deleteTwin", new IllegalStateException("connection reset"));
        assertThatThrownBy(() -> gateway.deleteTwin("a", null)).isInstanceOf(IllegalStateException.class);

        assertThat(limiters.createDeletes().admitted()).isEqualTo(4);
        assertThat(limiters.createDeletes().answered()).as("every outcome is an answer").isEqualTo(4);
        assertThat(limiters.createDeletes().throttles()).as("only ADT's 429").isEqualTo(1);
    }

    @Test
    void waitsForTheNextPeriodWhenAllowedToWait() {
        // The one test on the real clock: the second write of the period waits (< 1 s) instead of failing.
        RateLimitedDigitalTwinsGateway gateway = new RateLimitedDigitalTwinsGateway(fake,
                AdtRateLimits.builder().perTwinWritesPerSecond(1).maxWait(Duration.ofSeconds(5)).build());

        gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        gateway.deleteTwin("dev-1", null);

        assertThat(fake.twinCount()).isZero();
    }

    @Test
    void keepsAtMostMaxTrackedTwinsDroppingTheLeastRecentlyUsed() {
        AdtRateLimiters limiters = new AdtRateLimiters(noWait().perTwinWritesPerSecond(1).maxTrackedTwins(3).build(),
                nanos::get);
        RateLimitedDigitalTwinsGateway gateway = new RateLimitedDigitalTwinsGateway(fake, limiters);

        for (String id : List.of("a", "b", "c", "d")) {
            gateway.createTwinIfAbsent(DigitalTwin.of(id, MODEL));
        }
        assertThat(limiters.trackedTwins()).isEqualTo(3);

        // "a" was dropped: it starts afresh; "d" is still tracked and spent
        gateway.deleteTwin("a", null);
        assertRejected(() -> gateway.deleteTwin("d", null));
    }

    @Test
    void dropsIdleTwinsSoMillionsOfIdsDoNotAccumulate() {
        AdtRateLimiters limiters = new AdtRateLimiters(noWait().perTwinWritesPerSecond(10).maxTrackedTwins(1000)
                .build(), nanos::get);
        RateLimitedDigitalTwinsGateway gateway = new RateLimitedDigitalTwinsGateway(fake, limiters);
        for (int i = 0; i < 500; i++) {
            limiters.twinWrites("twin-" + i);
        }
        assertThat(limiters.trackedTwins()).isEqualTo(500);

        nanos.addAndGet(2 * SECOND);
        gateway.createTwinIfAbsent(DigitalTwin.of("fresh", MODEL));

        assertThat(limiters.trackedTwins()).isEqualTo(1);
        for (int i = 0; i < 20_000; i++) {
            limiters.twinWrites("many-" + i);
        }
        assertThat(limiters.trackedTwins()).isEqualTo(1000);
    }

    @Test
    void limitsSharedBetweenStacksAreSpentOnce() {
        AdtRateLimiters shared = new AdtRateLimiters(noWait().perTwinWritesPerSecond(1).build(), nanos::get);
        DigitalTwinsGateway allocation = new RateLimitedDigitalTwinsGateway(fake, shared);
        DigitalTwinsGateway lifecycle = new RateLimitedDigitalTwinsGateway(fake, shared);

        allocation.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));

        assertRejected(() -> lifecycle.deleteTwin("dev-1", null));
    }

    @Test
    void defaultsAreAdtsLimits() {
        AdtRateLimits defaults = AdtRateLimits.defaults();

        assertThat(defaults.perTwinWritesPerSecond()).isEqualTo(10);
        assertThat(defaults.createDeletesPerSecond()).isEqualTo(500);
        assertThat(defaults.patchesPerSecond()).isEqualTo(1000);
        assertThat(defaults.readsPerSecond()).isEqualTo(1000);
        assertThat(defaults.queriesPerSecond()).isEqualTo(500);
        assertThat(defaults.modelRequestsPerSecond()).isEqualTo(100);
        assertThat(defaults.adaptive()).as("instance-wide limits are fixed rates by default").isFalse();
        assertThat(defaults.toBuilder().adaptive(true).build().adaptive()).as("adaptive is opt-in").isTrue();
        assertThat(defaults.toBuilder().createDeletesPerSecond(50).build().perTwinWritesPerSecond()).isEqualTo(10);
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThatThrownBy(() -> AdtRateLimits.builder().perTwinWritesPerSecond(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdtRateLimits.builder().maxWait(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdtRateLimits.builder().maxTrackedTwins(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
