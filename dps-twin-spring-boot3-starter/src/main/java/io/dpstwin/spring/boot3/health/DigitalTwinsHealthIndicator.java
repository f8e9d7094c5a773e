package io.dpstwin.spring.boot3.health;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.healthcheck.DigitalTwinsProbe;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Spring Boot 3.5's {@link HealthIndicator} over {@link DigitalTwinsProbe}: whether Azure Digital Twins is reachable
 * with the application's credential, from one cheap read. UP when ADT answers (throttling included); DOWN on 401/403
 * (credential or role assignment), 5xx and transport failures. Details carry the endpoint's host, ADT's status and
 * error code, never a message, header or token.
 */
public final class DigitalTwinsHealthIndicator implements HealthIndicator {

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
