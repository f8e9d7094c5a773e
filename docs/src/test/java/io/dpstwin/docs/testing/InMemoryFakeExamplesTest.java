package io.dpstwin.docs.testing;

import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.ConnectionDroppedException;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory fake examples of docs/testing.md. */
class InMemoryFakeExamplesTest {

    @Test
    void enforcesAdtRulesWithoutANetwork() throws IOException {
        // tag::fake[]
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();   // or new InMemoryDigitalTwins(AdtEngine.builder()...build())
        adt.uploadModels(Files.readString(Path.of("src/test/resources/models/room.json")),
                Files.readString(Path.of("src/test/resources/models/thermostat.json")));   // each one interface or an array

        adt.createTwinIfAbsent(DigitalTwin.of("room-1", "dtmi:com:example:Room;1"));
        adt.createTwinIfAbsent(DigitalTwin.of("thermostat-1", "dtmi:com:example:Thermostat;1",
                Map.of("serialNumber", "SN-001")));
        adt.createRelationshipIfAbsent(Relationship.of("installed", "thermostat-1", "room-1", "installedIn"));

        assertThatThrownBy(() -> adt.deleteTwin("room-1", null))     // as in ADT, relationships block deletion
                .isInstanceOfSatisfying(AdtException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.RELATIONSHIPS_NOT_DELETED);
                });
        assertThat(adt.getTwin("thermostat-2")).isEmpty();           // a missing twin is empty, not an exception
        assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(2);
        // end::fake[]
        assertThat(adt.engine().twinIds()).containsExactly("room-1", "thermostat-1");
    }

    @Test
    void injectsFaultsAndLatencyWithoutWaiting() {
        // tag::fake-faults[]
        List<Duration> waited = new ArrayList<>();
        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(AdtEngine.builder()
                .sleeper(waited::add)                                // record injected latency instead of waiting
                .build());
        adt.faults()
           .latency(Duration.ofMillis(200), Duration.ofMillis(200), AdtOperation.GET_TWIN)
           .dropConnection(1.0, AdtOperation.DELETE_TWIN);

        assertThat(adt.getTwin("thermostat-1")).isEmpty();
        assertThat(waited).containsExactly(Duration.ofMillis(200));
        assertThatThrownBy(() -> adt.deleteTwin("thermostat-1", null))
                .isInstanceOfSatisfying(ConnectionDroppedException.class, e -> {
                    assertThat(e.statusCode()).isZero();                  // no answer, as a gateway reports it
                    assertThat(e.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
                    assertThat(e.isTransient()).isTrue();
                });
        // end::fake-faults[]
        assertThat(adt.counters().count(AdtOperation.DELETE_TWIN)).isEqualTo(1);   // fault-injected calls count
    }

    @Test
    void lagsQueriesBehindWritesLikeAdtsIndex() throws IOException {
        // tag::fake-lag[]
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));   // any Clock you control
        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(AdtEngine.builder()
                .clock(clock)
                .queryIndexLag(Duration.ofSeconds(10))
                .build());
        adt.uploadModels(Files.readString(Path.of("src/test/resources/models/room.json")));
        adt.createTwinIfAbsent(DigitalTwin.of("room-1", "dtmi:com:example:Room;1"));

        assertThat(adt.getTwin("room-1")).isPresent();                              // reads never lag
        assertThat(adt.query("SELECT * FROM DIGITALTWINS", null).items()).isEmpty(); // the index does
        clock.advance(Duration.ofSeconds(10));
        assertThat(adt.query("SELECT * FROM DIGITALTWINS", null).items()).hasSize(1);
        // end::fake-lag[]
    }

    @Test
    void resetDropsModelsAndClearTwinsKeepsThem() throws IOException {
        InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
        adt.uploadModels(Files.readString(Path.of("src/test/resources/models/room.json")));
        adt.createTwinIfAbsent(DigitalTwin.of("room-1", "dtmi:com:example:Room;1"));

        adt.clearTwins();
        assertThat(adt.engine().twinCount()).isZero();
        assertThat(adt.getModel("dtmi:com:example:Room;1")).isPresent();
        adt.reset();
        assertThat(adt.getModel("dtmi:com:example:Room;1")).isEmpty();
        assertThat(adt.counters().total()).isEqualTo(1);   // the getModel after the reset
    }
}
