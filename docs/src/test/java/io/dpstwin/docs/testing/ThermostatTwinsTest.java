package io.dpstwin.docs.testing;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.junit.InMemoryDigitalTwinsTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// tag::in-memory-extension[]
@InMemoryDigitalTwinsTest(models = {"models/room.json", "models/thermostat.json"})
class ThermostatTwinsTest {

    @Test
    void createsTheTwinOnlyIfAbsent(DigitalTwinsGateway gateway, InMemoryDigitalTwins adt) {
        DigitalTwin thermostat = DigitalTwin.of("thermostat-1", "dtmi:com:example:Thermostat;1");

        DigitalTwin created = gateway.createTwinIfAbsent(thermostat);   // PUT with If-None-Match: *

        assertThat(created.etag()).isNotBlank();
        assertThatThrownBy(() -> gateway.createTwinIfAbsent(thermostat))
                .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(2);
    }
}
// end::in-memory-extension[]
