package io.dpstwin.docs.retirement;

import com.azure.messaging.eventhubs.EventData;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventHubsLifecycleParser;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.EventSourceKind;
import io.dpstwin.core.lifecycle.LifecycleEvent;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.lifecycle.LoggingDeadLetterSink;
import io.dpstwin.core.lifecycle.OutcomeReason;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.lifecycle.UnparseableEvent;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.AdtServiceException;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.iothub.EventHubsEvents;
import io.dpstwin.testkit.iothub.FunctionsEventHubsBinding;
import io.dpstwin.testkit.iothub.IotHubEventBatch;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.dpstwin.docs.retirement.Contoso.DEVICE;
import static io.dpstwin.docs.retirement.Contoso.ROOM;
import static io.dpstwin.docs.retirement.Contoso.THERMOSTAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The examples of retirement.md's introduction and §1: the processor over the official SDK and the HTTPS ADT
 * emulator, the Event Hubs parser fed a received {@link EventData}, and an Azure Functions trigger method.
 */
class LifecycleFlowExamplesTest {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance().models(Contoso.MODELS).build();

    static final String HUB_1 = "contoso-hub-1.azure-devices.net";
    static final String HUB_2 = "contoso-hub-2.azure-devices.net";

    @Test
    void theProcessorRetiresDeletedDevicesAndSkipsWhatIsNotItsBusiness() {
        InMemoryDigitalTwins seed = new InMemoryDigitalTwins(ADT.emulator().engine());
        seed.createOrReplaceTwin(DigitalTwin.of("room-1", ROOM));
        for (String id : List.of("thermostat-1", "thermostat-2", "thermostat-3")) {
            seed.createOrReplaceTwin(DigitalTwin.of(id, THERMOSTAT));
            seed.createOrReplaceRelationship(Relationship.of("contains-" + id, "room-1", id, "contains"));
        }
        seed.createOrReplaceRelationship(Relationship.of("reports-to-room", "thermostat-1", "room-1", "reportsTo"));
        InMemoryDeviceRegistry registry = InMemoryDeviceRegistry.of(HUB_1, HUB_2);
        registry.add(HUB_2, "thermostat-2");               // DPS moved it from hub 1 to hub 2
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        DigitalTwinsGateway gateway = DigitalTwinsGateways.sdk(ADT.client()).meterRegistry(meterRegistry).build();
        FunctionsEventHubsBinding batch = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-1"),
                IotHubEvents.moduleDeleted("contoso-hub-1", "thermostat-3", "edgeAgent"),
                IotHubEvents.deviceDeleted("contoso-hub-9", "thermostat-3"),
                IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-2"),
                IotHubEvents.deviceCreated("contoso-hub-2", "sensor-5"),
                IotHubEvents.deviceDeleted("contoso-hub-1", "never-had-a-twin")).functionsBinding();
        List<ParsedEvent> events = new EventHubsLifecycleParser()
                .parseFunctionsBatch(batch.messages(), batch.propertiesArray(), batch.systemPropertiesArray());

        // tag::overview[]
        LifecycleOptions options = LifecycleOptions.builder()
                .servedHubs(List.of("contoso-hub-1", "contoso-hub-2.azure-devices.net"))  // short or host names
                .deviceRegistry(registry)                                                  // the registry guard (§5)
                .defaultModelId("dtmi:com:contoso:Device;1")
                .build();
        LifecycleProcessor processor = LifecycleProcessor.builder(gateway)  // the rate-limited ADT gateway
                .options(options)
                .meterRegistry(meterRegistry)
                .deadLetterSink(new LoggingDeadLetterSink())                // the default
                .build();                                                   // once per process

        BatchResult result = processor.process(events);                     // events from a parser (§1)
        if (!result.allSettled()) {                                         // let the host redeliver the batch
            throw new IllegalStateException("lifecycle batch not settled: " + result.summary());
        }
        // end::overview[]

