package io.dpstwin.spring.reconcile;

import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.Reconciler;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the application's {@link Reconciler} one run at a time: a run asked for while another is in progress (the
 * scheduled one, or one through the actuator endpoint) is not started. Two runs at once would split the hubs' query
 * budget and race on the same twins; one after the other, each sees what the previous one repaired.
 *
 * <p>This holds within one process only. Several instances of the application each pace themselves, so schedule
 * the reconciler in one instance (see {@code docs/spring-boot.md}).
 */
public class ReconcileRunner {

    private final Reconciler reconciler;
    private final AtomicBoolean running = new AtomicBoolean();

    public ReconcileRunner(Reconciler reconciler) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    /**
     * Runs the reconciler ({@link Reconciler#run(boolean)}, which never throws) unless a run is in progress.
     *
     * @param dryRun {@code true} to only report the drift, {@code false} to repair it
     * @return the run's report, or empty when another run was in progress and this one was not started
     */
    public Optional<ReconcileReport> runIfIdle(boolean dryRun) {
        if (!running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            return Optional.of(reconciler.run(dryRun));
        } finally {
            running.set(false);
        }
    }

    /** Whether a run is in progress. */
    public boolean isRunning() {
        return running.get();
    }

    /** The reconciler it runs. */
    public Reconciler reconciler() {
        return reconciler;
    }

    /** One line for logs: the status and the counts of {@code report} (ids and errors are in its JSON). */
    public static String summary(ReconcileReport report) {
        ReconcileReport.Counts counts = report.counts();
        String line = report.status().wire() + ": " + counts.devices() + " devices, " + counts.twins() + " twins, "
                + counts.orphans() + " orphaned twins, " + counts.missing() + " missing twins, "
                + counts.unresolved() + " unresolved, " + counts.skippedRecent() + " skipped as recent, "
                + counts.planned() + " planned, " + counts.applied() + " applied, " + counts.failed() + " failed"
                + " (run " + report.runId() + ", " + report.durationMillis() + " ms)";
        return report.error() == null ? line : line + "; " + report.error();
    }
}
