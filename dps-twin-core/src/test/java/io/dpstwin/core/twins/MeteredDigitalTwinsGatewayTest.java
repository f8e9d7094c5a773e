package io.dpstwin.core.twins;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.twins.MeteredDigitalTwinsGateway;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MeteredDigitalTwinsGateway}: one timer sample per call, tagged with the operation and the HTTP status. */
class MeteredDigitalTwinsGatewayTest {

    private static final String MODEL = "dtmi:com:example:Device;1";

    private final HandFakeGateway fake = new HandFakeGateway();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeteredDigitalTwinsGateway gateway = new MeteredDigitalTwinsGateway(fake, registry);

    private long count(String operation, String status) {
        return requests(registry, operation, status);
    }

    /** Each {@code operation/status} was timed once. */
    private void assertCountedOnce(String... operationAndStatus) {
        for (String pair : operationAndStatus) {
            String[] tags = pair.split("/");
            assertThat(count(tags[0], tags[1])).as(pair).isEqualTo(1);
        }
    }

    /** How many ADT requests of {@code operation} ended with {@code status}, as {@code registry} counted them. */
    static long requests(MeterRegistry registry, String operation, String status) {
        Timer timer = registry.find("dpstwin.adt.requests").tag("operation", operation).tag("status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void recordsSuccessesWithTheStatusAdtAnswers() {
        gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        gateway.getTwin("dev-1");
        gateway.updateTwin("dev-1", List.of(JsonPatchOperation.add("/x", 1)), null);
        gateway.createModels(List.of("{\"@id\":\"dtmi:a:B;1\"}"));
        gateway.listRelationships("dev-1", null);
        gateway.deleteTwin("dev-1", null);

        assertCountedOnce("createTwinIfAbsent/200", "getTwin/200", "updateTwin/204", "createModels/201",
                "listRelationships/200", "deleteTwin/204");
    }

    @Test
    void recordsEmptyReadsAs404() {
        gateway.getTwin("nobody");
        gateway.getRelationship("nobody", "r1");
        gateway.getModel("dtmi:a:B;1");

        assertCountedOnce("getTwin/404", "getRelationship/404", "getModel/404");
    }

    @Test
    void recordsFailuresWithTheirStatusAndNoAnswerAsZero() {
        gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL));
        fake.failNext("getTwin", new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR, "reset"));
        fake.failNext("getTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "slow down"));

        assertThatThrownBy(() -> gateway.createTwinIfAbsent(DigitalTwin.of("dev-1", MODEL)))
                .isInstanceOf(AdtException.class);
        assertThatThrownBy(() -> gateway.getTwin("dev-1")).isInstanceOf(AdtException.class);
        assertThatThrownBy(() -> gateway.getTwin("dev-1")).isInstanceOf(AdtException.class);
        assertThatThrownBy(() -> gateway.query("SELECT * FROM DIGITALTWINS", null))
                .isInstanceOf(UnsupportedOperationException.class);

        assertCountedOnce("createTwinIfAbsent/412", "getTwin/0", "getTwin/429", "query/error");
    }

    @Test
    void keepsTheTagSetBoundedWhateverTheIds() {
        for (int i = 0; i < 200; i++) {
            gateway.getTwin("twin-" + i);
        }

        assertThat(count("getTwin", "404")).isEqualTo(200);
        assertThat(registry.find("dpstwin.adt.requests").timers()).hasSize(1);
    }
}
