package io.dpstwin.testkit.emulator;

import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.implementation.models.ErrorResponseException;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.contract.ContractModels;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory fake and the emulator on one engine: one state, one set of rules, whichever front is used. */
class SharedEngineTest {

    @Test
    void bothFrontsSeeTheSameTwinsAndAnswerWithTheSameErrors() {
        AdtEngine engine = AdtEngine.create();
        InMemoryDigitalTwins fake = new InMemoryDigitalTwins(engine);
        fake.uploadModels(ContractModels.ALL.toArray(String[]::new));
        try (AdtEmulator emulator = AdtEmulator.builder().engine(engine).start()) {
            fake.createTwinIfAbsent(DigitalTwin.of("dev", ContractModels.DEVICE_ID, Map.of("serial", "S1")));
            fake.createTwinIfAbsent(DigitalTwin.of("gw", ContractModels.GATEWAY_ID));
            fake.createRelationshipIfAbsent(Relationship.of("r1", "dev", "gw", "connectedTo"));

            BasicDigitalTwin read = emulator.client().getDigitalTwin("dev", BasicDigitalTwin.class);
            assertThat(read.getContents()).containsEntry("serial", "S1");
            assertThat(read.getETag()).isEqualTo(fake.getTwin("dev").orElseThrow().etag());

            assertThatThrownBy(() -> fake.deleteTwin("gw", null)).isInstanceOfSatisfying(AdtException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.errorCode()).isEqualTo("RelationshipsNotDeleted");
            });
            assertThatThrownBy(() -> emulator.client().deleteDigitalTwin("gw"))
                    .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                        assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                        assertThat(e.getValue().getError().getCode()).isEqualTo("RelationshipsNotDeleted");
                    });
            assertThat(engine.counters().count(AdtOperation.DELETE_TWIN)).isEqualTo(2);
        }
    }
}
