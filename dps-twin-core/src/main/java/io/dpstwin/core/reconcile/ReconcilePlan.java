package io.dpstwin.core.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The drift one comparison found and the actions that repair it; immutable. {@link Reconciler#plan()} makes it and
 * changes nothing; {@link Reconciler#apply(ReconcilePlan)} carries out {@link #actions()}.
 *
 * @param runId              identifies the run in logs, reports and retirement requests
 * @param startedAt          when listing began
 * @param plannedAt          when the comparison finished (the grace window is measured from here)
 * @param hubs               the hubs listed
 * @param deviceModels       the models whose twins were listed
 * @param devicesListed      devices found in all hubs
 * @param twinsListed        twins of the device models found in ADT
 * @param twinsOfOtherModels devices whose twin exists with a model outside the device models (not missing)
 * @param orphans            twins without a device, older than the grace window
 * @param missing            devices without a twin, older than the grace window, with a model
 * @param unresolved         devices without a twin that cannot get one (no model, bad ids)
 * @param skippedRecent      drift left alone because it changed within the grace window
 * @param actions            what {@code apply} would do: retire every orphan (unless withheld) and create every
 *                           missing twin
 * @param warnings           things an operator should know, e.g. withheld retirements
 * @param retirementsWithheld whether the safety limits withheld the retirements
 */
public record ReconcilePlan(String runId, Instant startedAt, Instant plannedAt, List<String> hubs,
                            List<String> deviceModels, int devicesListed, int twinsListed, int twinsOfOtherModels,
                            List<OrphanTwin> orphans, List<MissingTwin> missing, List<UnresolvedDevice> unresolved,
                            List<SkippedItem> skippedRecent, List<ReconcileAction> actions, List<String> warnings,
                            boolean retirementsWithheld) {

    public ReconcilePlan {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(plannedAt, "plannedAt");
        hubs = List.copyOf(hubs);
        deviceModels = List.copyOf(deviceModels);
        orphans = List.copyOf(orphans);
        missing = List.copyOf(missing);
        unresolved = List.copyOf(unresolved);
        skippedRecent = List.copyOf(skippedRecent);
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
