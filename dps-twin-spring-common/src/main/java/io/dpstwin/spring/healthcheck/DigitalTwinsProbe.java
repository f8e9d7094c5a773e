package io.dpstwin.spring.healthcheck;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.ModelInfo;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether Azure Digital Twins is reachable with the application's credential, from one cheap read: the default
 * model ({@code GET /models/{id}}) when one is configured, else a twin that does not exist
 * ({@code GET /digitaltwins/{probe}}, answered 404). UP when ADT answers (throttling included: ADT is there); DOWN on
 * 401/403 (credential or role assignment), 5xx and transport failures. Details carry the endpoint's host, ADT's
 * status and error code, never a message, header or token. Each starter turns the {@link Result} into its Boot line's
 * health type.
 */
public final class DigitalTwinsProbe {

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
    public DigitalTwinsProbe(DigitalTwinsGateway gateway, String defaultModelId, String endpoint) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.defaultModelId = defaultModelId;
        this.endpointHost = host(endpoint);
    }

    /**
     * The outcome of one probe.
     *
     * @param up      whether ADT answered (throttling counts as an answer)
     * @param details what the health endpoint shows, in order
     */
    public record Result(boolean up, Map<String, Object> details) {

        /** Copies the details. */
        public Result {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    /** Reads ADT once. */
    public Result probe() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (endpointHost != null) {
            details.put("endpoint", endpointHost);
        }
        try {
            if (defaultModelId != null) {
                Optional<ModelInfo> model = gateway.getModel(defaultModelId);
                details.put("defaultModel", defaultModelId);
                details.put("defaultModelUploaded", model.isPresent());
            } else {
                gateway.getTwin(PROBE_TWIN_ID);
            }
            return new Result(true, details);
        } catch (AdtException e) {
            if (e.isThrottled()) {
                details.put("throttled", true);
                return new Result(true, details);
            }
            details.put("status", e.statusCode());
            details.put("errorCode", e.errorCode());
            details.put("reason", reason(e.statusCode()));
            return new Result(false, details);
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getSimpleName());
            return new Result(false, details);
        }
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
