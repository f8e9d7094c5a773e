package io.dpstwin.core.lifecycle;

import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.ManualClock;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.retirement.FakeDeviceRegistry;
import io.dpstwin.core.retirement.FaultInjectingGateway;
import io.dpstwin.core.retirement.ForwardingGateway;
import io.dpstwin.core.retirement.TwinGraph;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.HandFakeGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceDeleted;
import static org.assertj.core.api.Assertions.assertThat;

class LifecycleProcessorResilienceTest {

    private final HandFakeGateway fake = new HandFakeGateway();
    private final TwinGraph graph = new TwinGraph(fake);
    private final TestClocks.RecordingSink sink = new TestClocks.RecordingSink();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<LifecycleProcessor> processors = new ArrayList<>();

    @AfterEach
    void close() {
        processors.forEach(LifecycleProcessor::close);
    }

    private LifecycleProcessor.Builder builder(DigitalTwinsGateway gateway) {
        return LifecycleProcessor.builder(gateway).deadLetterSink(sink).meterRegistry(meters);
    }

    private LifecycleProcessor build(LifecycleProcessor.Builder builder) {
        LifecycleProcessor processor = builder.build();
        processors.add(processor);
        return processor;
    }

    /** A gateway whose deleteTwin always fails the same way for one twin. */
    private ForwardingGateway failingDelete(String twinId, AdtException failure, AtomicInteger attempts) {
        return new ForwardingGateway(fake) {
            @Override
            public void deleteTwin(String id, String ifMatch) {
                if (id.equals(twinId)) {
                    attempts.incrementAndGet();
                    throw failure;
                }
                super.deleteTwin(id, ifMatch);
            }
        };
    }

    @Test
    void retires200DevicesThroughThrottlingAndOutagesWithoutDeadLetters() {
        List<ParsedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            graph.deviceWith("dev-" + i, 1, 1);
            batch.add(deviceDeleted("hub-a", "dev-" + i));
        }
        FaultInjectingGateway faulty = new FaultInjectingGateway(fake, 20261126L, 0.20, 0.05, Duration.ofSeconds(1));
        TestClocks.RecordingSleeper sleeper = new TestClocks.RecordingSleeper();
        LifecycleProcessor processor = build(builder(faulty).sleeper(sleeper));

        BatchResult result = processor.process(batch);

