package io.dpstwin.functions;

import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.support.Redaction;

/**
 * Thrown by {@link ReconcileTimerHandler} when a reconcile run ended {@code failed}: a hub or ADT could not be listed
 * after retries, so nothing was compared and nothing was changed. Failing the invocation makes the Functions runtime
 * record it as failed (and alert on it); the timer does not retry it, the next tick runs again. The message holds the
 * run id and the report's error, never a credential.
 */
public final class ReconcileRunFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ReconcileReport report;

    ReconcileRunFailedException(ReconcileReport report) {
        super("reconcile run " + report.runId() + " failed, nothing was compared or changed: "
                + Redaction.redactText(report.error()));
        this.report = report;
    }

    /** The failed run's report. */
    public ReconcileReport report() {
        return report;
    }
}
