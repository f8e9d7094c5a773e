package io.dpstwin.core.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a reconcile run is now: what it has listed so far, how many actions it planned and how many are done.
 * An immutable snapshot; {@link Reconciler#progress()} gives the current one and a {@link ReconcileListener} sees
 * each change.
 *
 * @param runId          the run's id (the id its {@link ReconcileReport} will carry)
 * @param dryRun         whether the run only plans
 * @param phase          what the run is doing
 * @param startedAt      when the run started
 * @param elapsedMillis  time since it started
 * @param devicesListed  devices listed so far, over every hub
 * @param twinsListed    twins of the device models listed so far
 * @param actionsPlanned actions planned ({@code 0} until the comparison is done)
 * @param actionsDone    actions carried out so far, whatever their outcome
 */
public record ReconcileProgress(String runId, boolean dryRun, Phase phase, Instant startedAt, long elapsedMillis,
                                long devicesListed, long twinsListed, long actionsPlanned, long actionsDone) {

    /** The stages of a run, in order. */
    public enum Phase {
        /** Listing the devices of every hub and the twins of the device models. */
        LISTING,
        /** Comparing, and checking whether twins missing from the listing exist with another model. */
        COMPARING,
        /** Carrying out the planned actions (never in a dry run). */
        APPLYING,
        /** Finished; the report is out. */
        DONE;

        /** The phase as JSON and logs name it: {@code listing}, {@code comparing}, {@code applying}, {@code done}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReconcileProgress {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * The pace of the current phase: items listed per second while listing, actions done per second while
     * applying, {@code 0} before the first second has passed.
     */
    public double itemsPerSecond() {
        if (elapsedMillis < 1000) {
            return 0;
        }
        long items = phase == Phase.APPLYING || phase == Phase.DONE && actionsDone > 0
                ? actionsDone : devicesListed + twinsListed;
        return Math.round(items * 10_000.0 / elapsedMillis) / 10.0;
    }

    /** How long the run has been going. */
    public Duration elapsed() {
        return Duration.ofMillis(elapsedMillis);
    }

    /**
     * The snapshot as JSON-ready values, in a stable order ({@code startedAt} as an ISO-8601 string, {@code phase} as
     * its {@link Phase#wire()} name), for an endpoint or a log.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("runId", runId);
        map.put("dryRun", dryRun);
        map.put("phase", phase.wire());
        map.put("startedAt", startedAt.toString());
        map.put("elapsedMillis", elapsedMillis);
        map.put("devicesListed", devicesListed);
        map.put("twinsListed", twinsListed);
        map.put("actionsPlanned", actionsPlanned);
        map.put("actionsDone", actionsDone);
        map.put("itemsPerSecond", itemsPerSecond());
        return map;
    }

    /** One line for logs. */
    public String summary() {
        String line = "run " + runId + (dryRun ? " (dry run) " : " (apply) ") + phase.wire() + " after "
                + elapsedMillis / 1000 + " s: " + devicesListed + " devices and " + twinsListed + " twins listed";
        if (phase == Phase.APPLYING || actionsPlanned > 0) {
            line += ", " + actionsDone + " of " + actionsPlanned + " actions done";
        }
        return line + String.format(Locale.ROOT, ", %.1f items/s", itemsPerSecond());
    }
}
