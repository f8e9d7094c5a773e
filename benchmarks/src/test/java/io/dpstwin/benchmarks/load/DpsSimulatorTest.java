package io.dpstwin.benchmarks.load;

import io.dpstwin.benchmarks.BenchModels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DpsSimulatorTest {

    private static String assignment(String hub, String dtId) {
        return "{\"iotHubHostName\":\"" + hub + "\",\"initialTwin\":{\"tags\":{\"dtId\":\"" + dtId + "\"}}}";
    }

    @Test
    void acceptsOnlyAnAnswerAssigningTheLinkedHubAndTheDevicesTwin() {
        assertThat(DpsSimulator.checkAssignment("dev-1", assignment(BenchModels.HUB, "dev-1"))).isNull();
        assertThat(DpsSimulator.checkAssignment("dev-1", assignment("other.azure-devices.net", "dev-1")))
                .contains("hub");
        assertThat(DpsSimulator.checkAssignment("dev-1", assignment(BenchModels.HUB, "dev-2"))).contains("twin");
        assertThat(DpsSimulator.checkAssignment("dev-1", "not json")).contains("not JSON");
    }

    @Test
    void retriesAnswersOf429AndAboveAndGivesUpOnOtherErrors() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        DpsSimulator.Webhook flaky = body -> {
            if (body.contains("dev-throttled") && calls.getAndIncrement() == 0) {
                return new DpsSimulator.Answer(429, "{}", Optional.of(Duration.ofMillis(1)));
            }
            if (body.contains("dev-bad")) {
                return new DpsSimulator.Answer(400, "{\"error\":{}}", Optional.empty());
            }
            String id = body.contains("dev-throttled") ? "dev-throttled" : "dev-ok";
            return new DpsSimulator.Answer(200, assignment(BenchModels.HUB, id), Optional.empty());
        };
        List<String> ids = List.of("dev-throttled", "dev-ok", "dev-bad");

        DpsSimulator.Result result;
        try (DpsSimulator dps = new DpsSimulator(2, 3)) {
            result = dps.provision(ids, DpsSimulator.requests(ids), flaky);
        }

        assertThat(result.allocated()).isEqualTo(2);
        assertThat(result.retries()).isEqualTo(1);
        assertThat(result.failures()).isEqualTo(1);
        assertThat(result.problems()).singleElement().asString().startsWith("dev-bad: rejected with HTTP 400");
    }

    @Test
    void anExceptionIsA500ThatDpsRetriesUntilItGivesUp() throws Exception {
        DpsSimulator.Webhook broken = body -> {
            throw new IllegalStateException("boom");
        };

        DpsSimulator.Result result;
        try (DpsSimulator dps = new DpsSimulator(1, 2, Duration.ofMillis(1))) {
            result = dps.provision(List.of("dev-1"), List.of("{}"), broken);
        }

        assertThat(result.allocated()).isZero();
        assertThat(result.retries()).isEqualTo(1);
        assertThat(result.problems()).singleElement().asString()
                .contains("gave up after 2 attempts", "HTTP 500", "boom");
    }
}
