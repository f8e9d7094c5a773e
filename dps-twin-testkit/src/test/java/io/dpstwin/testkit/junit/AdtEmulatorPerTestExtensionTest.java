package io.dpstwin.testkit.junit;

import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdtEmulatorPerTestExtensionTest {

    private static AdtEmulator previous;

    @RegisterExtension
    AdtEmulatorExtension adt = AdtEmulatorExtension.newInstance().modelResources("models/room.json").build();

    @Test
    @Order(1)
    void startsAnEmulatorForTheTest(AdtEmulator emulator) {
        previous = emulator;
        assertThat(emulator.isRunning()).isTrue();
        assertThat(emulator.engine().modelIds()).containsExactly("dtmi:com:example:fleet:Room;1");
    }

    @Test
    @Order(2)
    void stopsItAfterTheTest(AdtEmulator emulator) {
        assertThat(previous.isRunning()).isFalse();
        assertThat(emulator).isNotSameAs(previous);
        assertThat(emulator.isRunning()).isTrue();
    }
}
