package io.dpstwin.functions;

import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.functions.testing.BuiltDpsTwins;
import io.dpstwin.functions.testing.RecordingExecutionContext;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The lifecycle handlers' translation: summaries, when they throw, what they log. ADT is a closed port here: events
 * that reach it fail transiently at once (see the sample's tests for the flows against the ADT emulator).
 */
class LifecycleHandlersTest {

    private static final String SECRET = "s3cr3t-desired-value";

    @RegisterExtension
    final BuiltDpsTwins built = new BuiltDpsTwins();
    private final List<DeadLetter> parked = new CopyOnWriteArrayList<>();

    private LazyDpsTwin holder(FunctionsDpsTwinFactory factory) {
        return built.holder(factory);
    }

    /** One attempt per event; dead letters land in {@link #parked}, or the sink fails when asked. */
    private LazyDpsTwin oneAttempt(boolean sinkFails) {
        return holder(UnreachableAdt.factory("DPSTWIN_LIFECYCLE_MAXATTEMPTS", "1")
                .customizer((builder, settings) -> builder.deadLetterSink(letter -> {
                    if (sinkFails) {
                        throw new IllegalStateException("queue unavailable");
                    }
                    parked.add(letter);
                }))
                .build());
    }

    private static IotHubEventBatch decoys() {
        return IotHubEventBatch.of(
                IotHubEvents.moduleDeleted("hub-a", "dev-1", "edgeAgent").withDesiredProperty("password", SECRET),
                IotHubEvents.twinUpdated("hub-a", "dev-2").withDesiredProperty("apiKey", SECRET),
                IotHubEvents.deviceConnected("hub-a", "dev-3"));
    }

    @Test
    void aBatchOfDecoysIsSettledWithoutAdtAndSummarisedWithoutBodies() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(false));
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");
        FunctionsEventHubsBinding binding = decoys().functionsBinding();

        BatchResult result = handler.handle(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), context);

        assertThat(result.allSettled()).isTrue();
        assertThat(result.count(LifecycleOutcome.SKIPPED)).isEqualTo(3);
        assertThat(result.count(OutcomeReason.MODULE_EVENT)).isEqualTo(1);
        assertThat(context.messages(Level.INFO)).singleElement().asString()
                .startsWith("Event Hubs lifecycle batch: 3 events: skipped=3")
                .contains("module_event=1", "not_lifecycle_event=2");
        assertThat(context.transcript()).doesNotContain(SECRET).doesNotContain("desired");
    }

    @Test
    void binaryBodiesAreReadLikeText() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(false));
        FunctionsEventHubsBinding binding = decoys().functionsBinding();
        byte[][] bodies = Arrays.stream(binding.messages()).map(m -> m.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);

        BatchResult result = handler.handle(bodies, binding.propertiesArray(), binding.systemPropertiesArray(), null);

        assertThat(result.count(OutcomeReason.MODULE_EVENT)).isEqualTo(1);
        assertThat(result.count(OutcomeReason.NOT_LIFECYCLE_EVENT)).isEqualTo(2);
    }

    @Test
    void misalignedBindingArraysRetireNothingAndDoNotFailTheBatch() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(false));
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.deviceDeleted("hub-a", "dev-2")).functionsBinding();
        @SuppressWarnings("unchecked")
        Map<String, Object>[] oneShort = Arrays.copyOf(binding.propertiesArray(), 1);

        BatchResult result = handler.handle(binding.messages(), oneShort, binding.systemPropertiesArray(), null);

        assertThat(result.allSettled()).isTrue();
        assertThat(result.count(OutcomeReason.UNPARSEABLE)).isEqualTo(2);
        assertThat(parked).isEmpty();
    }

    @Test
    void deadLetteredEventsSettleTheBatchAndAreListedByIdInAWarning() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(false));
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1").withDesiredProperty("token", SECRET)).functionsBinding();

        BatchResult result = handler.handle(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), context);

        assertThat(result.allSettled()).isTrue();
        assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isEqualTo(1);
        assertThat(parked).singleElement().satisfies(letter -> assertThat(letter.twinId()).isEqualTo("dev-1"));
        assertThat(context.messages(Level.WARNING)).singleElement().asString()
                .contains("dead_lettered=1", "retries_exhausted", "dev-1");
        assertThat(context.transcript()).doesNotContain(SECRET);
    }

    @Test
    void anEventWithoutOutcomeFailsTheInvocationSoTheHostRedeliversTheBatch() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(true));
        RecordingExecutionContext context = RecordingExecutionContext.retry("DeviceLifecycleEventHubFunc", 2, 5);
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("hub-a", "dev-1"),
                IotHubEvents.moduleDeleted("hub-a", "dev-2", "m1")).functionsBinding();

        LifecycleBatchException e = catchThrowableOfType(LifecycleBatchException.class, () -> handler.handle(
                binding.messages(), binding.propertiesArray(), binding.systemPropertiesArray(), context));

        assertThat(e.result().failed()).singleElement()
                .satisfies(outcome -> assertThat(outcome.reason()).isEqualTo(OutcomeReason.DEAD_LETTER_SINK_FAILED));
        assertThat(e.result().count(OutcomeReason.MODULE_EVENT)).isEqualTo(1);
        assertThat(e.getMessage()).contains("Event Hubs lifecycle batch not settled", "failed=1", "skipped=1");
        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .startsWith("Event Hubs lifecycle batch (retry 2 of 5): 2 events:")
                .contains("dead_letter_sink_failed", "dev-1");
    }

    @Test
    void invalidSettingsFailTheInvocationNamingTheSetting() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(new LazyDpsTwin(
                FunctionsDpsTwinFactory.builder().settings(Map.of()).build()));
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventHubFunc");
        FunctionsEventHubsBinding binding = decoys().functionsBinding();

        assertThatThrownBy(() -> handler.handle(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray(), context))
                .isInstanceOf(FunctionsSettingsException.class).hasMessageContaining("ADT_SERVICE_URL is missing");
        assertThat(context.messages(Level.SEVERE)).singleElement().asString()
                .contains("not processed", "ADT_SERVICE_URL is missing");
    }

    @Test
    void anEmptyOrMissingBatchIsSettled() {
        EventHubsLifecycleHandler handler = new EventHubsLifecycleHandler(oneAttempt(false));

        assertThat(handler.handle((String[]) null, null, null, null).size()).isZero();
        assertThat(handler.handle(new String[0], newMaps(0), newMaps(0), null).allSettled()).isTrue();
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array can only be made raw, as the Functions host does
    private static Map<String, Object>[] newMaps(int size) {
        return new Map[size];
    }

    @Test
    void eventGridDecoysAndTheValidationEventAreSkipped() {
        EventGridLifecycleHandler handler = new EventGridLifecycleHandler(oneAttempt(false));
        RecordingExecutionContext context = new RecordingExecutionContext("DeviceLifecycleEventGridFunc");

        BatchResult connected = handler.handle(IotHubEvents.deviceConnected("hub-a", "dev-1").eventGridEvent()
                .toString(), context);
        BatchResult validation = handler.handle(EventGridEvents.subscriptionValidation().toJson(), context);
        BatchResult module = handler.handle(IotHubEvents.moduleDeleted("hub-a", "dev-1", "m1").eventGridEvent()
                .toString(), context);

        assertThat(connected.count(OutcomeReason.NOT_LIFECYCLE_EVENT)).isEqualTo(1);
        assertThat(validation.count(OutcomeReason.NOT_LIFECYCLE_EVENT)).isEqualTo(1);
        assertThat(module.count(OutcomeReason.MODULE_EVENT)).isEqualTo(1);
        assertThat(context.messages(Level.INFO)).hasSize(3)
                .allSatisfy(line -> assertThat(line).startsWith("Event Grid lifecycle batch: 1 events: skipped=1"));
    }

    @Test
    void anEventGridEventWithoutOutcomeFailsTheInvocation() {
        EventGridLifecycleHandler handler = new EventGridLifecycleHandler(oneAttempt(true));

        assertThatThrownBy(() -> handler.handle(IotHubEvents.deviceDeleted("hub-a", "dev-1").eventGridEvent()
                .toString(), null))
                .isInstanceOf(LifecycleBatchException.class)
                .hasMessageContaining("Event Grid lifecycle batch not settled");
    }
}
