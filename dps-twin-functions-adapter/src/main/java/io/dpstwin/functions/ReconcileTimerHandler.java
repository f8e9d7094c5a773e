package io.dpstwin.functions;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.support.Text;
import io.dpstwin.core.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.reconcile.ReconcileLock;
import io.dpstwin.core.reconcile.ReconcileProgress;
import io.dpstwin.core.reconcile.ReconcileReport;
import io.dpstwin.core.reconcile.ReconcileStatus;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.support.Redaction;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The reconciler on a timer trigger: one {@link Reconciler#run(boolean)} per tick, a dry run unless
 * {@code DPSTWIN_RECONCILE_APPLY=true}, its report written to the invocation's log.
 *
 * <pre>{@code
 * @FunctionName("DpsTwinReconcileFunc")
 * public void run(@TimerTrigger(name = "timer", schedule = "%DPSTWIN_RECONCILE_SCHEDULE_CRON%") String timerInfo,
 *                 ExecutionContext context) {
 *     DpsTwinFunctions.reconcile().handle(timerInfo, context);
 * }
 * }</pre>
 *
 * <p>Per run it logs one summary line (mode, status, counts; INFO when {@code ok}, WARNING when {@code partial},
 * SEVERE when {@code failed}), a progress line every {@link #PROGRESS_LOG_INTERVAL} while a long run lasts, and one line
 * with the report as JSON, its item lists cut so that the line stays under
 * {@value #MAX_REPORT_CHARS} characters (the counts stay complete). The report holds ids, model ids, hub names and
 * error messages, never credentials; the line is redacted once more anyway.
 *
 * <p>The reconciler is optional: when the app has none (no {@code DPSTWIN_RECONCILE_HUBHOSTNAMES} or
 * {@code DPSTWIN_RECONCILE_CONNECTIONSTRINGS}), the handler logs a warning naming those settings and returns, so the
 * timer does not fail on every tick. It throws only when dps-twin cannot be built (a settings error) or when the run
 * ended {@code failed} (nothing was compared, nothing changed), so that the Functions runtime records a failed
 * invocation. The timer trigger does not retry a failed invocation; the next tick is the retry. Thread-safe.
 */
public final class ReconcileTimerHandler {

    /** The longest report line written to the invocation's log. */
    public static final int MAX_REPORT_CHARS = 30_000;

    static final String SOURCE = "Reconcile timer";
    private static final ObjectMapper JSON = Json.MAPPER;

    /** How often a long run's progress is written to the invocation's log. */
    public static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(30);

    private final Supplier<DpsTwin> dpsTwin;
    private final BooleanSupplier apply;
    private final ReconcileLock lock;
    private final Duration progressInterval;

    /**
     * A handler whose mode follows the holder's factory ({@code DPSTWIN_RECONCILE_APPLY} for the app settings).
     *
     * @param dpsTwin the process's instance
     */
    public ReconcileTimerHandler(LazyDpsTwin dpsTwin) {
        this(dpsTwin, dpsTwin::applyReconcile);
    }

    /**
     * @param dpsTwin the process's instance, e.g. a {@link LazyDpsTwin}
     * @param apply   asked on every run: {@code true} repairs the drift found, {@code false} only reports it
     */
    public ReconcileTimerHandler(Supplier<DpsTwin> dpsTwin, BooleanSupplier apply) {
        this(dpsTwin, apply, null, PROGRESS_LOG_INTERVAL);
    }

    /**
     * @param dpsTwin          the process's instance, e.g. a {@link LazyDpsTwin}
     * @param apply            asked on every run: {@code true} repairs the drift found, {@code false} only reports it
     * @param lock             taken before each run, or {@code null} for none: a timer trigger already runs on one
     *                         instance of the app at a time (the Functions host holds a singleton lock for it), so a
     *                         lock is only needed when something else (e.g. a Spring replica) reconciles the same hubs
     * @param progressInterval how often a long run's progress goes to the invocation's log
     */
    public ReconcileTimerHandler(Supplier<DpsTwin> dpsTwin, BooleanSupplier apply, ReconcileLock lock,
                                 Duration progressInterval) {
        this.dpsTwin = Objects.requireNonNull(dpsTwin, "dpsTwin");
        this.apply = Objects.requireNonNull(apply, "apply");
        this.lock = lock;
        this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("the progress log interval must be positive");
        }
    }

    /**
     * Runs the reconciler once.
     *
     * @param timerInfo the timer trigger's JSON ({@code IsPastDue}, {@code ScheduleStatus}); may be {@code null}
     * @param context   the invocation's context, for its logger ({@code null} logs to SLF4J)
     * @return the run's report, or empty when the app has no reconciler
     * @throws ReconcileRunFailedException when the run could not compare (status {@code failed})
     * @throws RuntimeException            when dps-twin cannot be built, e.g. a {@link FunctionsSettingsException}
     */
    public Optional<ReconcileReport> handle(String timerInfo, ExecutionContext context) {
        DpsTwin ready;
        boolean repair;
        try {
            ready = dpsTwin.get();
            repair = apply.getAsBoolean();
        } catch (RuntimeException e) {
            InvocationLog.severe(context, SOURCE + ": no run, dps-twin is not available: " + InvocationLog.describe(e));
            throw e;
        }
        Optional<Reconciler> reconciler = ready.reconciler();
        if (reconciler.isEmpty()) {
            InvocationLog.warning(context, SOURCE + ": no run, the reconciler is not configured: set "
                    + DpsTwinSettings.RECONCILE_HOSTS.environmentName() + " (IoT hub host names, with the app's "
                    + "credential) or " + DpsTwinSettings.RECONCILE_CONNECTION_STRINGS.environmentName() + ", and "
                    + DpsTwinSettings.RECONCILE_DEVICE_MODELS.environmentName()
                    + "; or disable this function");
            return Optional.empty();
        }
        Optional<ReconcileLock.Held> held = Optional.empty();
        if (lock != null) {
            try {
                held = lock.tryAcquire();
            } catch (RuntimeException e) {
                InvocationLog.warning(context, SOURCE + ": no run, the reconcile lock could not be taken: "
                        + InvocationLog.describe(e));
                return Optional.empty();
            }
            if (held.isEmpty()) {
                InvocationLog.info(context, SOURCE + ": no run, another instance holds the reconcile lock"
                        + lock.holder().map(holder -> " (" + holder + ")").orElse(""));
                return Optional.empty();
            }
        }
        ReconcileReport report;
        try {
            report = runLoggingProgress(reconciler.get(), !repair, context);
        } finally {
            held.ifPresent(ReconcileLock.Held::close);
        }
        String summary = summary(report, pastDue(timerInfo));
        String json = "Reconcile report " + report.runId() + ": " + boundedJson(report);
        switch (report.status()) {
            case OK -> {
                InvocationLog.info(context, summary);
                InvocationLog.info(context, json);
            }
            case PARTIAL -> {
                InvocationLog.warning(context, summary);
                InvocationLog.warning(context, json);
            }
            case FAILED -> {
                InvocationLog.severe(context, summary);
                InvocationLog.severe(context, json);
                throw new ReconcileRunFailedException(report);
            }
        }
        return Optional.of(report);
    }

    /** Runs the reconciler, writing its progress to the invocation's log every {@code progressInterval}. */
    private ReconcileReport runLoggingProgress(Reconciler reconciler, boolean dryRun, ExecutionContext context) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dpstwin-reconcile-progress");
            thread.setDaemon(true);
            return thread;
        });
        long every = progressInterval.toMillis();
        ticker.scheduleAtFixedRate(() -> reconciler.progress()
                        .filter(progress -> progress.phase() != ReconcileProgress.Phase.DONE)
                        .ifPresent(progress -> InvocationLog.info(context, SOURCE + " progress: " + progress.summary())),
                every, every, TimeUnit.MILLISECONDS);
        try {
            return reconciler.run(dryRun);
        } finally {
            ticker.shutdownNow();
        }
    }

    private static String summary(ReconcileReport report, boolean pastDue) {
        ReconcileReport.Counts c = report.counts();
        StringBuilder out = new StringBuilder(SOURCE).append(pastDue ? " (past due)" : "")
                .append(": run ").append(report.runId())
                .append(report.dryRun() ? " (dry run) " : " (apply) ").append(report.status().wire());
        if (report.status() == ReconcileStatus.FAILED) {
            out.append(", nothing was compared or changed: ").append(Redaction.redactText(report.error()));
        } else {
            out.append(": ").append(c.devices()).append(" devices, ").append(c.twins()).append(" twins, ")
                    .append(c.orphans()).append(" orphans, ").append(c.missing()).append(" missing, ")
                    .append(c.unresolved()).append(" unresolved, ").append(c.skippedRecent())
                    .append(" skipped as recent, ").append(c.planned()).append(" planned, ").append(c.applied())
                    .append(" applied, ").append(c.failed()).append(" failed");
            if (report.dryRun() && c.planned() > 0) {
                out.append(" (dry run: nothing changed; set ").append(DpsTwinSettings.RECONCILE_APPLY.environmentName())
                        .append("=true to repair)");
            }
            if (!report.warnings().isEmpty()) {
                out.append("; warnings: ").append(Redaction.redactText(String.join("; ", report.warnings())));
            }
        }
        return out.toString();
    }

    /** The report as JSON, its item lists cut until the text fits {@link #MAX_REPORT_CHARS}. */
    static String boundedJson(ReconcileReport report) {
        String json = Redaction.redactText(report.toJson());
        int limit = longestList(report);
        while (json.length() > MAX_REPORT_CHARS && limit > 0) {
            limit /= 2;
            json = Redaction.redactText(cut(report, limit).toJson());
        }
        return Text.clip(json, MAX_REPORT_CHARS);
    }

    private static int longestList(ReconcileReport r) {
        return List.of(r.orphans().size(), r.missing().size(), r.unresolved().size(), r.skippedRecent().size(),
                r.planned().size(), r.applied().size(), r.failures().size()).stream()
                .mapToInt(Integer::intValue).max().orElse(0);
    }

    private static ReconcileReport cut(ReconcileReport r, int limit) {
        return new ReconcileReport(r.runId(), r.dryRun(), r.status(), r.startedAt(), r.finishedAt(),
                r.durationMillis(), r.hubs(), r.deviceModels(), r.gracePeriodSeconds(), r.counts(),
                head(r.orphans(), limit), head(r.missing(), limit), head(r.unresolved(), limit),
                head(r.skippedRecent(), limit), head(r.planned(), limit), head(r.applied(), limit),
                head(r.failures(), limit), r.warnings(), true, r.error());
    }

    private static <T> List<T> head(List<T> items, int limit) {
        return items.size() <= limit ? items : items.subList(0, limit);
    }

    /** Whether the timer says this invocation is later than scheduled; anything unreadable counts as on time. */
    private static boolean pastDue(String timerInfo) {
        if (timerInfo == null || timerInfo.isBlank() || timerInfo.length() > 4096) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(timerInfo);
            return node != null && node.path("IsPastDue").asBoolean(node.path("isPastDue").asBoolean(false));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
