package io.dpstwin.spring.health;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.healthcheck.DigitalTwinsProbe;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Spring Boot 4's {@link HealthIndicator} over {@link DigitalTwinsProbe}: whether Azure Digital Twins is reachable
 * with the application's credential, from one cheap read. UP when ADT answers (throttling included); DOWN on 401/403
 * (credential or role assignment), 5xx and transport failures. Details carry the endpoint's host, ADT's status and
 * error code, never a message, header or token.
 */
public final class DigitalTwinsHealthIndicator implements HealthIndicator {

    /** The twin read when no default model is configured; it need not exist. */
    public static final String PROBE_TWIN_ID = DigitalTwinsProbe.PROBE_TWIN_ID;

    private final DigitalTwinsProbe probe;

    /**
     * @param gateway        the undecorated gateway (no retries, so the check answers quickly)
     * @param defaultModelId the model to read, or {@code null} to read the probe twin
     * @param endpoint       the instance URL to show (host only), or {@code null}
     */
    public DigitalTwinsHealthIndicator(DigitalTwinsGateway gateway, String defaultModelId, String endpoint) {
        this.probe = new DigitalTwinsProbe(gateway, defaultModelId, endpoint);
    }

    @Override
    public Health health() {
        DigitalTwinsProbe.Result result = probe.probe();
        return (result.up() ? Health.up() : Health.down()).withDetails(result.details()).build();
    }
}
