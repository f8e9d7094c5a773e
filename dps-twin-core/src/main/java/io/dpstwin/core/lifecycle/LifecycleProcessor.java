package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.SafeObservations;
import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.retirement.RetirementIncompleteException;
import io.dpstwin.core.retirement.RetirementResult;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.EnsuredTwin;
import io.dpstwin.core.twins.FindOrCreateTwin;
import io.dpstwin.core.twins.ModelMismatchPolicy;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
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
 *       different devices run in parallel on the processor's own pool of {@code parallelism} threads.</li>
 *   <li><b>Retries</b>: transient failures (ADT 408/429/5xx/no answer, transient registry failures, a retirement
 *       that could not finish yet) re-run the event's whole action (it is idempotent) with exponential backoff,
 *       never sooner than {@code Retry-After}, within the per-event budget and attempt limit (resilience4j
 *       {@link Retry}); then, or at once for permanent failures, the event goes to the {@link DeadLetterSink}. If
 *       the sink throws, the outcome is {@link LifecycleOutcome#FAILED}.</li>
 *   <li><b>Metrics</b>: counter {@code dpstwin.lifecycle.events} (tags {@code outcome}, {@code reason}), timer
 *       {@code dpstwin.lifecycle.event.duration} (tag {@code outcome}), counter
 *       {@code dpstwin.lifecycle.dead_letters} (tag {@code reason}).</li>
 * </ul>
 * Thread-safe; {@link #process} may be called concurrently (e.g. one call per Event Hubs partition). Close it to
 * stop its threads. Never call {@link #process} from a {@link DeadLetterSink} or policy (it would wait on itself).
 */
public final class LifecycleProcessor implements AutoCloseable {

    public static final String EVENTS_METER = "dpstwin.lifecycle.events";
    public static final String DURATION_METER = "dpstwin.lifecycle.event.duration";
    public static final String DEAD_LETTERS_METER = "dpstwin.lifecycle.dead_letters";
    /**
     * The Micrometer Observation around each {@link #process} call (span name {@code lifecycle batch}), in scope on
     * the worker threads too: low-cardinality key {@code settled}, high-cardinality keys {@code events} and
     * {@code outcome.<outcome>} (counts).
     */
    public static final String BATCH_OBSERVATION = "dpstwin.lifecycle.batch";

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);
    private static final int MAX_ERROR_MESSAGE = 500;
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
    private final Retry retry;
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
        this.retry = Retry.of("dpstwin-lifecycle", retryConfig(options));
        this.executor = Executors.newFixedThreadPool(options.parallelism(), threadFactory());
    }

    /** A processor with the default dead-letter sink, Micrometer's global meter registry and real time. */
    public LifecycleProcessor(DigitalTwinsGateway gateway, LifecycleOptions options) {
        this(builder(gateway).options(options));
    }

    public static Builder builder(DigitalTwinsGateway gateway) {
        return new Builder(gateway);
    }

    private static RetryConfig retryConfig(LifecycleOptions options) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                options.initialBackoff(), 2.0, 0.5, options.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, result) -> {
            long wait = backoff.apply(attempt);
            if (result.isLeft() && result.getLeft() instanceof AdtException adt && adt.retryAfter().isPresent()) {
                wait = Math.max(wait, adt.retryAfter().get().toMillis());
            }
            return wait;
        };
        return RetryConfig.custom()
                .maxAttempts(options.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(LifecycleProcessor::isTransient)
                .build();
    }

    private static ThreadFactory threadFactory() {
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "dpstwin-lifecycle-" + pool + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
            LOG.warn("LifecycleProcessor is shutting down; unfinished events are reported as failed");
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
        Instant deadline = clock.instant().plus(options.eventBudget());
        Retry.AsyncContext<Object> context = retry.asyncContext();
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                EventOutcome outcome = attempt(index, event, plan, attempts);
                context.onComplete();
                return finish(sample, outcome);
            } catch (RuntimeException failure) {
                if (!isTransient(failure)) {
                    return deadLetter(sample, index, event, twinId, OutcomeReason.PERMANENT_FAILURE, attempts, failure);
                }
                long delay = context.onError(failure);
                if (delay < 0) {
                    return deadLetter(sample, index, event, twinId, OutcomeReason.RETRIES_EXHAUSTED, attempts, failure);
                }
                if (clock.instant().plusMillis(delay).isAfter(deadline)) {
                    return deadLetter(sample, index, event, twinId, OutcomeReason.BUDGET_EXHAUSTED, attempts, failure);
                }
                LOG.debug("Transient failure on attempt {} for {} (twin {}): {}; retrying in {} ms", attempts,
                        event.describe(), twinId, summary(failure), delay);
                try {
                    sleeper.sleep(Duration.ofMillis(delay));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return finish(sample, new EventOutcome(index, event, LifecycleOutcome.FAILED,
                            OutcomeReason.INTERRUPTED, twinId, attempts, "interrupted while waiting to retry"));
                }
            }
        }
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
                                "device " + LogSafe.id(deviceId) + " is still registered in hub " + hub
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
        meters.counter(DEAD_LETTERS_METER, "reason", reason.code()).increment();
        return finish(sample, new EventOutcome(index, event, LifecycleOutcome.DEAD_LETTERED, reason, twinId, attempts,
                summary(failure)));
    }

    private EventOutcome finish(Timer.Sample sample, EventOutcome outcome) {
        String reason = outcome.reason() == null ? "none" : outcome.reason().code();
        meters.counter(EVENTS_METER, "outcome", outcome.outcome().tagValue(), "reason", reason).increment();
        sample.stop(meters.timer(DURATION_METER, "outcome", outcome.outcome().tagValue()));
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
        return message.length() <= MAX_ERROR_MESSAGE ? message : message.substring(0, MAX_ERROR_MESSAGE - 3) + "...";
    }

    /** Stops the worker threads, letting running events finish for up to 30 seconds. */
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

        public LifecycleProcessor build() {
            return new LifecycleProcessor(this);
        }
    }
}
