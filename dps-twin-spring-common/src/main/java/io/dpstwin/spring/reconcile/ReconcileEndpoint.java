package io.dpstwin.spring.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.WebhookErrorCodes;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.reconcile.ReconcileProgress;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.support.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.lang.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The actuator endpoint {@code dpstwinreconcile}, over HTTP only ({@code /actuator/dpstwinreconcile} once exposed
 * with {@code management.endpoints.web.exposure.include}). A run lists every hub at the pace of its query quota, so
 * it can last minutes: the endpoint starts runs and shows them, and reading it never starts one.
 * <ul>
 *   <li>{@code GET}: 200 with {@code running}, the {@code progress} of the run in progress (else of the last run)
 *       and the {@code lastReport} of this instance; cheap, whatever runs;</li>
 *   <li>{@code POST} (optional JSON body {@code {"apply": true}}): starts a run in the background and answers 202
 *       with where to look; a dry run unless {@code apply} is {@code true}, which needs
 *       {@code dps-twin.reconcile.endpoint.allow-apply=true} (otherwise 403 {@code ApplyNotAllowed} and nothing
 *       runs). While another run is in progress it answers 409 {@code ReconcileInProgress}, or 409
 *       {@code ReconcileLocked} when another replica holds the reconcile lock; 503 {@code ReconcileLockUnavailable}
 *       when the lock's storage cannot be reached.</li>
 * </ul>
 * Reports hold hub names, twin and device ids, model ids and error messages, never a credential.
 */
@WebEndpoint(id = ReconcileEndpoint.ID)
public class ReconcileEndpoint {

    /** The endpoint id (also its path under the actuator base path). */
    public static final String ID = "dpstwinreconcile";

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileEndpoint.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int STATUS_ACCEPTED = 202;
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

    /** Whether a run is in progress, its progress, and the last report. Starts nothing. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("running", runner.isRunning());
        body.put("applyAllowed", allowApply);
        body.put("progress", runner.progress().map(ReconcileProgress::toMap).orElse(null));
        body.put("lastReport", runner.lastReport().map(ReconcileEndpoint::asMap).orElse(null));
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
    }

    /**
     * Starts a run: a dry run, or with {@code apply=true} (when allowed) one that repairs the drift it finds.
     *
     * @param apply whether the run repairs; absent means a dry run
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> start(@Nullable Boolean apply) {
        boolean repair = Boolean.TRUE.equals(apply);
        if (repair && !allowApply) {
            LOG.warn("Refused a repairing reconcile run through the actuator endpoint "
                    + "(dps-twin.reconcile.endpoint.allow-apply is off)");
            return error(STATUS_FORBIDDEN, WebhookErrorCodes.APPLY_NOT_ALLOWED, "repairing through this endpoint is off: set "
                    + "dps-twin.reconcile.endpoint.allow-apply=true to allow it; POST without apply starts a dry run");
        }
        ReconcileRunner.Attempt attempt = runner.submit(!repair);
        if (!attempt.started()) {
            return switch (attempt.refusal()) {
                case IN_PROGRESS -> error(STATUS_CONFLICT, WebhookErrorCodes.RECONCILE_IN_PROGRESS,
                        "a reconcile run is in progress; GET this endpoint to follow it");
                case LOCKED_ELSEWHERE -> error(STATUS_CONFLICT, WebhookErrorCodes.RECONCILE_LOCKED,
                        "another instance is running the reconciler" + (attempt.detail() == null ? ""
                                : " (" + attempt.detail() + ")") + "; try again when it has finished");
                case LOCK_UNAVAILABLE -> error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE,
                        WebhookErrorCodes.RECONCILE_LOCK_UNAVAILABLE,
                        "the reconcile lock could not be taken: " + attempt.detail());
            };
        }
        attempt.report().thenAccept(report -> LOG.info("Reconcile {} through the actuator endpoint {}",
                repair ? "run" : "dry run", ReconcileRunner.summary(report)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("started", true);
        body.put("dryRun", !repair);
        body.put("location", "/actuator/" + ID);
        body.put("message", "the run goes on in the background; GET the location for its progress and report");
        return new WebEndpointResponse<>(body, STATUS_ACCEPTED);
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
