package io.dpstwin.docs.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleEvent;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter examples of operations.md: a sink of your own that parks each given-up lifecycle event as one JSON
 * message, plugged into {@link DpsTwin}, and a replay of the parked events once the cause is fixed. Run against the
 * testkit's in-memory ADT, which fails the retirement with a 403 as a missing role assignment would.
 */
class DeadLetterExamplesTest {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String THERMOSTAT_DTDL = """
            {"@context": "dtmi:dtdl:context;2", "@id": "dtmi:contosocom:DigitalTwins:Thermostat;1",
             "@type": "Interface", "contents": [{"@type": "Property", "name": "Temperature", "schema": "double"}]}
            """;

    // tag::json-queue-sink[]
    /** Parks each dead letter as one JSON message, e.g. in an Azure Storage queue (here: any Consumer<String>). */
    static final class JsonQueueDeadLetterSink implements DeadLetterSink {

        static final JsonMapper JSON = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();

        private final Consumer<String> queue;

        JsonQueueDeadLetterSink(Consumer<String> queue) {
            this.queue = queue;
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            ObjectNode message = JSON.createObjectNode()
                    .put("reason", letter.reason().code())
                    .put("twinId", letter.twinId())
                    .put("attempts", letter.attempts())
                    .put("statusCode", letter.statusCode())
                    .put("errorCode", letter.errorCode())
                    .put("at", letter.at().toString());
            message.set("event", JSON.valueToTree(letter.event()));   // ids and a few fields, never a body
            queue.accept(message.toString());   // if this throws, the event ends FAILED and is redelivered
        }

        /** The event of a parked message, ready to be processed again. */
        static LifecycleEvent eventOf(String message) throws JsonProcessingException {
            return JSON.treeToValue(JSON.readTree(message).get("event"), LifecycleEvent.class);
        }
    }
    // end::json-queue-sink[]

    private final InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
    private final MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final List<DpsTwin> instances = new ArrayList<>();

    @BeforeEach
    void aThermostatTwin() {
        adt.uploadModels(THERMOSTAT_DTDL);
        adt.createTwinIfAbsent(DigitalTwin.of("thermo-1", THERMOSTAT, Map.of("Temperature", 21.0)));
    }

    @AfterEach
    void close() {
        instances.forEach(DpsTwin::close);
    }

    private static List<ParsedEvent> deviceDeleted(String deviceId) {
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(IotHubEvents.deviceDeleted("contoso-hub-1", deviceId))
                .functionsBinding();
        return new EventHubsLifecycleParser().parseFunctionsBatch(binding.messages(), binding.propertiesArray(),
                binding.systemPropertiesArray());
    }

    private DpsTwin dpsTwin(Queue<String> queue) {
        // tag::plug-sink[]
        DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)                                   // in production: .digitalTwinsClient(client)
                .defaultModelId(THERMOSTAT)
                .deadLetterSink(new JsonQueueDeadLetterSink(queue::add))
                .meterRegistry(meterRegistry)
                .build();
        // end::plug-sink[]
        instances.add(dpsTwin);
        return dpsTwin;
    }

    @Test
    void aRetirementAdtRefusesIsParkedWithoutItsBodyAndReplayedOnceTheRoleIsGranted() throws Exception {
        Queue<String> queue = new ConcurrentLinkedQueue<>();
        DpsTwin dpsTwin = dpsTwin(queue);
        adt.faults().failNext(AdtOperation.LIST_RELATIONSHIPS,
                new AdtException(403, AdtErrorCodes.UNKNOWN, "the caller has no data role on the instance"));

        BatchResult first = dpsTwin.lifecycle().process(deviceDeleted("thermo-1"));

        assertThat(first.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.DEAD_LETTERED);
            assertThat(outcome.reason()).isEqualTo(OutcomeReason.PERMANENT_FAILURE);
            assertThat(outcome.attempts()).as("a 403 is not retried").isEqualTo(1);
        });
        assertThat(first.allSettled()).as("parked: the host may checkpoint").isTrue();
        assertThat(adt.getTwin("thermo-1")).isPresent();
        assertThat(meterRegistry.get("dpstwin.lifecycle.dead_letters").tag("reason", "permanent_failure")
                .counter().count()).isEqualTo(1.0);
        assertThat(queue).singleElement().satisfies(message -> {
            JsonNode parked = JsonQueueDeadLetterSink.JSON.readTree(message);
            assertThat(parked.path("reason").asText()).isEqualTo("permanent_failure");
            assertThat(parked.path("statusCode").asInt()).isEqualTo(403);
            assertThat(parked.path("twinId").asText()).isEqualTo("thermo-1");
            assertThat(parked.path("event").path("deviceId").asText()).isEqualTo("thermo-1");
            assertThat(parked.path("event").path("opType").asText()).isEqualTo("deleteDeviceIdentity");
            assertThat(parked.path("event").has("body")).isFalse();
        });

        // The role assignment is fixed (the injected 403 was a one-off): replay what was parked.
        // tag::replay[]
        List<ParsedEvent> parked = new ArrayList<>();
        for (String message = queue.poll(); message != null; message = queue.poll()) {
            parked.add(JsonQueueDeadLetterSink.eventOf(message));
        }
        BatchResult replay = dpsTwin.lifecycle().process(parked);   // what fails again is parked again
        // end::replay[]

        assertThat(parked).singleElement().isEqualTo(first.outcomes().get(0).event());
        assertThat(replay.outcomes()).extracting(o -> o.outcome()).containsExactly(LifecycleOutcome.RETIRED);
        assertThat(adt.getTwin("thermo-1")).isEmpty();
        assertThat(queue).isEmpty();
    }

    @Test
    void aSinkThatCannotParkLeavesTheEventFailedSoTheHostDoesNotCheckpointPastIt() {
        DpsTwin dpsTwin = DpsTwin.builder()
                .gateway(adt)
                .defaultModelId(THERMOSTAT)
                .deadLetterSink(new JsonQueueDeadLetterSink(message -> {
                    throw new IllegalStateException("queue unavailable");
                }))
                .meterRegistry(meterRegistry)
                .build();
        instances.add(dpsTwin);
        adt.faults().failNext(AdtOperation.LIST_RELATIONSHIPS,
                new AdtException(403, AdtErrorCodes.UNKNOWN, "the caller has no data role on the instance"));

        BatchResult result = dpsTwin.lifecycle().process(deviceDeleted("thermo-1"));

        assertThat(result.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.FAILED);
            assertThat(outcome.reason()).isEqualTo(OutcomeReason.DEAD_LETTER_SINK_FAILED);
        });
        assertThat(result.allSettled()).isFalse();
        assertThat(result.settledPrefixLength()).isZero();
        assertThat(meterRegistry.find("dpstwin.lifecycle.dead_letters").counter()).isNull();
        assertThat(adt.getTwin("thermo-1")).isPresent();
    }
}
