package io.dpstwin.spring.health;

import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.ModelInfo;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

class DigitalTwinsHealthIndicatorTest {

    private static final String MODEL = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String ENDPOINT = "https://contoso.api.weu.digitaltwins.azure.net";

    private final DigitalTwinsGateway gateway = Mockito.mock(DigitalTwinsGateway.class);

    @Test
    void isUpWhenTheDefaultModelCanBeRead() {
        when(gateway.getModel(MODEL)).thenReturn(Optional.of(new ModelInfo(MODEL, false, "{}")));
        Health health = new DigitalTwinsHealthIndicator(gateway, MODEL, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("endpoint", "contoso.api.weu.digitaltwins.azure.net")
                .containsEntry("defaultModel", MODEL).containsEntry("defaultModelUploaded", true);
    }

    @Test
    void isUpButSaysSoWhenTheDefaultModelIsNotUploaded() {
        when(gateway.getModel(MODEL)).thenReturn(Optional.empty());
        Health health = new DigitalTwinsHealthIndicator(gateway, MODEL, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("defaultModelUploaded", false);
    }

    @Test
    void readsAProbeTwinWhenNoDefaultModelIsConfigured() {
        when(gateway.getTwin(DigitalTwinsHealthIndicator.PROBE_TWIN_ID)).thenReturn(Optional.empty());
        Health health = new DigitalTwinsHealthIndicator(gateway, null, null).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        Mockito.verify(gateway).getTwin(DigitalTwinsHealthIndicator.PROBE_TWIN_ID);
    }

    @Test
    void isDownWithASafeDetailWhenTheCredentialIsRefused() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new AdtException(401, "Unauthorized",
                "token eyJhbGciOiJSUzI1NiJ9.secret rejected"));
        Health health = new DigitalTwinsHealthIndicator(gateway, null, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("status", 401).containsEntry("errorCode", "Unauthorized")
                .containsEntry("reason", "the credential was refused");
        assertThat(health.toString()).doesNotContain("eyJ").doesNotContain("secret");
    }

    @Test
    void isDownWhenTheIdentityLacksADataRole() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new AdtException(403, "Forbidden", "no role"));
        Health health = new DigitalTwinsHealthIndicator(gateway, null, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the identity lacks an Azure Digital Twins data role");
    }

    @Test
    void isDownWhenAdtCannotBeReached() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new AdtException(0, AdtErrorCodes.TRANSPORT_ERROR,
                "Connection refused: contoso"));
        Health health = new DigitalTwinsHealthIndicator(gateway, null, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("errorCode", AdtErrorCodes.TRANSPORT_ERROR)
                .doesNotContainKey("message");
    }

    @Test
    void staysUpWhileAdtThrottles() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new AdtException(429, "TooManyRequests", "slow down"));
        Health health = new DigitalTwinsHealthIndicator(gateway, null, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("throttled", true);
    }

    @Test
    void isDownWithOnlyTheErrorTypeOnAnUnexpectedFailure() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new IllegalStateException("password=hunter2"));
        Health health = new DigitalTwinsHealthIndicator(gateway, null, ENDPOINT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "IllegalStateException");
        assertThat(health.toString()).doesNotContain("hunter2");
    }
}
