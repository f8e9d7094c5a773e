package io.dpstwin.testkit.junit;

import com.azure.digitaltwins.core.BasicDigitalTwin;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.RateLimit;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdtEmulatorExtensionTest {

    private static final AdtLimits LIMITS = new AdtLimits(null, new RateLimit(50, Duration.ofHours(1)));

    @RegisterExtension
    static AdtEmulatorExtension adt = AdtEmulatorExtension.newInstance()
            .modelResources("models/fleet.json")
            .keepModelsBetweenTests(true)
            .configure(builder -> builder.limits(LIMITS))
            .build();

    private static AdtEmulator first;

    @Test
    @Order(1)
    void runsOneEmulatorConfiguredByTheBuilder(AdtEmulator emulator) {
        first = emulator;
        assertThat(adt.emulator()).isSameAs(emulator);
        assertThat(adt.endpoint()).isEqualTo(emulator.endpoint()).startsWith("https://localhost:");
        assertThat(emulator.engine().limits()).isEqualTo(LIMITS);

        adt.client().createOrReplaceDigitalTwin("gw-1", AdtEmulatorAnnotationTest.gateway("gw-1"),
                BasicDigitalTwin.class);
        adt.client().createModels(List.of("{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"dtmi:com:example:Kept;1\","
                + "\"@type\":\"Interface\"}"));
        emulator.limits(AdtLimits.adtDefaults());

        assertThat(adt.journal().count("POST", "/models")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void keepsModelsButNotTwinsBetweenTests(AdtEmulator emulator) {
        assertThat(emulator).isSameAs(first);
        assertThat(emulator.engine().modelIds()).contains("dtmi:com:example:Kept;1");
        assertThat(emulator.engine().twinCount()).isZero();
        assertThat(emulator.engine().limits()).isEqualTo(LIMITS);
        assertThat(adt.journal().size()).isZero();
    }
}
