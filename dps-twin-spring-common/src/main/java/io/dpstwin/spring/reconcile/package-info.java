/**
 * The reconciler in a Spring application: {@link io.dpstwin.spring.reconcile.ReconcileRunner} (one run at a time),
 * {@link io.dpstwin.spring.reconcile.ScheduledReconcile} (runs on {@code dps-twin.reconcile.schedule.cron}) and
 * {@link io.dpstwin.spring.reconcile.ReconcileEndpoint} (the actuator endpoint {@code dpstwinreconcile}: a dry run
 * on demand, and a repairing run when allowed).
 */
package io.dpstwin.spring.reconcile;
