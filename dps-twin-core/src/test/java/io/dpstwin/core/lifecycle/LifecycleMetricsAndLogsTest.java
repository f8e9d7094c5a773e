package io.dpstwin.core.lifecycle;

import io.dpstwin.core.DpsTwinMeters;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dpstwin.core.LogCapture;
import io.dpstwin.core.retirement.ForwardingGateway;
import io.dpstwin.core.retirement.TwinGraph;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.KeyValuePair;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.dpstwin.core.lifecycle.LifecycleMessages.lifecycle;
import static io.dpstwin.core.lifecycle.LifecycleMessages.moduleDeleted;
import static org.assertj.core.api.Assertions.assertThat;

class LifecycleMetricsAndLogsTest {

    private static final String MARKER = "BODY-MARKER";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.dpstwin", Level.DEBUG);
    private LifecycleProcessor processor;

    @BeforeEach
    void setUp() {
        new TwinGraph(fake).deviceWith("dev-1", 1, 1).twin("dev-2");
        ForwardingGateway gateway = new ForwardingGateway(fake) {
            @Override
            public void deleteTwin(String twinId, String ifMatch) {
                if (twinId.equals("dev-2")) {
                    throw new AdtException(400, "ValidationFailed", "refused");
                }
                super.deleteTwin(twinId, ifMatch);
            }
        };
        processor = LifecycleProcessor.builder(gateway).meterRegistry(meters).build();
    }

    @AfterEach
    void tearDown() {
        processor.close();
    }

    private static String body(String deviceId) {
        return "{\"deviceId\":\"" + deviceId + "\",\"tags\":{\"owner\":\"" + MARKER + "-tag\"},"
                + "\"properties\":{\"desired\":{\"secret\":\"" + MARKER + "-desired\"}}}";
    }

    private BatchResult runMixedBatch() {
        return processor.process(List.of(
                lifecycle("deleteDeviceIdentity", "hub-a", "dev-1", body("dev-1")),
                moduleDeleted("hub-a", "dev-1", "edgeHub"),
                lifecycle("deleteDeviceIdentity", "hub-a", "dev-3", "{\"note\":\"" + MARKER + "-broken\""),
                lifecycle("deleteDeviceIdentity", "hub-a", "dev-2", body("dev-2")),
                lifecycle("deleteDeviceIdentity", "hub-a", "dev-4", body("dev-4"))));
    }

    @Test
    void countsEveryOutcomeWithBoundedTagsAndTimesEveryEvent() {
        BatchResult result = runMixedBatch();

        assertThat(result.outcomes()).extracting(EventOutcome::outcome).containsExactly(LifecycleOutcome.RETIRED,
                LifecycleOutcome.SKIPPED, LifecycleOutcome.SKIPPED, LifecycleOutcome.DEAD_LETTERED,
                LifecycleOutcome.ALREADY_GONE);
        assertThat(counter("retired", "none")).isEqualTo(1.0);
        assertThat(counter("skipped", "module_event")).isEqualTo(1.0);
        assertThat(counter("skipped", "unparseable")).isEqualTo(1.0);
        assertThat(counter("dead_lettered", "permanent_failure")).isEqualTo(1.0);
        assertThat(counter("already_gone", "none")).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.LIFECYCLE_EVENT_DURATION).timers().stream().mapToLong(t -> t.count()).sum())
                .isEqualTo(5);
        assertThat(meters.get(DpsTwinMeters.LIFECYCLE_DEAD_LETTERS).tag("reason", "permanent_failure").counter()
                .count()).isEqualTo(1.0);
        assertThat(meters.get(DpsTwinMeters.LIFECYCLE_EVENTS).counters())
                .allSatisfy(c -> assertThat(c.getId().getTags()).extracting(t -> t.getKey())
                        .containsExactlyInAnyOrder("outcome", "reason"));
        assertThat(result.countsByOutcome()).containsEntry(LifecycleOutcome.SKIPPED, 2L);
        assertThat(result.countsByReason()).containsEntry("module_event", 1L).containsEntry("permanent_failure", 1L);
        assertThat(result.summary()).contains("retired=1").contains("skipped=2");
    }

    private double counter(String outcome, String reason) {
        return meters.get(DpsTwinMeters.LIFECYCLE_EVENTS).tag("outcome", outcome).tag("reason", reason).counter().count();
    }

    @Test
    void logsNeverContainMessageBodies() {
        runMixedBatch();

        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(MARKER);
            if (event.getKeyValuePairs() != null) {
                assertThat(event.getKeyValuePairs()).allSatisfy(kv -> assertThat(String.valueOf(kv.value))
                        .doesNotContain(MARKER));
            }
            if (event.getThrowableProxy() != null) {
                assertThat(event.getThrowableProxy().getMessage()).doesNotContain(MARKER);
            }
        });
    }

    @Test
    void theDefaultDeadLetterSinkWritesAStructuredRecord() {
        runMixedBatch();

        List<ILoggingEvent> deadLetters = logs.list.stream()
                .filter(e -> e.getLoggerName().equals("io.dpstwin.core.lifecycle.DeadLetters")).toList();
        assertThat(deadLetters).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            Map<String, Object> pairs = event.getKeyValuePairs().stream()
                    .filter(kv -> kv.value != null)
                    .collect(Collectors.toMap((KeyValuePair kv) -> kv.key, kv -> kv.value));
            assertThat(pairs).containsEntry("reason", "permanent_failure")
                    .containsEntry("deviceId", "dev-2")
                    .containsEntry("hubName", "hub-a")
                    .containsEntry("twinId", "dev-2")
                    .containsEntry("attempts", 1)
                    .containsEntry("statusCode", 400)
                    .containsEntry("errorCode", "ValidationFailed")
                    .containsKey("eventId")
                    .containsKey("sequenceNumber");
            assertThat(event.getFormattedMessage()).contains("dev-2").contains("permanent_failure");
        });
    }
}
