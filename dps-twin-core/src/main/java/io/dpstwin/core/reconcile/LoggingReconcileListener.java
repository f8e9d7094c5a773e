package io.dpstwin.core.reconcile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.dpstwin.core.support.Checks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** {@link ReconcileListener#logging(Duration, Clock)}: one INFO line per interval at most, per run. */
final class LoggingReconcileListener implements ReconcileListener {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class.getName() + ".progress");

    private final Duration interval;
    private final Clock clock;
    private final Object lock = new Object();
    private String runId;
    private Instant nextLine;
    private ReconcileProgress.Phase phase;

    LoggingReconcileListener(Duration interval, Clock clock) {
        this.interval = Checks.positive(interval, "the progress log interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void onProgress(ReconcileProgress progress) {
        Instant now = clock.instant();
        synchronized (lock) {
            if (!progress.runId().equals(runId)) {
                // A new run: its first line is due one interval after it started; short runs log nothing here.
                runId = progress.runId();
                nextLine = progress.startedAt().plus(interval);
                phase = progress.phase();
            }
            boolean phaseChanged = progress.phase() != phase;
            phase = progress.phase();
            if (progress.phase() == ReconcileProgress.Phase.DONE || now.isBefore(nextLine) && !phaseChanged
                    || now.isBefore(progress.startedAt().plus(interval))) {
                return;
            }
            nextLine = now.plus(interval);
        }
        LOG.info("Reconcile progress: {}", progress.summary());
    }
}
