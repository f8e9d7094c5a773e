package io.dpstwin.core.twins;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link DigitalTwinsClients}: what it accepts, and the client it builds (HTTPS, no SDK retries). */
class DigitalTwinsClientsTest extends AdtWireMockTest {

    @Test
    void rejectsAPlainHttpEndpoint() {
        assertThatThrownBy(() -> DigitalTwinsClients.create("http://localhost:8080", AdtWireMock.CREDENTIAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
    }

    @Test
    void rejectsAMissingOrMalformedEndpoint() {
        assertThatThrownBy(() -> DigitalTwinsClients.create(" ", AdtWireMock.CREDENTIAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint is required");
        assertThatThrownBy(() -> DigitalTwinsClients.create("https://exa mple", AdtWireMock.CREDENTIAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DigitalTwinsClients.create("my-instance.api.weu.digitaltwins.azure.net",
                AdtWireMock.CREDENTIAL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAMissingCredential() {
        assertThatThrownBy(() -> DigitalTwinsClients.create("https://localhost", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credential");
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThatThrownBy(() -> DigitalTwinsClients.builder().requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DigitalTwinsClients.builder().connectTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultTransportRefusesAnUntrustedCertificateAsATransportError() {
        SdkDigitalTwinsGateway gateway = new SdkDigitalTwinsGateway(
                DigitalTwinsClients.create(AdtWireMock.endpoint(adt), AdtWireMock.CREDENTIAL));

        AdtException failure = catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

        assertThat(failure.statusCode()).isZero();
        assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        adt.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void sendsOneRequestPerCallEvenWhenTheServiceAsksForARetry() {
        adt.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        SdkDigitalTwinsGateway gateway = new SdkDigitalTwinsGateway(AdtWireMock.client(adt, Duration.ofSeconds(5)));

        catchThrowableOfType(AdtException.class, () -> gateway.getTwin("dev-1"));

        adt.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void toleratesATrailingSlashInTheEndpoint() {
        adt.stubFor(get(urlPathEqualTo("/digitaltwins/dev-1")).willReturn(aResponse().withStatus(404)));
        SdkDigitalTwinsGateway gateway = new SdkDigitalTwinsGateway(
                AdtWireMock.client(AdtWireMock.endpoint(adt) + "/", Duration.ofSeconds(5), null));

        assertThat(gateway.getTwin("dev-1")).isEmpty();

        adt.verify(getRequestedFor(urlPathEqualTo("/digitaltwins/dev-1")));
    }
}
