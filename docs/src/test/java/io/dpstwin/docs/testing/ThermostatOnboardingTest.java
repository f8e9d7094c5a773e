package io.dpstwin.docs.testing;

import com.azure.core.exception.HttpResponseException;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import io.dpstwin.testkit.junit.AdtEmulatorTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// tag::quick-start[]
@AdtEmulatorTest(models = "models/thermostat.json")   // classpath resources, uploaded before each test
class ThermostatOnboardingTest {

    @Test
    void registersEachThermostatOnce(DigitalTwinsClient client, RequestJournal journal) {
        ThermostatOnboarding onboarding = new ThermostatOnboarding(client);   // your code, the real SDK client

        assertThat(onboarding.register("thermostat-1", "SN-001")).isTrue();
        assertThat(onboarding.register("thermostat-1", "SN-001")).isFalse();   // the emulator answered 412

        BasicDigitalTwin twin = client.getDigitalTwin("thermostat-1", BasicDigitalTwin.class);
        assertThat(twin.getContents()).containsEntry("serialNumber", "SN-001");
        assertThat(journal.count("PUT", "/digitaltwins/thermostat-1")).isEqualTo(2);
        assertThat(journal.countStatus(412)).isEqualTo(1);
    }

    @Test
    void refusesWhatTheModelDoesNotDeclare(DigitalTwinsClient client, AdtEmulator adt) {
        assertThat(adt.engine().twinCount()).isZero();   // every test starts with the models and no twins

        BasicDigitalTwin twin = new BasicDigitalTwin("thermostat-2")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId("dtmi:com:example:Thermostat;1"))
                .addToContents("colour", "red");
        assertThatThrownBy(() -> client.createOrReplaceDigitalTwin("thermostat-2", twin, BasicDigitalTwin.class))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("ValidationFailed");
                });
    }
}
// end::quick-start[]
