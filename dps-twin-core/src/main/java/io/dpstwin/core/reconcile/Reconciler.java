package io.dpstwin.core.reconcile;

import io.dpstwin.core.internal.support.EarlierMeters;
import io.dpstwin.core.internal.support.SafeObservations;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.support.Text;
import io.dpstwin.core.internal.support.Identifiers;
import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.internal.support.BoundedExecutor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.retirement.RetirementIncompleteException;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.retirement.RetirementRequest;
import io.dpstwin.core.retirement.RetirementResult;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.Dtmi;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.internal.reconcile.AdtQueries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Repairs drift between the IoT hubs' identity registries and the twin graph, drift that lost lifecycle events leave
 * behind (a misconfigured route, a consumer down longer than the event hub keeps events, a DPS registration that
 * failed after the webhook created the twin).
 *
 * <p>A run lists every device of every hub ({@link DeviceInventory}, the hubs side by side, each paced to its own
 * query quota, throttling retried) and every twin of the device models ({@code IS_OF_MODEL}, all pages), streaming
 * both: the twins go into a compact index (about 50 bytes per twin plus its id), the devices are compared page by
 * page as they arrive and are not kept, and only the drift is held. It finds
 * <ul>
 *   <li><b>orphans</b>: twins no device maps to (a device maps to its {@code tags.dtId}, else to the
 *       {@link io.dpstwin.core.twins.TwinIdStrategy}'s id); they are retired with the {@link RetirementPolicy};</li>
 *   <li><b>missing</b> twins: devices whose twin does not exist with any model (checked with a {@code $dtId IN}
 *       query); they are created with {@link FindOrCreateTwin}, of the model in {@code tags.dtmi}, else the device's
 *       {@code modelId}, else the default model; a device without one is reported as unresolved.</li>
 * </ul>
 * Twins updated ({@code $metadata.$lastUpdateTime}) and devices changed ({@link DeviceRecord#lastChanged()}) within
 * the grace window are left alone, so that query-index lag and registrations in flight never look like drift.
 *
 * <p>{@link #plan()} changes nothing; {@link #apply(ReconcilePlan)} carries the plan out with bounded parallelism,
 * through the gateway it was given (use a retrying, rate-limited one), recording every action's outcome and never
 * stopping at a failed one. {@link #run(boolean)} does both and never throws: hosts call it from a timer and
 * publish the {@link ReconcileReport}. Thread-safe; build one per process.
 *
 * <pre>{@code
 * Reconciler reconciler = Reconciler.builder(gateway, IotHubDeviceInventory.fromCredential(hubs, credential))
 *         .options(ReconcileOptions.builder()
 *                 .deviceModels("dtmi:com:contoso:Thermostat;1")
 *                 .registryGuard(IotHubDeviceRegistry.fromCredential(hubs, credential))
 *                 .build())
 *         .meterRegistry(meterRegistry)
 *         .build();
 * ReconcileReport report = reconciler.run(true);   // dry run
 * String json = report.toJson();
 * }</pre>
 */
public final class Reconciler {

    /**
     * The Micrometer Observation around each {@link #run} (span name {@code reconcile run}): low-cardinality keys
     * {@code mode} and {@code status}, high-cardinality keys {@code run.id} and the counts ({@code devices},
     * {@code twins}, {@code orphans}, {@code missing}, {@code applied}, {@code failed}).
     */
    public static final String RUN_OBSERVATION = "dpstwin.reconcile.run";
    /** How often the default listener logs the progress of a long run. */
    public static final Duration DEFAULT_PROGRESS_LOG_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int MAX_DETAIL_LENGTH = 300;
    private static final long PROGRESS_NOTICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DigitalTwinsGateway gateway;
    private final DeviceInventory inventory;
    private final ReconcileOptions options;
    private final RetirementPolicy retirementPolicy;
    private final FindOrCreateTwin findOrCreate;
    private final List<String> deviceModels;
    private final HubLimiters limiters;
    private final DeviceListing listing;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, AtomicLong> drift = new LinkedHashMap<>();
    private final ReconcileListener listener;
    private final Executor executor;
    private volatile Progress current;
    private volatile Progress last;

    private Reconciler(Builder b) {
        this.gateway = b.gateway;
        this.inventory = b.inventory;
        this.options = b.options;
        this.retirementPolicy = options.retirementPolicy().orElse(RetirementPolicy.DELETE);
        this.findOrCreate = new FindOrCreateTwin(gateway, ModelMismatchPolicy.KEEP);
        this.deviceModels = List.copyOf(options.effectiveDeviceModels().stream().sorted().toList());
        if (deviceModels.isEmpty()) {
            throw new IllegalArgumentException("the reconciler needs the device models whose twins mirror devices: "
                    + "set ReconcileOptions.deviceModels(...) or defaultModel(...)");
        }
        if (inventory.hubHostNames() == null || inventory.hubHostNames().isEmpty()) {
            throw new IllegalArgumentException("the device inventory names no IoT hub");
        }
        this.meters = b.meterRegistry != null ? b.meterRegistry : Metrics.globalRegistry;
        this.observations = b.observationRegistry;
        this.executor = b.executor;
        this.limiters = new HubLimiters(options.queriesPerMinute(), options.registryReadsPerMinute());
        this.listing = new DeviceListing(inventory, limiters, options.registryRetry(), b.sleeper, b.nanoTime, meters);
        this.listener = b.listeners.isEmpty()
                ? ReconcileListener.logging(DEFAULT_PROGRESS_LOG_INTERVAL, options.clock())
                : ReconcileListener.all(b.listeners);
        registerProgressGauge("devices_listed", p -> p.devices.get());
        registerProgressGauge("twins_listed", p -> p.twins.get());
        registerProgressGauge("actions_planned", p -> p.planned);
        registerProgressGauge("actions_done", p -> p.done.get());
        for (String kind : List.of("orphan", "missing", "unresolved", "skipped_recent")) {
            AtomicLong value = new AtomicLong();
            drift.put(kind, value);
            EarlierMeters.remove(meters, DpsTwinMeters.RECONCILE_DRIFT, "kind", kind);
            Gauge.builder(DpsTwinMeters.RECONCILE_DRIFT, value, AtomicLong::get)
                    .description("Drift the last comparison found, by kind")
                    .tag("kind", kind)
                    .register(meters);
        }
    }

    /**
     * A reconciler comparing {@code inventory}'s hubs with the twins reached through {@code gateway} (pass a retrying,
     * rate-limited stack, e.g. from {@link io.dpstwin.core.twins.DigitalTwinsGateways}).
     */
    public static Builder builder(DigitalTwinsGateway gateway, DeviceInventory inventory) {
        return new Builder(gateway, inventory);
    }

    public ReconcileOptions options() {
        return options;
    }

    /**
     * The progress of the run in progress, or of the last run when none is (phase {@code done}); empty before the
     * first run. Cheap: hosts may call it as often as they like (an actuator read, a health check).
     */
    public Optional<ReconcileProgress> progress() {
        Progress progress = current != null ? current : last;
        return Optional.ofNullable(progress).map(Progress::snapshot);
    }

    private void registerProgressGauge(String kind, java.util.function.ToLongFunction<Progress> value) {
        EarlierMeters.remove(meters, DpsTwinMeters.RECONCILE_PROGRESS, "kind", kind);
        Gauge.builder(DpsTwinMeters.RECONCILE_PROGRESS, this, reconciler -> {
                    Progress progress = reconciler.current != null ? reconciler.current : reconciler.last;
                    return progress == null ? 0 : value.applyAsLong(progress);
                })
                .description("Progress of the reconcile run in progress (else of the last run), by kind")
                .tag("kind", kind)
                .register(meters);
    }

    HubLimiters limiters() {
        return limiters;
    }

    /** A dry run: {@code run(true)}. */
    public ReconcileReport dryRun() {
        return run(true);
    }

    /**
     * Compares and, unless {@code dryRun}, repairs. Never throws: a run that could not compare has status
     * {@code failed} and an {@code error}. Records {@value #DpsTwinMeters.RECONCILE_RUNS} (tags {@code mode}, {@code status}) and
     * {@value #DpsTwinMeters.RECONCILE_DURATION} (tag {@code mode}).
     */
    @SuppressWarnings("try") // the scope only puts the observation in context; nothing reads it
    public ReconcileReport run(boolean dryRun) {
        String mode = dryRun ? "dry_run" : "apply";
        Timer.Sample sample = Timer.start(meters);
        Instant startedAt = options.clock().instant();
        Progress progress = begin(UUID.randomUUID().toString(), dryRun, startedAt);
        Observation observation = SafeObservations.start(RUN_OBSERVATION, "reconcile run", observations);
        ReconcileReport report;
        try (Observation.Scope scope = SafeObservations.openScope(observation)) {
            ReconcilePlan plan = plan(progress);
            report = dryRun ? report(plan, List.of(), true) : apply(plan, progress);
        } catch (RuntimeException e) {
            String runId = "failed-" + progress.runId;
            if (e instanceof ReconcileException) {
                LOG.warn("Reconcile run could not compare, nothing was changed: {}", e.getMessage());
            } else {
                LOG.error("Reconcile run failed unexpectedly, nothing was changed", e);
            }
            report = ReconcileReport.failed(runId, dryRun, startedAt, options.clock().instant(),
                    List.copyOf(inventory.hubHostNames()), deviceModels, options.gracePeriod(), bounded(e));
        }
        ReconcileReport done = report;
        SafeObservations.stop(observation, o -> o
                .lowCardinalityKeyValue("mode", mode)
                .lowCardinalityKeyValue("status", done.status().wire())
                .highCardinalityKeyValue("run.id", done.runId())
                .highCardinalityKeyValue("devices", Integer.toString(done.counts().devices()))
                .highCardinalityKeyValue("twins", Integer.toString(done.counts().twins()))
                .highCardinalityKeyValue("orphans", Integer.toString(done.counts().orphans()))
                .highCardinalityKeyValue("missing", Integer.toString(done.counts().missing()))
                .highCardinalityKeyValue("applied", Integer.toString(done.counts().applied()))
                .highCardinalityKeyValue("failed", Integer.toString(done.counts().failed())), null);
        sample.stop(Timer.builder(DpsTwinMeters.RECONCILE_DURATION)
                .description("Duration of reconcile runs")
                .tag("mode", mode)
                .register(meters));
        Counter.builder(DpsTwinMeters.RECONCILE_RUNS)
                .description("Reconcile runs by mode and status")
                .tag("mode", mode)
                .tag("status", report.status().wire())
                .register(meters)
                .increment();
        LOG.info("Reconcile run {} ({}) {}: {} devices, {} twins, {} orphans, {} missing, {} unresolved, "
                        + "{} skipped as recent, {} applied, {} failed", report.runId(), mode, report.status().wire(),
                report.counts().devices(), report.counts().twins(), report.counts().orphans(),
                report.counts().missing(), report.counts().unresolved(), report.counts().skippedRecent(),
                report.counts().applied(), report.counts().failed());
        finish(progress, report);
        return report;
    }

    private Progress begin(String runId, boolean dryRun, Instant startedAt) {
        Progress progress = new Progress(runId, dryRun, startedAt);
        current = progress;
        notifyProgress(progress);
        return progress;
    }

    private void finish(Progress progress, ReconcileReport report) {
        end(progress);
        notifyProgress(progress);
        try {
            listener.onFinished(report);
        } catch (RuntimeException e) {
            LOG.warn("A reconcile listener failed on the end of run {}: {}", report.runId(), e.toString());
        }
    }

    /** The run is over: it becomes the last run, and progress() shows it as done. */
    private void end(Progress progress) {
        progress.phase = ReconcileProgress.Phase.DONE;
        last = progress;
        if (current == progress) {
            current = null;
        }
    }

    private void notifyProgress(Progress progress) {
        try {
            listener.onProgress(progress.snapshot());
        } catch (RuntimeException e) {
            LOG.warn("A reconcile listener failed: {}", e.toString());
        }
    }

    /** The counters of one run, updated by the worker threads. */
    private final class Progress {
        final String runId;
        final boolean dryRun;
        final Instant startedAt;
        final AtomicLong devices = new AtomicLong();
        final AtomicLong twins = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        volatile long planned;
        volatile ReconcileProgress.Phase phase = ReconcileProgress.Phase.LISTING;
        private final AtomicLong lastNotice = new AtomicLong(System.nanoTime());

        Progress(String runId, boolean dryRun, Instant startedAt) {
            this.runId = runId;
            this.dryRun = dryRun;
            this.startedAt = startedAt;
        }

        ReconcileProgress snapshot() {
            long elapsed = Math.max(0, Duration.between(startedAt, options.clock().instant()).toMillis());
            return new ReconcileProgress(runId, dryRun, phase, startedAt, elapsed, devices.get(), twins.get(),
                    planned, done.get());
        }

        void phase(ReconcileProgress.Phase next) {
            phase = next;
            notifyProgress(this);
        }

        void devicesListed(long count) {
            devices.addAndGet(count);
            tick();
        }

        void twinsListed(long count) {
            twins.addAndGet(count);
            tick();
        }

        void actionDone() {
            done.incrementAndGet();
            tick();
        }

        /** Tells the listener, at most every {@link #PROGRESS_NOTICE_NANOS} (a million devices are a million ticks). */
        private void tick() {
            long now = System.nanoTime();
            long previous = lastNotice.get();
            if (now - previous >= PROGRESS_NOTICE_NANOS && lastNotice.compareAndSet(previous, now)) {
                notifyProgress(this);
            }
        }
    }

    /**
     * Compares the hubs with the twin graph; changes nothing. Updates the {@value #DpsTwinMeters.RECONCILE_DRIFT} gauges.
     *
     * @throws ReconcileException a hub or ADT could not be listed (after retries)
     */
    public ReconcilePlan plan() {
        Progress progress = begin(UUID.randomUUID().toString(), true, options.clock().instant());
        try {
            return plan(progress);
        } finally {
            end(progress);
        }
    }

    private ReconcilePlan plan(Progress progress) {
        String runId = progress.runId;
        Instant startedAt = progress.startedAt;
        List<String> hubs = List.copyOf(inventory.hubHostNames());
        Comparison comparison = new Comparison(hubs);
        ExecutorService pool = workers(Math.min(hubs.size(), options.parallelism()), "dpstwin-reconcile-list-");
        try {
            // The hubs are listed in parallel (each at its own hub's query pace) while this thread lists the twins;
            // device pages wait in a bounded queue until the twins are in, then are compared as they come.
            DeviceFeed feed = new DeviceFeed(hubs, pool, progress);
            TwinIndex twins = listTwins(progress);
            comparison.twins = twins;
            feed.drain(comparison::device);
            progress.phase(ReconcileProgress.Phase.COMPARING);
            comparison.flushChecks();
        } finally {
            stop(pool);
        }
        Instant now = options.clock().instant();
        Instant graceStart = now.minus(options.gracePeriod());
        TwinIndex twins = comparison.twins;

        List<SkippedItem> skipped = new ArrayList<>();
        List<OrphanTwin> orphans = new ArrayList<>();
        for (int i = 0; i < twins.size(); i++) {
            if (twins.isMapped(i)) {
                continue;
            }
            Instant lastUpdate = twins.lastUpdate(i);
            if (lastUpdate != null && lastUpdate.isAfter(graceStart)) {
                skipped.add(new SkippedItem(SkippedItem.TWIN, twins.id(i), null, lastUpdate.toString()));
            } else {
                orphans.add(new OrphanTwin(twins.id(i), twins.modelId(i),
                        lastUpdate == null ? null : lastUpdate.toString()));
            }
        }
        skipped.addAll(comparison.ordered(comparison.skippedDevices));
        List<MissingTwin> missing = comparison.ordered(comparison.missing);
        List<UnresolvedDevice> unresolved = comparison.ordered(comparison.unresolved);
        int twinsListed = twins.size();

        List<String> warnings = new ArrayList<>();
        boolean withheld = false;
        if (!orphans.isEmpty()) {
            double share = twinsListed == 0 ? 1.0 : (double) orphans.size() / twinsListed;
            if (orphans.size() > options.maxRetirements()) {
                withheld = true;
                warnings.add("retirements withheld: " + orphans.size() + " orphaned twins exceed maxRetirements ("
                        + options.maxRetirements() + "); check that every hub is configured, then raise the limit");
            } else if (share > options.maxRetirementShare()) {
                withheld = true;
                warnings.add(String.format(java.util.Locale.ROOT, "retirements withheld: %d of %d listed twins "
                                + "(%.0f%%) look orphaned, more than maxRetirementShare (%.0f%%); check that every "
                                + "hub is configured, then raise the limit", orphans.size(), twinsListed,
                        share * 100, options.maxRetirementShare() * 100));
            }
        }
        List<ReconcileAction> actions = new ArrayList<>();
        if (!withheld) {
            for (OrphanTwin orphan : orphans) {
                actions.add(new ReconcileAction(ReconcileAction.Kind.RETIRE, orphan.twinId(),
                        deviceIdOfTwin(orphan.twinId()), null, orphan.modelId()));
            }
        }
        for (MissingTwin twin : missing) {
            actions.add(new ReconcileAction(ReconcileAction.Kind.CREATE, twin.twinId(), twin.deviceId(),
                    twin.hubHostName(), twin.modelId()));
        }
        drift.get("orphan").set(orphans.size());
        drift.get("missing").set(missing.size());
        drift.get("unresolved").set(unresolved.size());
        drift.get("skipped_recent").set(skipped.size());
        progress.planned = actions.size();
        return new ReconcilePlan(runId, startedAt, now, hubs, deviceModels, comparison.devices, twinsListed,
                comparison.twinsOfOtherModels, orphans, missing, unresolved, skipped, actions, warnings, withheld);
    }

    /**
     * Carries out {@code plan}'s actions, {@link ReconcileOptions#parallelism()} at a time. Each retirement first asks
     * the registry guard (when configured) whether the device exists after all. A failed action is recorded and the
     * others go on. Records {@value #DpsTwinMeters.RECONCILE_ACTIONS} (tags {@code action}, {@code outcome}).
     *
     * @throws IllegalArgumentException when the plan is older than {@link ReconcileOptions#maxPlanAge()}
     */
    public ReconcileReport apply(ReconcilePlan plan) {
        Objects.requireNonNull(plan, "plan");
        Progress progress = begin(plan.runId(), false, options.clock().instant());
        progress.planned = plan.actions().size();
        try {
            return apply(plan, progress);
        } finally {
            end(progress);
        }
    }

    private ReconcileReport apply(ReconcilePlan plan, Progress progress) {
        Duration age = Duration.between(plan.plannedAt(), options.clock().instant());
        if (age.compareTo(options.maxPlanAge()) > 0) {
            throw new IllegalArgumentException("plan " + plan.runId() + " is " + age.toSeconds()
                    + " s old, older than maxPlanAge (" + options.maxPlanAge().toSeconds() + " s); plan again");
        }
        List<ActionResult> results = new ArrayList<>();
        progress.phase(ReconcileProgress.Phase.APPLYING);
        if (!plan.actions().isEmpty()) {
            ExecutorService pool = workers(Math.min(options.parallelism(), plan.actions().size()),
                    "dpstwin-reconcile-apply-");
            try {
                List<Future<ActionResult>> futures = new ArrayList<>();
                for (ReconcileAction action : plan.actions()) {
                    futures.add(pool.submit(() -> {
                        try {
                            return execute(plan.runId(), action);
                        } finally {
                            progress.actionDone();
                        }
                    }));
                }
                for (int i = 0; i < futures.size(); i++) {
                    results.add(await(futures.get(i), plan.actions().get(i)));
                }
            } finally {
                stop(pool);
            }
        }
        for (ActionResult result : results) {
            Counter.builder(DpsTwinMeters.RECONCILE_ACTIONS)
                    .description("Reconcile actions by kind and outcome")
                    .tag("action", result.action().action().wire())
                    .tag("outcome", result.outcome().wire())
                    .register(meters)
                    .increment();
        }
        return report(plan, results, false);
    }

    private ReconcileReport report(ReconcilePlan plan, List<ActionResult> results, boolean dryRun) {
        return ReconcileReport.of(plan, results, dryRun, options.clock().instant(), options.gracePeriod(),
                options.reportItemLimit());
    }

    private ActionResult await(Future<ActionResult> future, ReconcileAction action) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new ActionResult(action, ActionResult.Outcome.FAILED, "interrupted before the action finished");
        } catch (ExecutionException e) {
            return new ActionResult(action, ActionResult.Outcome.FAILED, describe(e.getCause()));
        }
    }

    private ActionResult execute(String runId, ReconcileAction action) {
        if (Thread.currentThread().isInterrupted()) {
            return new ActionResult(action, ActionResult.Outcome.FAILED, "interrupted before the action started");
        }
        try {
            return action.action() == ReconcileAction.Kind.RETIRE ? retire(runId, action) : create(action);
        } catch (RuntimeException e) {
            LOG.debug("Reconcile {} of twin {} failed: {}", action.action().wire(), action.twinId(), describe(e));
            return new ActionResult(action, ActionResult.Outcome.FAILED, describe(e));
        }
    }

    private ActionResult retire(String runId, ReconcileAction action) {
        Optional<DeviceRegistry> guard = options.registryGuard();
        if (guard.isPresent() && action.deviceId() != null) {
            for (String hub : guard.get().hubHostNames()) {
                if (!HubLimiters.acquire(limiters.registryReads(hub))) {
                    return new ActionResult(action, ActionResult.Outcome.FAILED,
                            "no registry read permit for IoT hub '" + hub + "' within the wait limit");
                }
                if (guard.get().deviceExists(hub, action.deviceId())) {
                    return new ActionResult(action, ActionResult.Outcome.DEVICE_STILL_REGISTERED,
                            "device is registered in hub " + hub + "; its twin is kept");
                }
            }
        }
        RetirementResult result = retirementPolicy.retire(gateway, new RetirementRequest(action.twinId(),
                action.deviceId() != null ? action.deviceId() : action.twinId(), null, null, "reconcile:" + runId));
        Objects.requireNonNull(result, "the retirement policy returned null");
        return new ActionResult(action, result == RetirementResult.RETIRED
                ? ActionResult.Outcome.RETIRED : ActionResult.Outcome.ALREADY_GONE, null);
    }

    private ActionResult create(ReconcileAction action) {
        EnsuredTwin ensured = findOrCreate.ensureTwin(action.twinId(), action.modelId(), Map.of());
        if (ensured.outcome() == EnsuredTwin.Outcome.CREATED) {
            return new ActionResult(action, ActionResult.Outcome.CREATED, null);
        }
        return new ActionResult(action, ActionResult.Outcome.EXISTS,
                ensured.twin().modelId().equals(action.modelId())
                        ? null : "twin exists with model " + ensured.twin().modelId() + "; kept as it is");
    }

    // ---- listing ----

    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Reconcile worker threads did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Devices buffered while the twins are listed, at most; the hub listings wait when it is reached. */
    static final int MAX_BUFFERED_DEVICES = 256 * 1024;
    private static final int CHUNK = 1024;
    private static final List<DeviceRecord> HUB_DONE = List.of();

    /**
     * The hubs' listings, one task per hub, handing their devices over in chunks through a bounded queue (so that a
     * fast listing waits for the comparison instead of filling the heap).
     */
    private final class DeviceFeed {
        private final List<String> hubs;
        private final java.util.concurrent.BlockingQueue<List<DeviceRecord>> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(MAX_BUFFERED_DEVICES / CHUNK);
        private final List<Future<?>> listings = new ArrayList<>();

        DeviceFeed(List<String> hubs, ExecutorService pool, Progress progress) {
            this.hubs = hubs;
            for (String hub : hubs) {
                listings.add(pool.submit(() -> {
                    try {
                        List<DeviceRecord> chunk = new ArrayList<>(CHUNK);
                        listing.stream(hub, device -> {
                            chunk.add(device);
                            progress.devicesListed(1);
                            if (chunk.size() == CHUNK) {
                                put(List.copyOf(chunk));
                                chunk.clear();
                            }
                        });
                        if (!chunk.isEmpty()) {
                            put(List.copyOf(chunk));
                        }
                    } finally {
                        put(HUB_DONE);
                    }
                    return null;
                }));
            }
        }

        private void put(List<DeviceRecord> chunk) {
            try {
                queue.put(chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReconcileException("interrupted while handing devices over", e);
            }
        }

        /** Hands every device of every hub to {@code sink}, in the order each hub listed them. */
        void drain(java.util.function.Consumer<DeviceRecord> sink) {
            int done = 0;
            try {
                while (done < hubs.size()) {
                    List<DeviceRecord> chunk = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        checkListings(false);
                    } else if (chunk == HUB_DONE) {
                        done++;
                    } else {
                        chunk.forEach(sink);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReconcileException("interrupted while listing devices", e);
            }
            try {
                checkListings(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReconcileException("interrupted while listing devices", e);
            }
        }

        /**
         * Fails the run with the first hub whose listing failed, in hub order; with {@code wait}, waits for every
         * listing to end (a listing hands its last chunk over just before it ends).
         */
        private void checkListings(boolean wait) throws InterruptedException {
            for (int i = 0; i < hubs.size(); i++) {
                Future<?> listing = listings.get(i);
                if (wait || listing.isDone()) {
                    try {
                        listing.get();
                    } catch (ExecutionException e) {
                        throw new ReconcileException("the devices of IoT hub '" + hubs.get(i)
                                + "' could not be listed: " + describe(e.getCause()), e.getCause());
                    } catch (java.util.concurrent.CancellationException e) {
                        throw new ReconcileException("listing the devices of IoT hub '" + hubs.get(i)
                                + "' was cancelled", e);
                    }
                }
            }
        }
    }

    /**
     * The device side of one comparison, fed one device at a time: it marks the twins devices map to, checks the
     * devices whose twin was not listed in batches of {@link AdtQueries#MAX_IN_ITEMS} as they come, and keeps only
     * the drift (each item with its hub and position, to report in listing order).
     */
    private final class Comparison {
        final List<String> hubs;
        TwinIndex twins;
        int devices;
        int twinsOfOtherModels;
        final List<Ranked<MissingTwin>> missing = new ArrayList<>();
        final List<Ranked<UnresolvedDevice>> unresolved = new ArrayList<>();
        final List<Ranked<SkippedItem>> skippedDevices = new ArrayList<>();
        private final Set<String> candidateTwinIds = new HashSet<>();
        private final Map<String, Ranked<DeviceRecord>> pending = new LinkedHashMap<>();
        private final Map<String, Long> positions = new java.util.HashMap<>();
        private int pendingLength;

        Comparison(List<String> hubs) {
            this.hubs = hubs;
        }

        void device(DeviceRecord device) {
            devices++;
            long position = rank(device);
            Mapping mapping = twinIdOf(device);
            mapping.protectedId().ifPresent(id -> {
                int index = twins.indexOf(id);
                if (index >= 0) {
                    twins.markMapped(index);
                }
            });
            if (mapping.twinId() == null) {
                unresolved.add(new Ranked<>(position, new UnresolvedDevice(device.deviceId(), device.hubHostName(),
                        null, UnresolvedDevice.INVALID_TWIN_ID, mapping.problem())));
                return;
            }
            String twinId = mapping.twinId();
            if (twins.indexOf(twinId) >= 0 || !candidateTwinIds.add(twinId)) {
                return;
            }
            Instant graceStart = options.clock().instant().minus(options.gracePeriod());
            if (device.lastChanged() != null && device.lastChanged().isAfter(graceStart)) {
                skippedDevices.add(new Ranked<>(position, new SkippedItem(SkippedItem.DEVICE, device.deviceId(),
                        device.hubHostName(), device.lastChanged().toString())));
                return;
            }
            int itemLength = AdtQueries.literal(twinId).length() + 2;
            if (pending.size() == AdtQueries.MAX_IN_ITEMS
                    || AdtQueries.TWINS_WITH_IDS_PREFIX.length() + 1 + pendingLength + itemLength
                    > AdtQueries.MAX_QUERY_LENGTH) {
                flushChecks();
            }
            pending.put(twinId, new Ranked<>(position, device));
            pendingLength += itemLength;
        }

        /** Asks ADT which of the pending devices' twins exist with another model; the others are missing. */
        void flushChecks() {
            if (pending.isEmpty()) {
                return;
            }
            Set<String> existing = new HashSet<>();
            forEachPage(AdtQueries.twinsWithIds(pending.keySet()), "twins by id", rows -> {
                for (ObjectNode row : rows) {
                    String id = row.path("$dtId").asText(null);
                    if (id != null && pending.containsKey(id)) {
                        existing.add(id);
                    }
                }
            });
            twinsOfOtherModels += existing.size();
            for (Map.Entry<String, Ranked<DeviceRecord>> entry : pending.entrySet()) {
                if (existing.contains(entry.getKey())) {
                    continue;
                }
                DeviceRecord device = entry.getValue().item();
                long position = entry.getValue().position();
                ModelChoice model = modelOf(device);
                if (model.modelId() == null) {
                    unresolved.add(new Ranked<>(position, new UnresolvedDevice(device.deviceId(),
                            device.hubHostName(), entry.getKey(), model.problemReason(), model.problem())));
                } else {
                    missing.add(new Ranked<>(position, new MissingTwin(entry.getKey(), device.deviceId(),
                            device.hubHostName(), model.modelId(), model.source())));
                }
            }
            pending.clear();
            pendingLength = 0;
        }

        /** Hub order first, then the hub's listing order: the order a one-hub-at-a-time listing would give. */
        private long rank(DeviceRecord device) {
            String hub = device.hubHostName();
            long hubIndex = Math.max(0, hubs.indexOf(hub));
            long sequence = positions.merge(hub, 1L, Long::sum);
            return (hubIndex << 40) | sequence;
        }

        <T> List<T> ordered(List<Ranked<T>> items) {
            return items.stream()
                    .sorted(java.util.Comparator.comparingLong(Ranked::position))
                    .map(Ranked::item)
                    .toList();
        }
    }

    private record Ranked<T>(long position, T item) {
    }

    /** Lists every twin of the device models into a compact index, page by page. */
    private TwinIndex listTwins(Progress progress) {
        TwinIndex twins = new TwinIndex();
        for (String model : deviceModels) {
            String query = AdtQueries.twinsOfModel(model);
            forEachPage(query, "the twins of model " + model, rows -> {
                for (ObjectNode row : rows) {
                    String id = row.path("$dtId").asText(null);
                    if (id != null) {
                        JsonNode metadata = row.path("$metadata");
                        twins.add(id, metadata.path("$model").asText(null),
                                instant(metadata.path("$lastUpdateTime").asText(null)));
                    }
                }
                progress.twinsListed(rows.size());
            });
        }
        return twins;
    }

    private void forEachPage(String query, String what, java.util.function.Consumer<List<ObjectNode>> onPage) {
        String token = null;
        do {
            QueryPage page;
            try {
                page = gateway.query(query, token);
            } catch (AdtException e) {
                throw new ReconcileException("Azure Digital Twins could not list " + what + ": " + describe(e), e);
            }
            onPage.accept(page.items());
            token = page.continuationToken();
        } while (token != null);
    }

    private static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- mapping ----

    private record Mapping(String twinId, Optional<String> protectedId, String problem) {
    }

    private Mapping twinIdOf(DeviceRecord device) {
        String strategyId;
        try {
            strategyId = options.twinIdStrategy().twinIdFor(device.deviceId());
        } catch (RuntimeException e) {
            strategyId = null;
        }
        Optional<String> strategyIdIfValid = Optional.ofNullable(strategyId).filter(Identifiers::isTwinId);
        if (device.twinIdTagValue().isPresent()) {
            String tag = device.twinIdTag();
            if (Identifiers.isTwinId(tag)) {
                return new Mapping(tag, Optional.of(tag), null);
            }
            // Never fall back: the tag names the twin; keep the strategy's twin too, to be safe.
            return new Mapping(null, strategyIdIfValid, "tags.dtId is not a usable twin id");
        }
        if (strategyIdIfValid.isEmpty()) {
            return new Mapping(null, Optional.empty(), "the twin id strategy gave no usable twin id");
        }
        return new Mapping(strategyIdIfValid.get(), strategyIdIfValid, null);
    }

    private record ModelChoice(String modelId, String source, String problemReason, String problem) {
    }

    private ModelChoice modelOf(DeviceRecord device) {
        if (device.modelTag() != null) {
            return Dtmi.isValid(device.modelTag())
                    ? new ModelChoice(device.modelTag(), "tag", null, null)
                    : new ModelChoice(null, null, UnresolvedDevice.INVALID_MODEL_ID, "tags.dtmi is not a valid DTMI");
        }
        if (device.modelId() != null) {
            return Dtmi.isValid(device.modelId())
                    ? new ModelChoice(device.modelId(), "modelId", null, null)
                    : new ModelChoice(null, null, UnresolvedDevice.INVALID_MODEL_ID, "modelId is not a valid DTMI");
        }
        return options.defaultModel()
                .map(model -> new ModelChoice(model, "default", null, null))
                .orElseGet(() -> new ModelChoice(null, null, UnresolvedDevice.NO_MODEL,
                        "no tags.dtmi, no modelId and no default model"));
    }

    private String deviceIdOfTwin(String twinId) {
        try {
            String deviceId = options.deviceIdOfTwin().apply(twinId);
            return deviceId == null || deviceId.isBlank() ? null : deviceId;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- helpers ----

    private static String describe(Throwable e) {
        String text;
        if (e instanceof AdtException adt) {
            text = adt.statusCode() + " " + adt.errorCode() + ": " + adt.getMessage();
        } else if (e instanceof DeviceInventoryException inventory) {
            text = inventory.getMessage();
        } else if (e instanceof DeviceRegistryException registry) {
            text = "registry guard: " + registry.getMessage();
        } else if (e instanceof RetirementIncompleteException incomplete) {
            text = incomplete.getMessage();
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return Text.clip(text, MAX_DETAIL_LENGTH);
    }

    private static String bounded(RuntimeException e) {
        return e instanceof ReconcileException ? trim(e.getMessage()) : describe(e);
    }

    private static String trim(String message) {
        String text = message == null ? "" : message;
        return Text.clip(text, MAX_DETAIL_LENGTH * 2);
    }

    /**
     * {@code size} workers for one listing or apply, shut down by {@link #stop}: on the host's executor (at most
     * {@code size} at a time; the executor itself keeps running) when the builder was given one, else a pool of
     * daemon threads named {@code prefix}N.
     */
    private ExecutorService workers(int size, String prefix) {
        return BoundedExecutor.workers(executor, size, BoundedExecutor.daemonThreads(prefix));
    }

    /** Builds a {@link Reconciler}. Not thread-safe. */
    public static final class Builder {

        private final DigitalTwinsGateway gateway;
        private final DeviceInventory inventory;
        private ReconcileOptions options = ReconcileOptions.defaults();
        private MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private Sleeper sleeper =
                duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        private LongSupplier nanoTime = System::nanoTime;
        private final List<ReconcileListener> listeners = new ArrayList<>();
        private Executor executor;

        private Builder(DigitalTwinsGateway gateway, DeviceInventory inventory) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            this.inventory = Objects.requireNonNull(inventory, "inventory");
        }

        public Builder options(ReconcileOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Where the {@value Reconciler#RUN_OBSERVATION} observation of each run goes; default
         * {@link ObservationRegistry#NOOP}.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
            return this;
        }

        /**
         * Adds a listener of every run's progress. Without any, progress is logged at INFO every
         * {@link #DEFAULT_PROGRESS_LOG_INTERVAL} of a long run; add {@code ReconcileListener.logging(...)} yourself to
         * keep that log next to your own listener.
         */
        public Builder listener(ReconcileListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How the registry retry waits (tests replace it to observe waits without sleeping). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The monotonic clock of the registry retry's time budget, like {@link System#nanoTime()}. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Where the hubs' listings and the actions run, e.g. a virtual-thread executor: at most
         * {@link ReconcileOptions#parallelism()} of one run's tasks at a time. The reconciler never shuts it down.
         * Without one (the default), each listing and apply makes a pool of daemon threads of its own and shuts it
         * down when done.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @throws IllegalArgumentException when no device model is configured or the inventory names no hub
         */
        public Reconciler build() {
            return new Reconciler(this);
        }
    }
}
