package io.dpstwin.core.allocation;

import ch.qos.logback.classic.Level;
import io.dpstwin.core.LogCapture;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.body;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.errorMessage;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Failures DPS should retry (429/503) and bugs (503 with a correlation id), never a 500. */
class TransientAndUnexpectedFailureTest {

    private final HandFakeGateway adt = new HandFakeGateway();
    @RegisterExtension
    final LogCapture logs = LogCapture.of(DpsAllocationHandler.class, null);

    private WebhookResponse allocate() {
        return new DpsAllocationHandler(adt, AllocationOptions.defaults()).handle(text(group("dev-1", THERMOSTAT)));
    }

    @Test
    void throttlingAnswers429() {
        adt.failNext("getTwin", new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "Too many requests"));

        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(429);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.ADT_THROTTLED);
        assertThat(errorMessage(response)).isEqualTo("Azure Digital Twins is throttling requests (429 TooManyRequests);"
                + " DPS retries the allocation");
    }

    @Test
    void throttlingWithoutRetryAfterAnswers429WithoutTheHeader() {
        adt.failNext("createTwinIfAbsent", new AdtException(429, AdtErrorCodes.QUOTA_REACHED, "quota"));

        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.headers()).doesNotContainKey("Retry-After");
    }

    @Test
    void aServerErrorAnswers503() {
        adt.failNext("getTwin", new AdtException(500, "InternalServerError", "oops"));

        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(503);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.ADT_UNAVAILABLE);
        assertThat(errorMessage(response))
                .isEqualTo("Azure Digital Twins failed transiently (500 InternalServerError); DPS retries the allocation");
    }

    @ParameterizedTest(name = "{0} {1} after {2} ms")
    @CsvSource({"429, TooManyRequests, 2500, 3", "503, ServiceUnavailable, 7000, 7"})
    void aRetryAfterIsPassedOnRoundedUpToSeconds(int status, String code, long retryAfterMillis, String header) {
        adt.failNext("getTwin", new AdtException(status, code, "busy", Duration.ofMillis(retryAfterMillis), null));

        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers()).containsEntry("Retry-After", header);
    }

    @Test
    void aTimeoutOrTransportFailureAnswers503() {
        adt.failNext("getTwin", new AdtException(0, AdtErrorCodes.TIMEOUT, "no answer within 10 s"));
        assertThat(allocate().status()).isEqualTo(503);

        adt.failNext("getTwin", new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR, "connection reset"));
        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(503);
        assertThat(errorMessage(response)).contains("no answer TransportError");
    }

    @Test
    void aRequestTimeoutFromAdtAnswers503() {
        adt.failNext("createTwinIfAbsent", new AdtException(408, "RequestTimeout", "timeout"));

        assertThat(allocate().status()).isEqualTo(503);
    }

    @Test
    void aTransientFailureLeavesNoTwinAndTheRetrySucceeds() {
        adt.failNext("createTwinIfAbsent", new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "busy"));

        assertThat(allocate().status()).isEqualTo(503);
        assertThat(adt.twinCount()).isZero();
        assertThat(allocate().status()).isEqualTo(200);
        assertThat(adt.twinCount()).isEqualTo(1);
    }

    @Test
    void anUnexpectedExceptionAnswers503WithACorrelationIdThatIsLogged() {
        adt.failNext("getTwin", new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null"));

        WebhookResponse response = allocate();

        assertThat(response.status()).isEqualTo(503);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.INTERNAL_ERROR);
        String correlationId = body(response).path("error").path("correlationId").asText();
        assertThat(correlationId).matches("[0-9a-f-]{36}");
        assertThat(errorMessage(response)).contains(correlationId);
        assertThat(response.body()).doesNotContain("NullPointerException", "String.length", "java.", "at io.dpstwin");
        assertThat(logs.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).contains(correlationId, "dev-1");
            assertThat(event.getThrowableProxy().getClassName()).isEqualTo(NullPointerException.class.getName());
        });
    }

    @Test
    void anErrorThrownByACustomPolicyStillAnswers503() {
        DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.builder()
                .hubSelection(request -> {
                    throw new StackOverflowError();
                }).build());

        WebhookResponse response = handler.handle(text(group("dev-1", THERMOSTAT)));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("StackOverflowError");
    }

    @Test
    void noAnswerIsEverA500() {
        adt.failNext("getTwin", new AdtException(500, "InternalServerError", "oops"));
        adt.failNext("createTwinIfAbsent", new IllegalStateException("bug"));

        assertThat(allocate().status()).isEqualTo(503);
        assertThat(allocate().status()).isEqualTo(503);
    }
}