        try {
            assertThat(result.outcomes()).extracting(EventOutcome::outcome, EventOutcome::reason).containsExactly(
                    tuple(LifecycleOutcome.RETIRED, null),
                    tuple(LifecycleOutcome.SKIPPED, OutcomeReason.MODULE_EVENT),
                    tuple(LifecycleOutcome.SKIPPED, OutcomeReason.HUB_NOT_SERVED),
                    tuple(LifecycleOutcome.SKIPPED,
                            OutcomeReason.DEVICE_STILL_REGISTERED),
                    tuple(LifecycleOutcome.CREATED, null),
                    tuple(LifecycleOutcome.ALREADY_GONE, null));
            assertThat(result.outcomes().get(1).detail())
                    .isEqualTo("module event (module edgeAgent); a module never retires or creates its device's twin");
            assertThat(result.outcomes().get(2).detail())
                    .isEqualTo("hub contoso-hub-9 is not among the served hubs [contoso-hub-1, contoso-hub-2]");
            AdtEngine engine = ADT.emulator().engine();
            assertThat(engine.twinIds()).containsExactlyInAnyOrder("room-1", "thermostat-2", "thermostat-3",
                    "sensor-5");
            assertThat(seed.getTwin("sensor-5")).map(DigitalTwin::modelId).contains(DEVICE);
            assertThat(seed.listRelationships("room-1", null)).extracting(Relationship::targetId)
                    .containsExactlyInAnyOrder("thermostat-2", "thermostat-3");
            assertThat(meterRegistry.get("dpstwin.lifecycle.events").tag("outcome", "skipped")
                    .tag("reason", "module_event").counter().count()).isEqualTo(1.0);
            assertThat(meterRegistry.get("dpstwin.adt.requests").timers()).isNotEmpty();
        } finally {
            processor.close();
        }
        assertThatThrownBy(() -> processor.process(events)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void theParserReadsAReceivedEventDataOfTheEventHubsSdk() {
        EventHubsLifecycleParser parser = new EventHubsLifecycleParser();
        EventData eventData = EventHubsEvents.eventData(IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-42")
                .withDtId("room-7-thermostat").withCorrelationId("4bd1c4a6e2").withPosition(42, "8192"));

        // tag::event-data[]
        ParsedEvent event = parser.parse(
                eventData.getProperties(), eventData.getSystemProperties(), eventData.getBody());
        // end::event-data[]

        assertThat(eventData.getSystemProperties().get("user-id")).isInstanceOf(byte[].class);
        assertThat(event).isInstanceOfSatisfying(LifecycleEvent.class, e -> {
            assertThat(e.source()).isEqualTo(EventSourceKind.EVENT_HUBS);
            assertThat(e.opType()).isEqualTo("deleteDeviceIdentity");
            assertThat(e.hubName()).isEqualTo("contoso-hub-1");
            assertThat(e.deviceId()).isEqualTo("thermostat-42");
            assertThat(e.tagDtId()).isEqualTo("room-7-thermostat");
            assertThat(e.eventId()).isEqualTo("4bd1c4a6e2");
            assertThat(e.sequenceNumber()).isEqualTo(42L);
            assertThat(e.messageSchema()).isEqualTo("deviceLifecycleNotification");
            assertThat(e.messageSource()).isEqualTo("deviceLifecycleEvents");
            assertThat(e.operationTimestamp()).isNotNull();
        });
    }

    @Test
    void aMessageThatCannotBeReadBecomesUnparseableAndItsBodyIsNeverQuoted() {
        EventHubsLifecycleParser parser = new EventHubsLifecycleParser();
        var deleted = IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-42");

        ParsedEvent broken = parser.parse(deleted.applicationProperties(), deleted.iotHubSystemProperties(),
                "{\"deviceId\": \"thermostat-42\", \"tags\": {\"secret-ish\": oops}}");
        ParsedEvent disagreeing = parser.parse(deleted.applicationProperties(), deleted.iotHubSystemProperties(),
                "{\"deviceId\": \"thermostat-43\"}");
        ParsedEvent wrongType = parser.parse(deleted.applicationProperties(), deleted.iotHubSystemProperties(),
                "{\"deviceId\": \"thermostat-42\", \"tags\": {\"dtId\": 7}}");
        ParsedEvent twinChange = parser.parse(IotHubEvents.twinUpdated("contoso-hub-1", "thermostat-42")
                .applicationProperties(), Map.of(), "this body is none of our business");

        assertThat(broken).isInstanceOfSatisfying(UnparseableEvent.class, e -> assertThat(e.reason())
                .startsWith("body is not valid JSON (line 1, column").doesNotContain("oops", "secret-ish"));
        assertThat(disagreeing).isInstanceOfSatisfying(UnparseableEvent.class,
                e -> assertThat(e.reason()).contains("deviceId"));
        assertThat(wrongType).isInstanceOfSatisfying(UnparseableEvent.class,
                e -> assertThat(e.reason()).contains("dtId"));
        assertThat(twinChange).isInstanceOfSatisfying(LifecycleEvent.class,
                e -> assertThat(e.opType()).isEqualTo("updateTwin"));
    }

    /** An Azure Functions class around the process's one processor. */
    static class DeviceLifecycleFunction {

        private final EventHubsLifecycleParser parser = new EventHubsLifecycleParser();
        private final LifecycleProcessor processor;

        DeviceLifecycleFunction(LifecycleProcessor processor) {
            this.processor = processor;
        }

        // tag::functions-trigger[]
        @FunctionName("DeviceLifecycleEventHubFunc")
        @ExponentialBackoffRetry(maxRetryCount = 5, minimumInterval = "00:00:10", maximumInterval = "00:05:00")
        public void run(
                @EventHubTrigger(name = "messages", eventHubName = "%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%",
                        connection = "EVENTHUB_CONNECTIONSTRING", dataType = "string",
                        cardinality = Cardinality.MANY) String[] messages,
                @BindingName("PropertiesArray") Map<String, Object>[] propertiesArray,
                @BindingName("SystemPropertiesArray") Map<String, Object>[] systemPropertiesArray) {
            List<ParsedEvent> events = parser.parseFunctionsBatch(messages, propertiesArray, systemPropertiesArray);
            BatchResult result = processor.process(events);
            if (!result.allSettled()) {
                throw new IllegalStateException("lifecycle batch not settled: " + result.summary());
            }
        }
        // end::functions-trigger[]
    }

    @Test
    void theFunctionRetiresTheDeletedDeviceAndLeavesTheOneWhoseModuleWasDeleted() {
        InMemoryDigitalTwins adt = inMemoryAdt("thermostat-1", "thermostat-2");
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-1"),
                IotHubEvents.moduleDeleted("contoso-hub-1", "thermostat-2", "edgeAgent")).functionsBinding();

        try (LifecycleProcessor processor = LifecycleProcessor.builder(adt).build()) {
            new DeviceLifecycleFunction(processor).run(binding.messages(), binding.propertiesArray(),
                    binding.systemPropertiesArray());
        }

        assertThat(adt.engine().twinIds()).containsExactly("thermostat-2");
    }

