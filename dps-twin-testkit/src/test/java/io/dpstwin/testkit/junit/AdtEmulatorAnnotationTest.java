package io.dpstwin.testkit.junit;

import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@AdtEmulatorTest(models = "models/fleet.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdtEmulatorAnnotationTest {

    private static final String ROOM = "{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"dtmi:com:example:Extra;1\","
            + "\"@type\":\"Interface\"}";
    private static AdtEmulator first;

    @BeforeAll
    static void injectsIntoLifecycleMethods(AdtEmulator emulator) {
        first = emulator;
    }

    static BasicDigitalTwin gateway(String id) {
        return new BasicDigitalTwin(id)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId("dtmi:com:example:fleet:Gateway;1"))
                .addToContents("name", id);
    }

    @Test
    @Order(1)
    void injectsARunningEmulatorWithTheConfiguredModels(AdtEmulator emulator, DigitalTwinsClient client,
                                                        RequestJournal journal, AdtEngine engine) {
        assertThat(emulator).isSameAs(first);
        assertThat(emulator.isRunning()).isTrue();
        assertThat(engine).isSameAs(emulator.engine());
        assertThat(journal).isSameAs(emulator.journal());

        client.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        client.createModels(List.of(ROOM));

        assertThat(engine.modelIds()).contains("dtmi:com:example:fleet:Sensor;1", "dtmi:com:example:Extra;1");
        assertThat(journal.count("PUT", "/digitaltwins/gw-1")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void startsEachTestFromTheConfiguredState(AdtEmulator emulator) {
        assertThat(emulator).isSameAs(first);
        assertThat(emulator.engine().twinCount()).isZero();
        assertThat(emulator.engine().modelIds()).containsExactly("dtmi:com:example:fleet:Gateway;1",
                "dtmi:com:example:fleet:Sensor;1");
        assertThat(emulator.journal().size()).isZero();
        assertThat(emulator.counters().total()).isZero();
    }

    @Nested
    class NestedTests {

        @Test
        void shareTheOuterEmulator(AdtEmulator emulator, DigitalTwinsClient client) {
            assertThat(emulator).isSameAs(first);
            client.createOrReplaceDigitalTwin("gw-2", gateway("gw-2"), BasicDigitalTwin.class);
            assertThat(emulator.engine().twinIds()).containsExactly("gw-2");
        }
    }
}
