package io.dpstwin.spring.reconcile;

import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs the reconciler on a cron schedule ({@code dps-twin.reconcile.schedule.cron}), as a dry run unless
 * {@code dps-twin.reconcile.apply=true}, and logs each run's summary (the report's JSON at DEBUG).
 *
 * <p>It owns one scheduler thread of its own: the application needs no {@code @EnableScheduling}, and a long run
 * (listing a large hub is paced to IoT Hub's query quota and can take minutes) never delays the application's own
 * scheduled tasks. Runs never overlap: one thread, and a run due while another one (e.g. through the actuator
 * endpoint, or on another replica holding the reconcile lock) is in progress is skipped, with a log line that says
 * why. The schedule starts with the application context and stops with it; a run in
 * progress is interrupted then, which the reconciler handles (no half-listed comparison is ever applied).
 */
public class ScheduledReconcile implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledReconcile.class);
    private static final int STOP_TIMEOUT_SECONDS = 30;

    private final ReconcileRunner runner;
    private final String cron;
    private final ZoneId zone;
    private final boolean apply;
    private final CronTrigger trigger;
    private final Object monitor = new Object();
    private ThreadPoolTaskScheduler scheduler;
    private ScheduledFuture<?> scheduled;

    /**
     * @param runner the runner shared with the actuator endpoint
     * @param cron   a Spring cron expression (six fields, seconds first)
     * @param zone   the zone of the cron expression
     * @param apply  whether runs repair the drift ({@code false}: dry runs)
     * @throws IllegalArgumentException when {@code cron} is not a valid cron expression
     */
    public ScheduledReconcile(ReconcileRunner runner, String cron, ZoneId zone, boolean apply) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.cron = Objects.requireNonNull(cron, "cron").trim();
        this.zone = Objects.requireNonNull(zone, "zone");
        this.apply = apply;
        this.trigger = new CronTrigger(this.cron, zone);
    }

    @Override
    public void start() {
        synchronized (monitor) {
            if (scheduler != null) {
                return;
            }
            ThreadPoolTaskScheduler pool = new ThreadPoolTaskScheduler();
            pool.setPoolSize(1);
            pool.setThreadNamePrefix("dpstwin-reconcile-");
            pool.setDaemon(true);
            pool.setRemoveOnCancelPolicy(true);
            pool.setWaitForTasksToCompleteOnShutdown(false);
            pool.setAwaitTerminationSeconds(STOP_TIMEOUT_SECONDS);
            pool.initialize();
            scheduled = pool.schedule(this::runOnce, trigger);
            scheduler = pool;
        }
        LOG.info("dps-twin reconcile scheduled: cron '{}' in {}, {}; next run at {}", cron, zone,
                apply ? "repairing drift (dps-twin.reconcile.apply=true)" : "dry runs that only report drift",
                nextRun().map(Instant::toString).orElse("never"));
    }

    @Override
    public void stop() {
        synchronized (monitor) {
            if (scheduler == null) {
                return;
            }
            if (runner.isRunning()) {
                LOG.info("Stopping the scheduled dps-twin reconcile: interrupting the run in progress");
            }
            scheduled.cancel(true);
            scheduler.shutdown();
            scheduler = null;
            scheduled = null;
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (monitor) {
            return scheduler != null;
        }
    }

    /**
     * One scheduled run, as the scheduler calls it: runs the reconciler unless a run is in progress, and logs the
     * outcome. Never throws.
     *
     * @return the run's report, or empty when the run was skipped
     */
    public Optional<ReconcileReport> runOnce() {
        String mode = apply ? "apply" : "dry run";
        try {
            ReconcileRunner.Attempt attempt = runner.runNow(!apply);
            if (!attempt.started()) {
                if (attempt.refusal() == ReconcileRunner.Refusal.LOCK_UNAVAILABLE) {
                    LOG.warn("Scheduled dps-twin reconcile ({}) skipped: {}", mode, ReconcileRunner.describe(attempt));
                } else {
                    LOG.info("Scheduled dps-twin reconcile ({}) skipped: {}", mode, ReconcileRunner.describe(attempt));
                }
                return Optional.empty();
            }
            ReconcileReport done = attempt.report().join();
            if (done.status() == ReconcileStatus.OK) {
                LOG.info("Scheduled dps-twin reconcile ({}) {}", mode, ReconcileRunner.summary(done));
            } else {
                LOG.warn("Scheduled dps-twin reconcile ({}) {}", mode, ReconcileRunner.summary(done));
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("Scheduled dps-twin reconcile report: {}", done.toJson());
            }
            return Optional.of(done);
        } catch (RuntimeException e) {
            LOG.error("Scheduled dps-twin reconcile ({}) failed unexpectedly", mode, e);
            return Optional.empty();
        }
    }

    /** When the next run is due, from now. */
    public Optional<Instant> nextRun() {
        ZonedDateTime next = CronExpression.parse(cron).next(ZonedDateTime.now(zone));
        return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
    }

    /** The cron expression. */
    public String cron() {
        return cron;
    }

    /** The zone of the cron expression. */
    public ZoneId zone() {
        return zone;
    }

    /** Whether runs repair the drift they find. */
    public boolean applies() {
        return apply;
    }
}
