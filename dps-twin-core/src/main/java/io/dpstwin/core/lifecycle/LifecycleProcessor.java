package io.dpstwin.core.lifecycle;

import io.dpstwin.core.internal.support.SafeObservations;
import io.micrometer.core.instrument.Counter;
import io.dpstwin.core.internal.twins.BudgetedRetry;
import io.dpstwin.core.twins.RetryBudget;
import java.util.Optional;
import io.dpstwin.core.DpsTwinMeters;
import io.dpstwin.core.internal.support.BoundedExecutor;
import io.dpstwin.core.internal.support.Identifiers;
import io.dpstwin.core.support.Text;
import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.retirement.RetirementIncompleteException;
import io.dpstwin.core.retirement.RetirementResult;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The retire flow's one entry point: applies a batch of lifecycle events to Azure Digital Twins and returns one
 * {@link EventOutcome} per event, in input order.
 *
 * <ul>
 *   <li><b>Filters</b> ({@link OutcomeReason}): unparseable, non-lifecycle, module and foreign-hub events are
 *       skipped, never acted on.</li>
 *   <li><b>Deletions</b>: the registry guard (when configured) keeps the twin of a device still registered in a hub;
 *       otherwise the {@link io.dpstwin.core.retirement.RetirementPolicy} retires the twin.</li>
 *   <li><b>Creations</b> (when enabled): find-or-create the twin (an existing twin is kept as it is, whatever its
 *       model).</li>
 *   <li><b>Ordering</b>: events of one device (and of one twin) are applied one after the other in input order;
 *       different devices run in parallel, {@code parallelism} at a time, on the processor's own pool of that many
 *       threads or on the host's executor ({@link Builder#executor}).</li>
 *   <li><b>Retries</b>: transient failures (ADT 408/429/5xx/no answer, transient registry failures, a retirement
 *       that could not finish yet) re-run the event's whole action (it is idempotent) with exponential backoff,
 *       or after the {@code Retry-After} the service asked for, within the per-event budget and attempt limit
 *       ({@link BudgetedRetry}); then, or at once for permanent failures, the event goes to the
 *       {@link DeadLetterSink}. If
 *       the sink throws, the outcome is {@link LifecycleOutcome#FAILED}.</li>
 *   <li><b>Metrics</b>: counter {@code dpstwin.lifecycle.events} (tags {@code outcome}, {@code reason}), timer
 *       {@code dpstwin.lifecycle.event.duration} (tag {@code outcome}), counter
 *       {@code dpstwin.lifecycle.dead.letters} (tag {@code reason}).</li>
 * </ul>
 * Thread-safe; {@link #process} may be called concurrently (e.g. one call per Event Hubs partition), and the calls
 * share the {@code parallelism} bound. Close it to stop its threads (a host's executor is left running). Never call {@link #process} from a {@link DeadLetterSink} or policy (it would wait on itself).
 */
public final class LifecycleProcessor implements AutoCloseable {

    /**
     * The Micrometer Observation around each {@link #process} call (span name {@code lifecycle batch}), in scope on
     * the worker threads too: low-cardinality key {@code settled}, high-cardinality keys {@code events} and
     * {@code outcome.<outcome>} (counts).
     */
    public static final String BATCH_OBSERVATION = "dpstwin.lifecycle.batch";

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);
    private static final int MAX_ERROR_MESSAGE = 500;
    /** The {@code retry} tag of the per-event retry meters. */
    static final String RETRY_NAME = "lifecycle.event";

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final DigitalTwinsGateway gateway;
    private final LifecycleOptions options;
    private final DeadLetterSink deadLetterSink;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LifecycleFilters filters;
    private final FindOrCreateTwin findOrCreate;
    private final BudgetedRetry retry;
    private final ExecutorService executor;
    private volatile boolean closed;

    private LifecycleProcessor(Builder b) {
        this.gateway = b.gateway;
        this.options = b.options;
        this.deadLetterSink = b.deadLetterSink;
        this.meters = b.meterRegistry != null ? b.meterRegistry : Metrics.globalRegistry;
        this.observations = b.observationRegistry;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.filters = new LifecycleFilters(options);
        // A created device whose twin exists with another model keeps that twin: the provision flow made it.
        this.findOrCreate = new FindOrCreateTwin(gateway, ModelMismatchPolicy.KEEP);
        this.retry = eventRetry();
        // The host's executor (never shut down here) at most parallelism at a time, else a pool of our own.
        this.executor = b.executor != null ? BoundedExecutor.on(b.executor, options.parallelism())
                : Executors.newFixedThreadPool(options.parallelism(), threadFactory());
    }

    /** A processor with the default dead-letter sink, Micrometer's global meter registry and real time. */
    public LifecycleProcessor(DigitalTwinsGateway gateway, LifecycleOptions options) {
        this(builder(gateway).options(options));
    }

    public static Builder builder(DigitalTwinsGateway gateway) {
        return new Builder(gateway);
    }

    private BudgetedRetry eventRetry() {
        RetryBudget budget = RetryBudget.builder()
                .maxAttempts(options.maxAttempts())
                .maxTotalTime(options.eventBudget())
                .initialBackoff(options.initialBackoff())
                .maxBackoff(options.maxBackoff())
                .maxRetryAfter(options.eventBudget())
                .build();
        return BudgetedRetry.builder(RETRY_NAME, budget)
                .retryOn(LifecycleProcessor::isTransient)
                .retryAfter(failure -> failure instanceof AdtException adt ? adt.retryAfter() : Optional.empty())
                .sleeper(sleeper)
                .nanoTime(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .meterRegistry(meters)
                .build();
    }

    private static ThreadFactory threadFactory() {
        return BoundedExecutor.daemonThreads("dpstwin-lifecycle-" + POOLS.incrementAndGet() + "-");
    }

    /** Whether retrying can help. */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof AdtException adt) {
            return adt.isTransient();
        }
        if (failure instanceof DeviceRegistryException registry) {
            return registry.isTransient();
        }
        return failure instanceof RetirementIncompleteException;
    }

    public LifecycleOptions options() {
        return options;
    }

    /**
     * Applies a batch. Never throws for bad events (they come out skipped or dead-lettered); returns one outcome per
     * event in input order.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @SuppressWarnings("try") // the scope only puts the observation in context; nothing reads it
    public BatchResult process(List<? extends ParsedEvent> events) {
        Objects.requireNonNull(events, "events");
        if (closed) {
            throw new IllegalStateException("LifecycleProcessor is closed");
        }
        Observation observation = SafeObservations.start(BATCH_OBSERVATION, "lifecycle batch", observations);
        BatchResult result = null;
        RuntimeException failure = null;
        try (Observation.Scope scope = SafeObservations.openScope(observation)) {
            result = processBatch(events, observation);
            return result;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            BatchResult done = result;
            SafeObservations.stop(observation, o -> {
                o.highCardinalityKeyValue("events", Integer.toString(events.size()));
                if (done != null) {
                    o.lowCardinalityKeyValue("settled", Boolean.toString(done.allSettled()));
                    done.countsByOutcome().forEach((outcome, n) ->
                            o.highCardinalityKeyValue("outcome." + outcome.tagValue(), Long.toString(n)));
                }
            }, failure);
        }
    }

    @SuppressWarnings("try") // the scope only puts the observation in context; nothing reads it
    private BatchResult processBatch(List<? extends ParsedEvent> events, Observation observation) {
        int count = events.size();
        AtomicReferenceArray<EventOutcome> results = new AtomicReferenceArray<>(count);
        EventPlan[] plans = new EventPlan[count];
        for (int i = 0; i < count; i++) {
            ParsedEvent event = Objects.requireNonNull(events.get(i), "event " + i);
            Timer.Sample sample = Timer.start(meters);
            plans[i] = filters.plan(event);
            if (plans[i] instanceof EventPlan.Skip skip) {
                results.set(i, finish(sample, new EventOutcome(i, event, LifecycleOutcome.SKIPPED, skip.reason(),
                        skip.twinId(), 0, skip.detail())));
            }
        }
        List<List<Integer>> groups = groups(plans);
        List<Future<?>> futures = new ArrayList<>(groups.size());
        try {
            for (List<Integer> group : groups) {
                futures.add(executor.submit(() -> {
                    try (Observation.Scope scope = SafeObservations.openScope(observation)) {
                        runGroup(group, events, plans, results);
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    LOG.error("A lifecycle worker died; its unfinished events are reported as failed", e.getCause());
                }
            }
        } catch (RejectedExecutionException e) {
            LOG.warn("LifecycleProcessor is shutting down (or the host's executor refused the work); unfinished "
                    + "events are reported as failed: {}", e.getMessage());
            futures.forEach(f -> f.cancel(true));
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
        }
        List<EventOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventOutcome outcome = results.get(i);
            if (outcome == null) {
                outcome = finish(Timer.start(meters), new EventOutcome(i, events.get(i), LifecycleOutcome.FAILED,
                        OutcomeReason.INTERRUPTED, twinIdOf(plans[i]), 0, "processing was interrupted"));
                if (!results.compareAndSet(i, null, outcome)) {
                    outcome = results.get(i);
                }
            }
            outcomes.add(outcome);
        }
        BatchResult result = new BatchResult(outcomes);
        LOG.debug("Lifecycle batch done: {}", result.summary());
        return result;
    }

    /**
     * Groups the events that need ADT work so that events sharing a device id or a twin id land in one group, in
     * input order; groups run in parallel.
     */
    private static List<List<Integer>> groups(EventPlan[] plans) {
        int[] parent = new int[plans.length];
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < plans.length; i++) {
            parent[i] = i;
            if (plans[i] instanceof EventPlan.Skip) {
                continue;
            }
            for (String key : List.of("d:" + deviceIdOf(plans[i]), "t:" + twinIdOf(plans[i]))) {
                Integer other = owner.putIfAbsent(key, i);
                if (other != null) {
                    union(parent, i, other);
                }
            }
        }
        Map<Integer, List<Integer>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < plans.length; i++) {
            if (!(plans[i] instanceof EventPlan.Skip)) {
                byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
            }
        }
        List<List<Integer>> groups = new ArrayList<>(byRoot.values());
        groups.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
        return groups;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private void runGroup(List<Integer> group, List<? extends ParsedEvent> events, EventPlan[] plans,
                          AtomicReferenceArray<EventOutcome> results) {
        for (int index : group) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            EventOutcome outcome = execute(index, events.get(index), plans[index]);
            results.compareAndSet(index, null, outcome);
        }
    }

    private EventOutcome execute(int index, ParsedEvent event, EventPlan plan) {
        Timer.Sample sample = Timer.start(meters);
        String twinId = twinIdOf(plan);
        BudgetedRetry.Outcome<EventOutcome> outcome = retry.run(attempt -> {
            if (attempt > 1) {
                LOG.debug("Retrying {} (twin {}): attempt {}", event.describe(), twinId, attempt);
            }
            return attempt(index, event, plan, attempt);
        });
        if (outcome instanceof BudgetedRetry.Succeeded<EventOutcome> succeeded) {
            return finish(sample, succeeded.value());
        }
        BudgetedRetry.GaveUp<EventOutcome> gaveUp = (BudgetedRetry.GaveUp<EventOutcome>) outcome;
        RuntimeException failure = gaveUp.failure();
        int attempts = gaveUp.attempts();
        LOG.debug("{} (twin {}) gave up after {} attempt(s): {} ({})", event.describe(), twinId, attempts,
                summary(failure), gaveUp.reason());
        return switch (gaveUp.reason()) {
            case PERMANENT_FAILURE -> deadLetter(sample, index, event, twinId, OutcomeReason.PERMANENT_FAILURE,
                    attempts, failure);
            case ATTEMPTS_EXHAUSTED -> deadLetter(sample, index, event, twinId, OutcomeReason.RETRIES_EXHAUSTED,
                    attempts, failure);
            case DEADLINE_REACHED -> deadLetter(sample, index, event, twinId, OutcomeReason.BUDGET_EXHAUSTED,
                    attempts, failure);
            case INTERRUPTED -> finish(sample, new EventOutcome(index, event, LifecycleOutcome.FAILED,
                    OutcomeReason.INTERRUPTED, twinId, attempts, "interrupted while waiting to retry"));
        };
    }

    private EventOutcome attempt(int index, ParsedEvent event, EventPlan plan, int attempts) {
        if (plan instanceof EventPlan.Retire retire) {
            String deviceId = retire.request().deviceId();
            if (options.deviceRegistry().isPresent()) {
                DeviceRegistry registry = options.deviceRegistry().get();
                for (String hub : registry.hubHostNames()) {
                    if (registry.deviceExists(hub, deviceId)) {
                        return new EventOutcome(index, event, LifecycleOutcome.SKIPPED,
                                OutcomeReason.DEVICE_STILL_REGISTERED, retire.request().twinId(), attempts,
                                "device " + Identifiers.shown(deviceId) + " is still registered in hub " + hub
                                        + "; its twin is kept");
                    }
                }
            }
            RetirementResult result = options.retirementPolicy().retire(gateway, retire.request());
            Objects.requireNonNull(result, "the retirement policy returned null");
            return new EventOutcome(index, event, result == RetirementResult.RETIRED
                    ? LifecycleOutcome.RETIRED : LifecycleOutcome.ALREADY_GONE,
                    null, retire.request().twinId(), attempts, null);
        }
        EventPlan.Create create = (EventPlan.Create) plan;
        EnsuredTwin ensured = findOrCreate.ensureTwin(create.twinId(), create.modelId(), Map.of());
        return new EventOutcome(index, event, ensured.outcome() == EnsuredTwin.Outcome.CREATED
                ? LifecycleOutcome.CREATED : LifecycleOutcome.EXISTS,
                null, create.twinId(), attempts,
                ensured.outcome() == EnsuredTwin.Outcome.KEPT_OTHER_MODEL
                        ? "twin exists with model " + ensured.twin().modelId() + "; kept as it is" : null);
    }

    private EventOutcome deadLetter(Timer.Sample sample, int index, ParsedEvent event, String twinId,
                                    OutcomeReason reason, int attempts, RuntimeException failure) {
        Integer status = failure instanceof AdtException adt ? adt.statusCode() : null;
        String code = failure instanceof AdtException adt ? adt.errorCode() : null;
        DeadLetter letter = new DeadLetter(event, index, twinId, reason, attempts, failure.getClass().getSimpleName(),
                status, code, boundedMessage(failure), clock.instant());
        try {
            deadLetterSink.deadLetter(letter);
        } catch (RuntimeException sinkFailure) {
            LOG.error("Dead-letter sink failed for {} (twin {}); the event is neither applied nor parked: {}",
                    event.describe(), twinId, summary(sinkFailure));
            return finish(sample, new EventOutcome(index, event, LifecycleOutcome.FAILED,
                    OutcomeReason.DEAD_LETTER_SINK_FAILED, twinId, attempts,
                    "dead-letter sink failed after " + reason.code() + ": " + summary(sinkFailure)));
        }
        Counter.builder(DpsTwinMeters.LIFECYCLE_DEAD_LETTERS)
                .description("Lifecycle events handed to the dead-letter sink")
                .tag("reason", reason.code())
                .register(meters)
                .increment();
        return finish(sample, new EventOutcome(index, event, LifecycleOutcome.DEAD_LETTERED, reason, twinId, attempts,
                summary(failure)));
    }

    private EventOutcome finish(Timer.Sample sample, EventOutcome outcome) {
        String reason = outcome.reason() == null ? "none" : outcome.reason().code();
        Counter.builder(DpsTwinMeters.LIFECYCLE_EVENTS)
                .description("Lifecycle events by outcome")
                .tag("outcome", outcome.outcome().tagValue())
                .tag("reason", reason)
                .register(meters)
                .increment();
        sample.stop(Timer.builder(DpsTwinMeters.LIFECYCLE_EVENT_DURATION)
                .description("Time to apply a lifecycle event, retries included")
                .tag("outcome", outcome.outcome().tagValue())
                .register(meters));
        switch (outcome.outcome()) {
            case RETIRED, CREATED -> LOG.info("Lifecycle event {}: {} twin={}", outcome.outcome().tagValue(),
                    outcome.event().describe(), outcome.twinId());
            case SKIPPED, ALREADY_GONE, EXISTS -> LOG.debug("Lifecycle event {}{}: {} twin={} {}",
                    outcome.outcome().tagValue(), outcome.reason() == null ? "" : " (" + reason + ")",
                    outcome.event().describe(), outcome.twinId(), outcome.detail() == null ? "" : outcome.detail());
            default -> LOG.warn("Lifecycle event {} ({}): {} twin={} {}", outcome.outcome().tagValue(), reason,
                    outcome.event().describe(), outcome.twinId(), outcome.detail());
        }
        return outcome;
    }

    private static String twinIdOf(EventPlan plan) {
        if (plan instanceof EventPlan.Retire retire) {
            return retire.request().twinId();
        }
        if (plan instanceof EventPlan.Create create) {
            return create.twinId();
        }
        return plan instanceof EventPlan.Skip skip ? skip.twinId() : null;
    }

    private static String deviceIdOf(EventPlan plan) {
        if (plan instanceof EventPlan.Retire retire) {
            return retire.request().deviceId();
        }
        return ((EventPlan.Create) plan).event().deviceId();
    }

    private static String summary(Throwable failure) {
        String base = failure.getClass().getSimpleName();
        if (failure instanceof AdtException adt) {
            base += " " + adt.statusCode() + " " + adt.errorCode();
        }
        String message = boundedMessage(failure);
        return message == null ? base : base + ": " + message;
    }

    private static String boundedMessage(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return null;
        }
        return Text.clip(message, MAX_ERROR_MESSAGE);
    }

    /**
     * Stops the worker threads (or stops using the host's executor, which keeps running), letting running events
     * finish for up to 30 seconds.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link LifecycleProcessor}. */
    public static final class Builder {
        private final DigitalTwinsGateway gateway;
        private LifecycleOptions options = LifecycleOptions.defaults();
        private DeadLetterSink deadLetterSink = new LoggingDeadLetterSink();
        private MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private Executor executor;

        private Builder(DigitalTwinsGateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
        }

        public Builder options(LifecycleOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Where given-up events go; default {@link LoggingDeadLetterSink}. */
        public Builder deadLetterSink(DeadLetterSink sink) {
            this.deadLetterSink = Objects.requireNonNull(sink, "deadLetterSink");
            return this;
        }

        /** Where metrics go; without one, Micrometer's {@link Metrics#globalRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Where the {@value LifecycleProcessor#BATCH_OBSERVATION} observation of each batch goes; default
         * {@link ObservationRegistry#NOOP}.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
            return this;
        }

        /** The clock of the per-event budget (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How to wait between retries (tests). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Where the events run, e.g. an application server's managed executor or a virtual-thread executor: at most
         * {@link LifecycleOptions#parallelism()} of the processor's tasks at a time, the others waiting in order.
         * The processor never shuts it down ({@link #close()} only stops using it). Without one (the default), the
         * processor makes a pool of {@code parallelism} daemon threads of its own and shuts it down on close.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public LifecycleProcessor build() {
            return new LifecycleProcessor(this);
        }
    }
}
