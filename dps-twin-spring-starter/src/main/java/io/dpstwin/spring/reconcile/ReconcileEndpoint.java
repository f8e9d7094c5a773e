package io.dpstwin.spring.reconcile;

import io.dpstwin.core.support.Json;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.WebhookErrorCodes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The actuator endpoint {@code dpstwinreconcile}, over HTTP only ({@code /actuator/dpstwinreconcile} once exposed
 * with {@code management.endpoints.web.exposure.include}):
 * <ul>
 *   <li>{@code GET}: a dry run now; 200 with the {@link ReconcileReport} as JSON, 503 with the report when the run
 *       could not compare (status {@code failed});</li>
 *   <li>{@code POST}: a run that repairs, only with {@code dps-twin.reconcile.endpoint.allow-apply=true};
 *       otherwise 403 {@code ApplyNotAllowed} and nothing runs;</li>
 *   <li>either answers 409 {@code ReconcileInProgress} while another run (e.g. the scheduled one) is in progress.</li>
 * </ul>
 * The report holds hub names, twin and device ids, model ids and error messages, never a credential. Each call lists
 * every hub (paced to the query quota), so it can take a while on large hubs.
 */
@WebEndpoint(id = ReconcileEndpoint.ID)
public class ReconcileEndpoint {

    /** The endpoint id (also its path under the actuator base path). */
    public static final String ID = "dpstwinreconcile";

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileEndpoint.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int STATUS_FORBIDDEN = 403;
    private static final int STATUS_CONFLICT = 409;

    private final ReconcileRunner runner;
    private final boolean allowApply;

    /**
     * @param runner     the runner shared with the scheduled run
     * @param allowApply whether {@code POST} may repair drift
     */
    public ReconcileEndpoint(ReconcileRunner runner, boolean allowApply) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.allowApply = allowApply;
    }

    /** A dry run: what the reconciler would repair now. Changes nothing. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> dryRun() {
        return run(true);
    }

    /** A run that repairs the drift it finds, when {@code dps-twin.reconcile.endpoint.allow-apply=true}. */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> apply() {
        if (!allowApply) {
            LOG.warn("Refused a repairing reconcile run through the actuator endpoint "
                    + "(dps-twin.reconcile.endpoint.allow-apply is off)");
            return error(STATUS_FORBIDDEN, WebhookErrorCodes.APPLY_NOT_ALLOWED, "repairing through this endpoint is off: set "
                    + "dps-twin.reconcile.endpoint.allow-apply=true to allow it; GET runs a dry run");
        }
        return run(false);
    }

    private WebEndpointResponse<Map<String, Object>> run(boolean dryRun) {
        Optional<ReconcileReport> report = runner.runIfIdle(dryRun);
        if (report.isEmpty()) {
            return error(STATUS_CONFLICT, WebhookErrorCodes.RECONCILE_IN_PROGRESS,
                    "another reconcile run is in progress; try again when it has finished");
        }
        ReconcileReport done = report.get();
        LOG.info("Reconcile {} through the actuator endpoint {}", dryRun ? "dry run" : "run",
                ReconcileRunner.summary(done));
        int status = done.status() == ReconcileStatus.FAILED
                ? WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE : WebEndpointResponse.STATUS_OK;
        return new WebEndpointResponse<>(asMap(done), status);
    }

    /** The report exactly as {@link ReconcileReport#toJson()} writes it, whichever JSON library the actuator uses. */
    private static Map<String, Object> asMap(ReconcileReport report) {
        return asMap(report.toJson());
    }

    private static Map<String, Object> asMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the answer could not be read back", e);
        }
    }

    /** Core's error answer ({@link WebhookResponse#error}) as the actuator's body. */
    private static WebEndpointResponse<Map<String, Object>> error(int status, String code, String message) {
        return new WebEndpointResponse<>(asMap(WebhookResponse.error(status, code, message).body()), status);
    }
}
