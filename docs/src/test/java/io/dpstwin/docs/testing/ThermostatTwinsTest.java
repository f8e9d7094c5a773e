package io.dpstwin.docs.testing;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.junit.InMemoryDigitalTwinsTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

// tag::in-memory-extension[]
@InMemoryDigitalTwinsTest(models = {"models/room.json", "models/thermostat.json"})
class ThermostatTwinsTest {

    @Test
    void findsOrCreatesTheTwinOnce(DigitalTwinsGateway gateway, InMemoryDigitalTwins adt) {
        FindOrCreateTwin findOrCreate = new FindOrCreateTwin(gateway, ModelMismatchPolicy.REJECT);   // dps-twin's core

        EnsuredTwin first = findOrCreate.ensureTwin("thermostat-1", "dtmi:com:example:Thermostat;1", Map.of());
        EnsuredTwin again = findOrCreate.ensureTwin("thermostat-1", "dtmi:com:example:Thermostat;1", Map.of());

        assertThat(first.outcome()).isEqualTo(EnsuredTwin.Outcome.CREATED);
        assertThat(again.outcome()).isEqualTo(EnsuredTwin.Outcome.FOUND);
        assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(1);
    }
}
// end::in-memory-extension[]
