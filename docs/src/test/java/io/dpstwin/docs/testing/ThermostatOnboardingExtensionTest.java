package io.dpstwin.docs.testing;

import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

// tag::register-extension[]
class ThermostatOnboardingExtensionTest {

    @RegisterExtension
    static AdtEmulatorExtension adt = AdtEmulatorExtension.newInstance()   // static: one emulator for the class
            .modelResources("models/room.json", "models/thermostat.json")
            .configure(builder -> builder.limits(AdtLimits.adtDefaults()))   // any AdtEmulator.Builder option
            .build();

    @Test
    void registersAThermostat() {
        ThermostatOnboarding onboarding = new ThermostatOnboarding(adt.client());

        assertThat(onboarding.register("thermostat-1", "SN-001")).isTrue();
        assertThat(adt.journal().countStatus(200)).isEqualTo(1);   // also adt.emulator(), adt.endpoint()
    }

    @Test
    void injectsTheEmulator(AdtEmulator emulator) {
        assertThat(emulator.engine().limits()).isEqualTo(AdtLimits.adtDefaults());
        assertThat(emulator.engine().twinCount()).isZero();        // reset before each test
    }
}
// end::register-extension[]
