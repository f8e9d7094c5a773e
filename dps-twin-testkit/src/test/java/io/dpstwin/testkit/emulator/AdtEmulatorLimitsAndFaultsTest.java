package io.dpstwin.testkit.emulator;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.JsonPatchDocument;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.RateLimit;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ADT's rate limits, injected faults and the request journal, seen through the SDK. */
class AdtEmulatorLimitsAndFaultsTest extends OnAdtEmulator {

    private static final List<Duration> SLEPT = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(ContractModels.ALL.toArray(String[]::new))
            .configure(builder -> builder.engine(AdtEngine.builder().sleeper(SLEPT::add).build())).build();
    /** A client without SDK retries, to see each answer as it is. */
    private static DigitalTwinsClient noRetries;

    @BeforeAll
    static void start() {
        noRetries = ADT.emulator().clientBuilder()
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
                .buildClient();
    }

    @BeforeEach
    void forgetSleeps() {
        SLEPT.clear();
    }

    private static BasicDigitalTwin gateway(String id) {
        return new BasicDigitalTwin(id)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.GATEWAY_ID))
                .addToContents("name", id);
    }

    private static void assertThrottled(Runnable call, long minSeconds, long maxSeconds) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(e.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER));
            assertThat(retryAfter).isBetween(minSeconds, maxSeconds);
            assertThat(e.getResponse().getBodyAsString().block()).contains("TooManyRequests");
        });
    }

    @Test
    void throttlesWritesOnOneTwinOverItsLimitWithRetryAfter() {
        emulator.limits(new AdtLimits(null, new RateLimit(3, Duration.ofHours(1))));
        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        noRetries.updateDigitalTwin("gw-1", new JsonPatchDocument().appendReplace("/name", "a"));
        noRetries.updateDigitalTwin("gw-1", new JsonPatchDocument().appendReplace("/name", "b"));

        assertThrottled(() -> noRetries.updateDigitalTwin("gw-1", new JsonPatchDocument().appendReplace("/name", "c")),
                1, 3600);
        assertThat(noRetries.getDigitalTwin("gw-1", BasicDigitalTwin.class).getContents()).containsEntry("name", "b");
        noRetries.createOrReplaceDigitalTwin("gw-2", gateway("gw-2"), BasicDigitalTwin.class);
        assertThat(emulator.journal().countStatus(429)).isEqualTo(1);
    }

    @Test
    void throttlesCreatesAndDeletesAcrossTheInstance() {
        emulator.limits(new AdtLimits(new RateLimit(2, Duration.ofHours(1)), null));
        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        noRetries.createOrReplaceDigitalTwin("gw-2", gateway("gw-2"), BasicDigitalTwin.class);

        assertThrottled(() -> noRetries.createOrReplaceDigitalTwin("gw-3", gateway("gw-3"), BasicDigitalTwin.class),
                1, 3600);
        noRetries.updateDigitalTwin("gw-1", new JsonPatchDocument().appendReplace("/name", "patched"));
        assertThat(noRetries.getDigitalTwin("gw-1", BasicDigitalTwin.class).getContents())
                .containsEntry("name", "patched");
        assertThat(emulator.engine().twinIds()).containsExactly("gw-1", "gw-2");
    }

    @Test
    void injectsThrottlingAndUnavailabilityByOperation() {
        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        emulator.faults().throttle(1.0, Duration.ofSeconds(2), Duration.ofSeconds(4), AdtOperation.GET_TWIN);

        assertThrottled(() -> noRetries.getDigitalTwin("gw-1", BasicDigitalTwin.class), 2, 4);
        noRetries.updateDigitalTwin("gw-1", new JsonPatchDocument().appendReplace("/name", "still writable"));

        emulator.faults().clear();
        emulator.faults().unavailable(1.0, AdtOperation.QUERY);
        assertThatThrownBy(() -> noRetries.query("SELECT * FROM DIGITALTWINS", String.class).stream().count())
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(503));
        assertThat(emulator.counters().count(AdtOperation.QUERY)).isEqualTo(1);
    }

    @Test
    void letsTheSdkRetryAfterAOneOffThrottle() {
        emulator.client().createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        emulator.faults().throttleNext(Duration.ZERO);

        BasicDigitalTwin read = emulator.client().getDigitalTwin("gw-1", BasicDigitalTwin.class);

        assertThat(read.getId()).isEqualTo("gw-1");
        assertThat(emulator.journal().entries()).extracting(RequestJournal.Entry::status).containsExactly(200, 429, 200);
        assertThat(emulator.journal().count("GET", "/digitaltwins/gw-1")).isEqualTo(2);
    }

    @Test
    void dropsConnectionsSoTheSdkSeesNoAnswer() {
        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        emulator.faults().dropConnection(1.0, AdtOperation.DELETE_TWIN);

        assertThatThrownBy(() -> noRetries.deleteDigitalTwin("gw-1"))
                .isNotInstanceOf(HttpResponseException.class);
        assertThat(emulator.engine().twinIds()).containsExactly("gw-1");
    }

    @Test
    void addsLatencyToTheChosenOperations() {
        emulator.faults().latency(Duration.ofMillis(25), Duration.ofMillis(25), AdtOperation.PUT_TWIN);

        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        noRetries.getDigitalTwin("gw-1", BasicDigitalTwin.class);

        assertThat(SLEPT).containsExactly(Duration.ofMillis(25));
    }

    @Test
    void journalsEveryRequestForAssertions() {
        noRetries.createOrReplaceDigitalTwin("gw-1", gateway("gw-1"), BasicDigitalTwin.class);
        noRetries.getDigitalTwin("gw-1", BasicDigitalTwin.class);
        assertThatThrownBy(() -> noRetries.getDigitalTwin("gw-2", BasicDigitalTwin.class))
                .isInstanceOf(HttpResponseException.class);
        noRetries.getModel(ContractModels.GATEWAY_ID);

        RequestJournal journal = emulator.journal();
        assertThat(journal.size()).isEqualTo(4);
        assertThat(journal.count("GET", "/digitaltwins/.*")).isEqualTo(2);
        assertThat(journal.count("put", "/digitaltwins/gw-1")).isEqualTo(1);
        assertThat(journal.count(null, "/models/.*")).isEqualTo(1);
        assertThat(journal.count(AdtOperation.GET_TWIN)).isEqualTo(2);
        assertThat(journal.countStatus(404)).isEqualTo(1);
        RequestJournal.Entry first = journal.entries().get(0);
        assertThat(first.method()).isEqualTo("PUT");
        assertThat(first.query()).contains("api-version=");
        assertThat(first.timestamp()).isNotNull();
        assertThat(emulator.counters().count(AdtOperation.PUT_TWIN)).isEqualTo(1);

        journal.clear();
        assertThat(journal.entries()).isEmpty();
    }
}