    @Test
    void withoutPropertiesArrayEveryMessageIsUnparseableAndNothingIsRetired() {
        InMemoryDigitalTwins adt = inMemoryAdt("thermostat-1");
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-1")).functionsBinding();

        List<ParsedEvent> withoutProperties = new EventHubsLifecycleParser()
                .parseFunctionsBatch(binding.messages(), null, binding.systemPropertiesArray());
        List<ParsedEvent> misaligned = new EventHubsLifecycleParser().parseFunctionsBatch(binding.messages(),
                binding.propertiesArray(), IotHubEventBatch.of(IotHubEvents.deviceDeleted("contoso-hub-1", "a"),
                        IotHubEvents.deviceDeleted("contoso-hub-1", "b")).functionsBinding().systemPropertiesArray());
        try (LifecycleProcessor processor = LifecycleProcessor.builder(adt).build()) {
            new DeviceLifecycleFunction(processor).run(binding.messages(), null, binding.systemPropertiesArray());
        }

        assertThat(withoutProperties).singleElement().isInstanceOfSatisfying(UnparseableEvent.class,
                e -> assertThat(e.reason()).contains("PropertiesArray"));
        assertThat(misaligned).singleElement().isInstanceOf(UnparseableEvent.class);
        assertThat(adt.engine().twinIds()).containsExactly("thermostat-1");
    }

    @Test
    void theFunctionThrowsSoThatTheHostRedeliversWhenAnEventHasNoOutcome() {
        InMemoryDigitalTwins adt = inMemoryAdt("thermostat-1");
        adt.faults().failNext(AdtOperation.LIST_RELATIONSHIPS,
                new AdtServiceException(403, "Forbidden", "The caller may not list relationships."));
        FunctionsEventHubsBinding binding = IotHubEventBatch.of(
                IotHubEvents.deviceDeleted("contoso-hub-1", "thermostat-1")).functionsBinding();

        try (LifecycleProcessor processor = LifecycleProcessor.builder(adt)
                .deadLetterSink(letter -> {
                    throw new IllegalStateException("the dead-letter queue is down");
                })
                .build()) {
            assertThatThrownBy(() -> new DeviceLifecycleFunction(processor).run(binding.messages(),
                    binding.propertiesArray(), binding.systemPropertiesArray()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not settled").hasMessageContaining("dead_letter_sink_failed");
        }
        assertThat(adt.engine().twinIds()).containsExactly("thermostat-1");
    }

    private static InMemoryDigitalTwins inMemoryAdt(String... thermostats) {
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.uploadModels(Contoso.MODELS);
        for (String id : thermostats) {
            adt.createOrReplaceTwin(DigitalTwin.of(id, THERMOSTAT));
        }
        return adt;
    }
}
