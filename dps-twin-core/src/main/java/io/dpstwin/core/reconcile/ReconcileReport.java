package io.dpstwin.core.reconcile;

import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one reconciler run found and did, ready to be serialised as JSON ({@link #toJson()}, or any Jackson
 * {@code ObjectMapper}). Item lists hold at most {@link ReconcileOptions#reportItemLimit()} entries each
 * ({@link #truncated()} tells whether any list was cut); {@link #counts()} are always complete. Times are ISO-8601
 * strings. Never contains credentials.
 *
 * @param runId          identifies the run (also in logs and retirement requests)
 * @param dryRun         whether the run only planned
 * @param status         {@code ok}, {@code partial} or {@code failed}
 * @param startedAt      when the run started
 * @param finishedAt     when it finished
 * @param durationMillis how long it took
 * @param hubs           the hubs compared
 * @param deviceModels   the device models whose twins were compared
 * @param gracePeriodSeconds changes younger than this were left alone
 * @param counts         complete counts
 * @param orphans        twins without a device
 * @param missing        devices without a twin
 * @param unresolved     devices without a twin that cannot get one
 * @param skippedRecent  drift left alone within the grace window
 * @param planned        the actions planned
 * @param applied        actions carried out (any outcome but {@code failed}); empty in a dry run
 * @param failures       actions that failed; empty in a dry run
 * @param warnings       things an operator should know
 * @param truncated      whether any item list was cut to the limit
 * @param error          why a {@code failed} run could not compare, else {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"runId", "dryRun", "status", "startedAt", "finishedAt", "durationMillis", "hubs", "deviceModels",
        "gracePeriodSeconds", "counts", "orphans", "missing", "unresolved", "skippedRecent", "planned", "applied",
        "failures", "warnings", "truncated", "error"})
public record ReconcileReport(String runId, boolean dryRun, ReconcileStatus status, String startedAt,
                              String finishedAt, long durationMillis, List<String> hubs, List<String> deviceModels,
                              long gracePeriodSeconds, Counts counts, List<OrphanTwin> orphans,
                              List<MissingTwin> missing, List<UnresolvedDevice> unresolved,
                              List<SkippedItem> skippedRecent, List<ReconcileAction> planned,
                              List<ActionResult> applied, List<ActionResult> failures, List<String> warnings,
                              boolean truncated, String error) {

    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * Complete counts of a run.
     *
     * @param devices            devices listed in all hubs
     * @param twins              twins of the device models listed in ADT
     * @param twinsOfOtherModels devices whose twin has a model outside the device models
     * @param orphans            twins without a device (outside the grace window)
     * @param missing            devices without a twin (outside the grace window, with a model)
     * @param unresolved         devices without a twin that cannot get one
     * @param skippedRecent      drift left alone within the grace window
     * @param planned            actions planned
     * @param applied            actions carried out with any outcome but {@code failed}
     * @param failed             actions that failed
     * @param outcomes           actions carried out, by outcome
     */
    @JsonPropertyOrder({"devices", "twins", "twinsOfOtherModels", "orphans", "missing", "unresolved", "skippedRecent",
            "planned", "applied", "failed", "outcomes"})
    public record Counts(int devices, int twins, int twinsOfOtherModels, int orphans, int missing, int unresolved,
                         int skippedRecent, int planned, int applied, int failed, Map<String, Integer> outcomes) {

        public Counts {
            outcomes = outcomes == null ? Map.of() : Map.copyOf(new TreeMap<>(outcomes));
        }
    }

    public ReconcileReport {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        hubs = List.copyOf(hubs);
        deviceModels = List.copyOf(deviceModels);
        orphans = List.copyOf(orphans);
        missing = List.copyOf(missing);
        unresolved = List.copyOf(unresolved);
        skippedRecent = List.copyOf(skippedRecent);
        planned = List.copyOf(planned);
        applied = List.copyOf(applied);
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }

    /** The report of a plan (dry run) or of a plan and what applying it did. */
    static ReconcileReport of(ReconcilePlan plan, List<ActionResult> results, boolean dryRun, Instant finishedAt,
                              Duration gracePeriod, int itemLimit) {
        List<ActionResult> applied = new ArrayList<>();
        List<ActionResult> failures = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (ActionResult result : results) {
            (result.failed() ? failures : applied).add(result);
            outcomes.merge(result.outcome().wire(), 1, Integer::sum);
        }
        Counts counts = new Counts(plan.devicesListed(), plan.twinsListed(), plan.twinsOfOtherModels(),
                plan.orphans().size(), plan.missing().size(), plan.unresolved().size(), plan.skippedRecent().size(),
                plan.actions().size(), applied.size(), failures.size(), outcomes);
        ReconcileStatus status = !failures.isEmpty() || plan.retirementsWithheld()
                ? ReconcileStatus.PARTIAL : ReconcileStatus.OK;
        boolean truncated = plan.orphans().size() > itemLimit || plan.missing().size() > itemLimit
                || plan.unresolved().size() > itemLimit || plan.skippedRecent().size() > itemLimit
                || plan.actions().size() > itemLimit || applied.size() > itemLimit || failures.size() > itemLimit;
        return new ReconcileReport(plan.runId(), dryRun, status, plan.startedAt().toString(), finishedAt.toString(),
                Math.max(0, Duration.between(plan.startedAt(), finishedAt).toMillis()), plan.hubs(),
                plan.deviceModels(), gracePeriod.toSeconds(), counts, cut(plan.orphans(), itemLimit),
                cut(plan.missing(), itemLimit), cut(plan.unresolved(), itemLimit),
                cut(plan.skippedRecent(), itemLimit), cut(plan.actions(), itemLimit), cut(applied, itemLimit),
                cut(failures, itemLimit), plan.warnings(), truncated, null);
    }

    /** The report of a run that could not compare. */
    static ReconcileReport failed(String runId, boolean dryRun, Instant startedAt, Instant finishedAt,
                                  List<String> hubs, List<String> deviceModels, Duration gracePeriod, String error) {
        return new ReconcileReport(runId, dryRun, ReconcileStatus.FAILED, startedAt.toString(), finishedAt.toString(),
                Math.max(0, Duration.between(startedAt, finishedAt).toMillis()), hubs, deviceModels,
                gracePeriod.toSeconds(), new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of()), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false, error);
    }

    private static <T> List<T> cut(List<T> items, int limit) {
        return items.size() <= limit ? items : items.subList(0, limit);
    }

    /** This report as compact JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reconcile report could not be written as JSON", e);
        }
    }
}
