package io.dpstwin.core.twins;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.netty.http.client.PrematureCloseException;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link SdkErrors} reads {@code Retry-After} headers and classifies what the SDK throws when no answer arrives
 * (the WireMock tests of {@link SdkDigitalTwinsGateway} cover the answers themselves).
 */
class SdkGatewayErrorsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.set(HttpHeaderName.fromString(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return headers;
    }

    private static AdtException mapped(RuntimeException failure) {
        RuntimeException result = SdkErrors.map("getTwin", failure, CLOCK);
        assertThat(result).isInstanceOf(AdtException.class);
        return (AdtException) result;
    }

    @Test
    void readsRetryAfterInSeconds() {
        assertThat(SdkErrors.retryAfter(headers("Retry-After", "7"), CLOCK)).contains(Duration.ofSeconds(7));
    }

    @Test
    void readsRetryAfterAsAnHttpDate() {
        assertThat(SdkErrors.retryAfter(headers("Retry-After", "Sat, 01 Mar 2025 10:00:05 GMT"), CLOCK))
                .contains(Duration.ofSeconds(5));
        assertThat(SdkErrors.retryAfter(headers("Retry-After", "Sat, 01 Mar 2025 09:00:00 GMT"), CLOCK))
                .contains(Duration.ZERO);
    }

    @Test
    void prefersTheMillisecondHeaders() {
        assertThat(SdkErrors.retryAfter(headers("retry-after-ms", "1500", "Retry-After", "9"), CLOCK))
                .contains(Duration.ofMillis(1500));
        assertThat(SdkErrors.retryAfter(headers("x-ms-retry-after-ms", "20", "Retry-After", "9"), CLOCK))
                .contains(Duration.ofMillis(20));
    }

    @Test
    void ignoresUnreadableRetryAfterValues() {
        assertThat(SdkErrors.retryAfter(headers("Retry-After", "soon"), CLOCK)).isEmpty();
        assertThat(SdkErrors.retryAfter(headers("Retry-After", "-3"), CLOCK)).isEmpty();
        assertThat(SdkErrors.retryAfter(headers("retry-after-ms", "x", "Retry-After", "2"), CLOCK))
                .contains(Duration.ofSeconds(2));
        assertThat(SdkErrors.retryAfter(new HttpHeaders(), CLOCK)).isEmpty();
    }

    @Test
    void aTlsFailureWrappedByReactorIsATransportError() {
        AdtException failure = mapped(Exceptions.propagate(new SSLHandshakeException("PKIX path building failed")));

        assertThat(failure.statusCode()).isZero();
        assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        assertThat(failure).hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void closedAndRefusedConnectionsAreTransportErrors() {
        assertThat(mapped(new UncheckedIOException(new IOException("Connection reset by peer"))).errorCode())
                .isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        assertThat(mapped(Exceptions.propagate(PrematureCloseException.TEST_EXCEPTION)).errorCode())
                .isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        assertThat(mapped(Exceptions.propagate(new ConnectException("Connection refused"))).errorCode())
                .isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
    }

    @Test
    void timeoutsAreTimeouts() {
        assertThat(mapped(Exceptions.propagate(new TimeoutException("Did not observe any item"))).errorCode())
                .isEqualTo(AdtErrorCodes.TIMEOUT);
        assertThat(mapped(new RuntimeException(ReadTimeoutException.INSTANCE)).errorCode())
                .isEqualTo(AdtErrorCodes.TIMEOUT);
        assertThat(mapped(new UncheckedIOException(new java.net.SocketTimeoutException("Read timed out")))
                .errorCode()).isEqualTo(AdtErrorCodes.TIMEOUT);
    }

    @Test
    void aResponselessHttpResponseExceptionIsATransportError() {
        // azure-identity's ClientAuthenticationException has no response: the request never left.
        AdtException failure = mapped(new HttpResponseException("token unavailable", null));

        assertThat(failure.statusCode()).isZero();
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void programmingErrorsStayWhatTheyAre() {
        IllegalArgumentException bad = new IllegalArgumentException("'digitalTwinId' cannot be null");

        assertThat(SdkErrors.map("getTwin", bad, CLOCK)).isSameAs(bad);
    }

    @Test
    void survivesACyclicCauseChain() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(SdkErrors.map("getTwin", first, CLOCK)).isSameAs(first);
    }
}
