package io.dpstwin.spring.health;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.ModelInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether Azure Digital Twins is reachable with the application's credential, from one cheap read: the default
 * model ({@code GET /models/{id}}) when one is configured, else a twin that does not exist
 * ({@code GET /digitaltwins/{probe}}, answered 404). UP when ADT answers (throttling included: ADT is there); DOWN on
 * 401/403 (credential or role assignment), 5xx and transport failures. Details carry the endpoint's host, ADT's
 * status and error code, never a message, header or token.
 */
public final class DigitalTwinsHealthIndicator implements HealthIndicator {

    /** The twin read when no default model is configured; it need not exist. */
    public static final String PROBE_TWIN_ID = "dps-twin-health-probe";

    private final DigitalTwinsGateway gateway;
    private final String defaultModelId;
    private final String endpointHost;

    /**
     * @param gateway        the undecorated gateway (no retries, so the check answers quickly)
     * @param defaultModelId the model to read, or {@code null} to read the probe twin
     * @param endpoint       the instance URL to show (host only), or {@code null}
     */
    public DigitalTwinsHealthIndicator(DigitalTwinsGateway gateway, String defaultModelId, String endpoint) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.defaultModelId = defaultModelId;
        this.endpointHost = host(endpoint);
    }

    @Override
    public Health health() {
        Health.Builder health = new Health.Builder();
        if (endpointHost != null) {
            health.withDetail("endpoint", endpointHost);
        }
        try {
            if (defaultModelId != null) {
                Optional<ModelInfo> model = gateway.getModel(defaultModelId);
                health.up().withDetail("defaultModel", defaultModelId)
                        .withDetail("defaultModelUploaded", model.isPresent());
            } else {
                gateway.getTwin(PROBE_TWIN_ID);
                health.up();
            }
        } catch (AdtException e) {
            if (e.isThrottled()) {
                health.up().withDetail("throttled", true);
            } else {
                health.down()
                        .withDetail("status", e.statusCode())
                        .withDetail("errorCode", e.errorCode())
                        .withDetail("reason", reason(e.statusCode()));
            }
        } catch (RuntimeException e) {
            health.down().withDetail("error", e.getClass().getSimpleName());
        }
        return health.build();
    }

    private static String reason(int status) {
        return switch (status) {
            case 0 -> "Azure Digital Twins could not be reached";
            case 401 -> "the credential was refused";
            case 403 -> "the identity lacks an Azure Digital Twins data role";
            default -> status >= 500 ? "Azure Digital Twins failed" : "Azure Digital Twins refused the request";
        };
    }

    private static String host(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        try {
            return URI.create(endpoint.trim()).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