        assertThat(result.allSettled()).isTrue();
        assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isZero();
        assertThat(result.count(LifecycleOutcome.RETIRED) + result.count(LifecycleOutcome.ALREADY_GONE)).isEqualTo(200);
        assertThat(sink.letters()).isEmpty();
        for (int i = 0; i < 200; i++) {
            assertThat(fake.getTwin("dev-" + i)).isEmpty();
        }
        assertThat(fake.relationshipCount()).isZero();
        // the faults really happened, and every 429 was followed by a wait of at least its Retry-After
        assertThat(faulty.throttled()).isGreaterThan(50);
        assertThat(faulty.unavailable()).isGreaterThan(10);
        assertThat(faulty.lostAnswers()).isPositive();
        assertThat(sleeper.sleeps().stream().filter(d -> d.compareTo(Duration.ofSeconds(1)) >= 0).count())
                .isGreaterThanOrEqualTo(faulty.throttled());
        assertThat(result.outcomes()).filteredOn(o -> o.attempts() > 1).isNotEmpty();
    }

    @Test
    void aPermanentlyFailingEventIsDeadLetteredAtOnceWhileTheOthersSucceed() {
        for (int i = 0; i < 5; i++) {
            graph.deviceWith("dev-" + i, 1, 0);
        }
        AtomicInteger attempts = new AtomicInteger();
        AdtException forbidden = new AdtException(403, "Forbidden", "The principal lacks Azure Digital Twins Data Owner");
        LifecycleProcessor processor = build(builder(failingDelete("dev-2", forbidden, attempts))
                .sleeper(new TestClocks.RecordingSleeper()));

        BatchResult result = processor.process(List.of(deviceDeleted("hub-a", "dev-0"), deviceDeleted("hub-a", "dev-1"),
                deviceDeleted("hub-a", "dev-2"), deviceDeleted("hub-a", "dev-3"), deviceDeleted("hub-a", "dev-4")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(LifecycleOutcome.RETIRED,
                LifecycleOutcome.RETIRED, LifecycleOutcome.DEAD_LETTERED, LifecycleOutcome.RETIRED,
                LifecycleOutcome.RETIRED);
        assertThat(result.allSettled()).isTrue();
        EventOutcome dead = result.outcomes().get(2);
        assertThat(dead.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(sink.letters()).singleElement().satisfies(letter -> {
            assertThat(letter.twinId()).isEqualTo("dev-2");
            assertThat(letter.index()).isEqualTo(2);
            assertThat(letter.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
            assertThat(letter.statusCode()).isEqualTo(403);
            assertThat(letter.errorCode()).isEqualTo("Forbidden");
            assertThat(letter.errorType()).isEqualTo("AdtException");
            assertThat(letter.event().eventId()).isEqualTo(result.outcomes().get(2).event().eventId());
        });
        assertThat(meters.counter(DpsTwinMeters.LIFECYCLE_DEAD_LETTERS, "reason", "permanent_failure").count())
                .isEqualTo(1.0);
    }

    @Test
    void aSinkThatThrowsMakesTheEventFailedSoTheAdapterDoesNotCheckpoint() {
        graph.twin("dev-0").twin("dev-1").twin("dev-2");
        AdtException forbidden = new AdtException(403, "Forbidden", "no access");
        LifecycleProcessor processor = build(LifecycleProcessor.builder(failingDelete("dev-1", forbidden, new AtomicInteger()))
                .meterRegistry(meters)
                .deadLetterSink(letter -> {
                    throw new IllegalStateException("queue unavailable");
                }));

        BatchResult result = processor.process(List.of(deviceDeleted("hub-a", "dev-0"), deviceDeleted("hub-a", "dev-1"),
                deviceDeleted("hub-a", "dev-2")));

        assertThat(result.outcomes()).extracting(EventOutcome::outcome)
                .containsExactly(LifecycleOutcome.RETIRED, LifecycleOutcome.FAILED, LifecycleOutcome.RETIRED);
        assertThat(result.allSettled()).isFalse();
        assertThat(result.settledPrefixLength()).isEqualTo(1);
        assertThat(result.failed()).singleElement().satisfies(o -> {
            assertThat(o.reason()).isEqualTo(OutcomeReason.DEAD_LETTER_SINK_FAILED);
            assertThat(o.detail()).contains("permanent_failure").contains("queue unavailable");
        });
        assertThat(meters.find(DpsTwinMeters.LIFECYCLE_DEAD_LETTERS).counters()).isEmpty();
        assertThat(fake.getTwin("dev-1")).isPresent();
    }

    @Test
    void transientFailuresAreRetriedHonouringRetryAfter() {
        graph.deviceWith("dev-1", 1, 1);
        fake.failNext("listRelationships", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down",
                Duration.ofSeconds(7), null));
        fake.failNext("deleteTwin", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));
        TestClocks.RecordingSleeper sleeper = new TestClocks.RecordingSleeper();
        LifecycleProcessor processor = build(builder(fake).sleeper(sleeper));

        EventOutcome outcome = processor.process(List.of(deviceDeleted("hub-a", "dev-1"))).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(sleeper.sleeps().get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(sleeper.sleeps().get(1)).isLessThanOrEqualTo(LifecycleOptions.DEFAULT_MAX_BACKOFF.multipliedBy(2));
        assertThat(fake.getTwin("dev-1")).isEmpty();
    }

    @Test
    void givesUpWhenThePerEventBudgetIsSpent() {
        graph.twin("dev-1");
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
        TestClocks.RecordingSleeper sleeper = new TestClocks.RecordingSleeper(clock);
        AtomicInteger attempts = new AtomicInteger();
        AdtException throttled = new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down",
                Duration.ofSeconds(3), null);
        LifecycleProcessor processor = build(builder(failingDelete("dev-1", throttled, attempts))
                .clock(clock).sleeper(sleeper)
                .options(LifecycleOptions.builder().eventBudget(Duration.ofSeconds(10)).build()));

        EventOutcome outcome = processor.process(List.of(deviceDeleted("hub-a", "dev-1"))).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.DEAD_LETTERED);
        assertThat(outcome.reason()).isEqualTo(OutcomeReason.BUDGET_EXHAUSTED);
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(attempts.get()).isEqualTo(4);
        assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(sink.letters()).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo(OutcomeReason.BUDGET_EXHAUSTED);
            assertThat(l.statusCode()).isEqualTo(429);
        });
    }

    @Test
    void givesUpWhenTheAttemptsRunOut() {
        graph.twin("dev-1");
        AtomicInteger attempts = new AtomicInteger();
        LifecycleProcessor processor = build(builder(failingDelete("dev-1",
                new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "down"), attempts))
                .sleeper(new TestClocks.RecordingSleeper())
                .options(LifecycleOptions.builder().maxAttempts(3).build()));

        EventOutcome outcome = processor.process(List.of(deviceDeleted("hub-a", "dev-1"))).outcomes().get(0);

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.DEAD_LETTERED);
        assertThat(outcome.reason()).isEqualTo(OutcomeReason.RETRIES_EXHAUSTED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void retriesATransientRegistryFailureAndDeadLettersAPermanentOne() {
        graph.twin("dev-1").twin("dev-2");
        FakeDeviceRegistry registry = new FakeDeviceRegistry("hub-a.azure-devices.net")
                .failNext(new DeviceRegistryException("hub-a.azure-devices.net", true, "429", null));
        LifecycleProcessor processor = build(builder(fake).sleeper(new TestClocks.RecordingSleeper())
                .options(LifecycleOptions.builder().deviceRegistry(registry).parallelism(1).build()));

        EventOutcome retried = processor.process(List.of(deviceDeleted("hub-a", "dev-1"))).outcomes().get(0);
        assertThat(retried.outcome()).isEqualTo(LifecycleOutcome.RETIRED);
        assertThat(retried.attempts()).isEqualTo(2);

        registry.failNext(new DeviceRegistryException("hub-a.azure-devices.net", false, "401", null));
        EventOutcome permanent = processor.process(List.of(deviceDeleted("hub-a", "dev-2"))).outcomes().get(0);
        assertThat(permanent.outcome()).isEqualTo(LifecycleOutcome.DEAD_LETTERED);
        assertThat(permanent.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
        assertThat(fake.getTwin("dev-2")).isPresent();
    }

    @Test
    void anInterruptedWaitFailsTheEventInsteadOfLosingIt() {
        graph.twin("dev-1");
        fake.failNext("listRelationships", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));
        LifecycleProcessor processor = build(builder(fake).sleeper(d -> {
            throw new InterruptedException("shutting down");
        }));

        BatchResult result = processor.process(List.of(deviceDeleted("hub-a", "dev-1")));

        assertThat(result.outcomes().get(0).outcome()).isEqualTo(LifecycleOutcome.FAILED);
        assertThat(result.outcomes().get(0).reason()).isEqualTo(OutcomeReason.INTERRUPTED);
        assertThat(result.allSettled()).isFalse();
        assertThat(fake.getTwin("dev-1")).isPresent();
    }

    @Test
    void aClosedProcessorRefusesBatches() {
        LifecycleProcessor processor = build(builder(fake));
        processor.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> processor.process(List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
