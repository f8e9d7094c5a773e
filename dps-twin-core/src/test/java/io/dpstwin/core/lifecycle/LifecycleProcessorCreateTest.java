package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.TwinGraph;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceCreated;
import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceDeleted;
import static io.dpstwin.core.lifecycle.LifecycleMessages.lifecycle;
import static io.dpstwin.core.lifecycle.LifecycleMessages.twin;
import static org.assertj.core.api.Assertions.assertThat;

class LifecycleProcessorCreateTest {

    private static final String PNP_MODEL = "dtmi:com:example:Thermostat;1";
    private static final String ADT_MODEL = "dtmi:com:contoso:Thermostat;3";
    private static final String DEFAULT_MODEL = "dtmi:com:contoso:Device;1";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final List<LifecycleProcessor> processors = new ArrayList<>();

    private EventOutcome process(LifecycleOptions options, ParsedEvent event) {
        LifecycleProcessor processor = new LifecycleProcessor(fake, options);
        processors.add(processor);
        return processor.process(List.of(event)).outcomes().get(0);
    }

    @AfterEach
    void close() {
        processors.forEach(LifecycleProcessor::close);
    }

    @Test
    void createsTheTwinOfADeviceCreatedOutsideDpsWithItsModelAndAReplayFindsIt() {
        EventOutcome created = process(LifecycleOptions.defaults(), deviceCreated("hub-a", "dev-1", PNP_MODEL));

        assertThat(created.outcome()).isEqualTo(LifecycleOutcome.CREATED);
        assertThat(created.twinId()).isEqualTo("dev-1");
        assertThat(fake.getTwin("dev-1")).hasValueSatisfying(t -> assertThat(t.modelId()).isEqualTo(PNP_MODEL));

        EventOutcome replay = process(LifecycleOptions.defaults(), deviceCreated("hub-a", "dev-1", PNP_MODEL));
        assertThat(replay.outcome()).isEqualTo(LifecycleOutcome.EXISTS);
        assertThat(fake.calls("createTwinIfAbsent")).isEqualTo(1);
    }

    @Test
    void theDtmiTagWinsOverTheDeviceModelIdAndTheDefaultComesLast() {
        ParsedEvent tagged = lifecycle("createDeviceIdentity", "hub-a", "dev-1",
                twin("dev-1", "{\"dtmi\":\"" + ADT_MODEL + "\"}", PNP_MODEL));
        LifecycleOptions withDefault = LifecycleOptions.builder().defaultModelId(DEFAULT_MODEL).build();

        assertThat(process(withDefault, tagged).outcome()).isEqualTo(LifecycleOutcome.CREATED);
        assertThat(process(withDefault, deviceCreated("hub-a", "dev-2", null)).outcome())
                .isEqualTo(LifecycleOutcome.CREATED);

        assertThat(fake.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(ADT_MODEL);
        assertThat(fake.getTwin("dev-2").orElseThrow().modelId()).isEqualTo(DEFAULT_MODEL);
    }

    @Test
    void withoutAnyModelNothingIsCreated() {
        EventOutcome outcome = process(LifecycleOptions.defaults(), deviceCreated("hub-a", "dev-1", null));

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.SKIPPED);
        assertThat(outcome.reason()).isEqualTo(OutcomeReason.NO_MODEL);
        assertThat(fake.twinCount()).isZero();
    }

    @Test
    void anInvalidModelIdIsSkippedWithoutCallingAdt() {
        EventOutcome outcome = process(LifecycleOptions.builder().defaultModelId(DEFAULT_MODEL).build(),
                deviceCreated("hub-a", "dev-1", "dtmi:bad model;1"));

        assertThat(outcome.reason()).isEqualTo(OutcomeReason.INVALID_MODEL_ID);
        assertThat(fake.calls("getTwin")).isZero();
    }

    @Test
    void creationsCanBeSwitchedOff() {
        EventOutcome outcome = process(LifecycleOptions.builder().createDeviceIdentity(false).build(),
                deviceCreated("hub-a", "dev-1", PNP_MODEL));

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.SKIPPED);
        assertThat(outcome.reason()).isEqualTo(OutcomeReason.CREATE_DISABLED);
        assertThat(fake.twinCount()).isZero();
    }

    @Test
    void aTwinOfAnotherModelIsKeptAsItIs() {
        new TwinGraph(fake).twin("dev-1", ADT_MODEL);

        EventOutcome outcome = process(LifecycleOptions.defaults(), deviceCreated("hub-a", "dev-1", PNP_MODEL));

        assertThat(outcome.outcome()).isEqualTo(LifecycleOutcome.EXISTS);
        assertThat(outcome.detail()).contains(ADT_MODEL);
        assertThat(fake.getTwin("dev-1").orElseThrow().modelId()).isEqualTo(ADT_MODEL);
        assertThat(fake.calls("updateTwin") + fake.calls("createOrReplaceTwin")).isZero();
    }

    @Test
    void theDtIdTagNamesTheTwinElseTheConfiguredStrategyDoes() {
        new TwinGraph(fake).twin("asset-42").twin("device-dev-2").twin("dev-2");
        LifecycleOptions prefixed = LifecycleOptions.builder().twinIdStrategy(TwinIdStrategy.prefixed("device-")).build();

        EventOutcome tagged = process(prefixed, lifecycle("deleteDeviceIdentity", "hub-a", "dev-1",
                twin("dev-1", "{\"dtId\":\"asset-42\"}", null)));
        EventOutcome untagged = process(prefixed, deviceDeleted("hub-a", "dev-2"));

        assertThat(tagged.twinId()).isEqualTo("asset-42");
        assertThat(untagged.twinId()).isEqualTo("device-dev-2");
        assertThat(fake.getTwin("asset-42")).isEmpty();
        assertThat(fake.getTwin("device-dev-2")).isEmpty();
        assertThat(fake.getTwin("dev-2")).isPresent();
    }

    @Test
    void anUnusableDtIdTagIsSkippedRatherThanGuessed() {
        new TwinGraph(fake).twin("dev-1");

        EventOutcome controlCharacter = process(LifecycleOptions.defaults(), lifecycle("deleteDeviceIdentity", "hub-a",
                "dev-1", twin("dev-1", "{\"dtId\":\"dev-1\\u0000\"}", null)));
        EventOutcome tooLong = process(LifecycleOptions.defaults(), lifecycle("deleteDeviceIdentity", "hub-a",
                "dev-1", twin("dev-1", "{\"dtId\":\"" + "x".repeat(600) + "\"}", null)));
        EventOutcome strategyFails = process(LifecycleOptions.builder().twinIdStrategy(id -> "").build(),
                deviceDeleted("hub-a", "dev-1"));

        assertThat(List.of(controlCharacter, tooLong, strategyFails)).allSatisfy(o -> {
            assertThat(o.outcome()).isEqualTo(LifecycleOutcome.SKIPPED);
            assertThat(o.reason()).isEqualTo(OutcomeReason.INVALID_TWIN_ID);
        });
        assertThat(fake.getTwin("dev-1")).isPresent();
    }
}
