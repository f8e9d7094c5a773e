package io.dpstwin.testkit.junit;

import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryDigitalTwinsExtensionTest {

    @Nested
    @InMemoryDigitalTwinsTest(models = {"models/fleet.json", "models/room.json"})
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Declarative {

        @Test
        @Order(1)
        void injectsTheFakeAsGatewayAndEngine(InMemoryDigitalTwins adt, DigitalTwinsGateway gateway, AdtEngine engine) {
            assertThat(gateway).isSameAs(adt);
            assertThat(engine).isSameAs(adt.engine());
            gateway.createTwinIfAbsent(DigitalTwin.of("gw-1", "dtmi:com:example:fleet:Gateway;1",
                    Map.of("name", "gw-1")));
            assertThat(adt.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(1);
        }

        @Test
        @Order(2)
        void resetsItBeforeEachTest(InMemoryDigitalTwins adt) {
            assertThat(adt.engine().twinCount()).isZero();
            assertThat(adt.counters().total()).isZero();
            assertThat(adt.engine().modelIds()).containsExactly("dtmi:com:example:fleet:Gateway;1",
                    "dtmi:com:example:fleet:Sensor;1", "dtmi:com:example:fleet:Room;1");
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Programmatic {

        @RegisterExtension
        static InMemoryDigitalTwinsExtension fake = InMemoryDigitalTwinsExtension.newInstance()
                .modelResources("models/room.json")
                .keepModelsBetweenTests(true)
                .build();

        @Test
        @Order(1)
        void exposesTheFake(InMemoryDigitalTwins adt) {
            assertThat(fake.fake()).isSameAs(adt);
            adt.uploadModels("{\"@context\":\"dtmi:dtdl:context;3\",\"@id\":\"dtmi:com:example:Kept;1\","
                    + "\"@type\":\"Interface\"}");
            adt.createTwinIfAbsent(DigitalTwin.of("room-1", "dtmi:com:example:fleet:Room;1", Map.of("floor", 2)));
        }

        @Test
        @Order(2)
        void keepsModelsWhenAskedTo(InMemoryDigitalTwins adt) {
            assertThat(adt.engine().modelIds()).containsExactly("dtmi:com:example:fleet:Room;1",
                    "dtmi:com:example:Kept;1");
            assertThat(adt.engine().twinCount()).isZero();
        }
    }
}
