package io.dpstwin.spring.reconcile;

import io.dpstwin.core.reconcile.ReconcileLock;
import io.dpstwin.core.reconcile.ReconcileLockException;
import io.dpstwin.core.reconcile.ReconcileProgress;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.Reconciler;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the application's {@link Reconciler} one run at a time, in this process and, through a {@link ReconcileLock},
 * across replicas: a run asked for while another is in progress (the scheduled one, one through the actuator
 * endpoint, or one on another replica holding the lock) is refused, not queued. Two runs at once would split the
 * hubs' query quota and race on the same twins; one after the other, each sees what the previous one repaired.
 *
 * <p>It keeps the last run's report and shows the progress of the run in progress, so that reading them never
 * starts a run.
 */
public class ReconcileRunner {

    /** Why a run was not started. */
    public enum Refusal {
        /** Another run of this process is in progress. */
        IN_PROGRESS,
        /** Another replica holds the lock. */
        LOCKED_ELSEWHERE,
        /** It could not be told whether the lock is free (e.g. storage unreachable). */
        LOCK_UNAVAILABLE
    }

    /**
     * The answer to a request for a run.
     *
     * @param refusal why it was not started, {@code null} when it was
     * @param detail  for a refusal: who holds the lock, or why it could not be taken; else {@code null}
     * @param report  the run's report once it is over; {@code null} when refused
     */
    public record Attempt(Refusal refusal, String detail, CompletableFuture<ReconcileReport> report) {

        /** Whether the run was started. */
        public boolean started() {
            return refusal == null;
        }

        static Attempt refused(Refusal refusal, String detail) {
            return new Attempt(refusal, detail, null);
        }
    }

    private final Reconciler reconciler;
    private final ReconcileLock lock;
    private final Executor executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile ReconcileReport lastReport;

    /** A runner for a single instance: no lock across replicas, runs started by {@link #submit} on a new thread. */
    public ReconcileRunner(Reconciler reconciler) {
        this(reconciler, ReconcileLock.local(), runnable -> {
            Thread thread = new Thread(runnable, "dpstwin-reconcile-run");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /**
     * @param reconciler the reconciler
     * @param lock       the lock every replica of the application takes before a run
     * @param executor   where {@link #submit(boolean)} runs (a run lasts minutes on large hubs: give it a thread of
     *                   its own or a virtual thread, not a small shared pool)
     */
    public ReconcileRunner(Reconciler reconciler, ReconcileLock lock, Executor executor) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Runs the reconciler in the calling thread ({@link Reconciler#run(boolean)}, which never throws) unless a run is
     * in progress here or elsewhere.
     *
     * @param dryRun {@code true} to only report the drift, {@code false} to repair it
     * @return the attempt; when started, its report is complete
     */
    public Attempt runNow(boolean dryRun) {
        Attempt refused = take();
        if (refused != null) {
            return refused;
        }
        try {
            Optional<ReconcileLock.Held> held = lock.tryAcquire();
            if (held.isEmpty()) {
                return Attempt.refused(Refusal.LOCKED_ELSEWHERE, lock.holder().orElse(null));
            }
            try {
                return new Attempt(null, null, CompletableFuture.completedFuture(run(dryRun)));
            } finally {
                held.get().close();
            }
        } catch (ReconcileLockException e) {
            return Attempt.refused(Refusal.LOCK_UNAVAILABLE, e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /**
     * Starts a run on the runner's executor unless a run is in progress here or elsewhere; the lock is taken before
     * this returns, so a refusal is known at once.
     *
     * @param dryRun {@code true} to only report the drift, {@code false} to repair it
     * @return the attempt; when started, its report completes when the run is over
     */
    public Attempt submit(boolean dryRun) {
        Attempt refused = take();
        if (refused != null) {
            return refused;
        }
        Optional<ReconcileLock.Held> held;
        try {
            held = lock.tryAcquire();
        } catch (ReconcileLockException e) {
            running.set(false);
            return Attempt.refused(Refusal.LOCK_UNAVAILABLE, e.getMessage());
        }
        if (held.isEmpty()) {
            running.set(false);
            return Attempt.refused(Refusal.LOCKED_ELSEWHERE, lock.holder().orElse(null));
        }
        CompletableFuture<ReconcileReport> report = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    report.complete(run(dryRun));
                } catch (RuntimeException e) {
                    report.completeExceptionally(e);
                } finally {
                    held.get().close();
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            held.get().close();
            running.set(false);
            throw e;
        }
        return new Attempt(null, null, report);
    }

    private Attempt take() {
        return running.compareAndSet(false, true) ? null : Attempt.refused(Refusal.IN_PROGRESS, null);
    }

    private ReconcileReport run(boolean dryRun) {
        ReconcileReport report = reconciler.run(dryRun);
        lastReport = report;
        return report;
    }

    /** Whether a run of this process is in progress. */
    public boolean isRunning() {
        return running.get();
    }

    /** The report of the last run of this process that finished; empty before the first. */
    public Optional<ReconcileReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** The progress of the run in progress, else of the last one. */
    public Optional<ReconcileProgress> progress() {
        return reconciler.progress();
    }

    /** The reconciler it runs. */
    public Reconciler reconciler() {
        return reconciler;
    }

    /** The lock it takes. */
    public ReconcileLock lock() {
        return lock;
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

    /** One line for logs: why an attempt was refused. */
    public static String describe(Attempt attempt) {
        if (attempt.started()) {
            return "started";
        }
        return switch (attempt.refusal()) {
            case IN_PROGRESS -> "another run of this instance is still in progress";
            case LOCKED_ELSEWHERE -> "another instance holds the reconcile lock"
                    + (attempt.detail() == null ? "" : " (" + attempt.detail() + ")");
            case LOCK_UNAVAILABLE -> "the reconcile lock could not be taken: " + attempt.detail();
        };
    }
}
