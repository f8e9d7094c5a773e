package io.dpstwin.core;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.core.twins.AdtRateLimiters;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The whole library wired once per process: the provision flow ({@link #allocation()}), the retire flow
 * ({@link #lifecycle()}) and, when a device inventory is given, the repair flow ({@link #reconciler()}) over one ADT
 * base gateway, with shared client-side rate limiters, one meter registry (Micrometer's global registry unless one is
 * given) and one observation registry (none unless one is given).
 * Hosts (Azure Functions, Spring, plain Java) build one instance lazily and keep it; it is thread-safe.
 *
 * <p>The SDK's own retries are off; dps-twin's are bounded per flow. The allocation webhook retries each ADT call
 * briefly ({@link RetryBudget#allocation()}) and then answers 429/503 so that DPS retries the registration. The
 * lifecycle processor retries each call just as briefly, so that one throttled relationship delete does not restart
 * a whole retirement, and retries whole events (retirement is idempotent) within its per-event budget.
 *
 * <pre>{@code
 * DigitalTwinsClient client = DigitalTwinsClients.create("https://my-adt.api.weu.digitaltwins.azure.net", credential);
 * DpsTwin dpsTwin = DpsTwin.builder()
 *         .digitalTwinsClient(client)
 *         .defaultModelId("dtmi:contosocom:DigitalTwins:Thermostat;1")
 *         .meterRegistry(registry)
 *         .build();
 * WebhookResponse answer = dpsTwin.allocation().handle(requestBody);
 * }</pre>
 */
public final class DpsTwin implements AutoCloseable {

    private final DigitalTwinsGateway baseGateway;
    private final DpsAllocationHandler allocation;
    private final Reconciler reconciler;
    /** Builds the retire flow on first use: a host that only answers DPS never loads it. */
    private final Supplier<LifecycleProcessor> lifecycleFactory;
    private LifecycleProcessor lifecycle;
    private boolean closed;

    private DpsTwin(Builder b) {
        this.baseGateway = b.baseGateway;
        MeterRegistry registry = b.meterRegistry != null ? b.meterRegistry : Metrics.globalRegistry;

        AllocationOptions allocationOptions = b.allocationOptions;
        LifecycleOptions lifecycleOptions = b.lifecycleOptions;
        if (b.twinIdStrategy != null) {
            allocationOptions = allocationOptions.toBuilder().twinIdStrategy(b.twinIdStrategy).build();
            lifecycleOptions = lifecycleOptions.toBuilder().twinIdStrategy(b.twinIdStrategy).build();
        }
        if (b.defaultModelId != null) {
            allocationOptions = allocationOptions.toBuilder().defaultModel(b.defaultModelId).build();
            lifecycleOptions = lifecycleOptions.toBuilder().defaultModelId(b.defaultModelId).build();
        }

        AdtRateLimiters limiters = b.rateLimits == null ? null : new AdtRateLimiters(b.rateLimits, b.instances);
        DigitalTwinsGateway allocationGateway = stack(limiters, registry).retry(b.allocationRetry)
                .flow("allocation").decorate(baseGateway);

        this.reconciler = b.deviceInventory == null ? null
                : reconciler(b, stack(limiters, registry).retry(RetryBudget.lifecycle()).flow("reconcile")
                .decorate(baseGateway),
                lifecycleOptions, registry);
        this.allocation = new DpsAllocationHandler(allocationGateway, allocationOptions, registry,
                b.observationRegistry);
        LifecycleOptions retireOptions = lifecycleOptions;
        RetryBudget lifecycleCallRetry = b.lifecycleCallRetry;
        ObservationRegistry observationRegistry = b.observationRegistry;
        DeadLetterSink deadLetterSink = b.deadLetterSink;
        Executor executor = b.executor;
        this.lifecycleFactory = () -> {
            LifecycleProcessor.Builder processor = LifecycleProcessor.builder(
                            stack(limiters, registry).retry(lifecycleCallRetry).flow("lifecycle")
                                    .decorate(baseGateway))
                    .options(retireOptions)
                    .meterRegistry(registry)
                    .observationRegistry(observationRegistry);
            if (deadLetterSink != null) {
                processor.deadLetterSink(deadLetterSink);
            }
            if (executor != null) {
                processor.executor(executor);
            }
            return processor.build();
        };
    }

    /**
     * The reconciler agrees with the other flows unless its options say otherwise: the twin id strategy of the
     * builder (else the retire flow's, when the reconcile options keep the default), the default model of the
     * builder (else the retire flow's), the retire flow's retirement policy and registry guard.
     */
    private static Reconciler reconciler(Builder b, DigitalTwinsGateway gateway, LifecycleOptions lifecycleOptions,
                                         MeterRegistry registry) {
        ReconcileOptions.Builder options = b.reconcileOptions.toBuilder();
        if (b.twinIdStrategy != null) {
            options.twinIdStrategy(b.twinIdStrategy);
        } else if (b.reconcileOptions.twinIdStrategy() == TwinIdStrategy.deviceId()) {
            // a strategy set on LifecycleOptions only must still name the same twins here
            options.twinIdStrategy(lifecycleOptions.twinIdStrategy());
        }
        if (b.defaultModelId != null) {
            options.defaultModel(b.defaultModelId);
        } else if (b.reconcileOptions.defaultModel().isEmpty()) {
            lifecycleOptions.defaultModelId().ifPresent(options::defaultModel);
        }
        if (b.reconcileOptions.retirementPolicy().isEmpty()) {
            options.retirementPolicy(lifecycleOptions.retirementPolicy());
        }
        if (b.reconcileOptions.registryGuard().isEmpty()) {
            lifecycleOptions.deviceRegistry().ifPresent(options::registryGuard);
        }
        Reconciler.Builder reconciler = Reconciler.builder(gateway, b.deviceInventory)
                .options(options.build())
                .meterRegistry(registry)
                .observationRegistry(b.observationRegistry);
        if (b.executor != null) {
            reconciler.executor(b.executor);
        }
        return reconciler.build();
    }

    private static DigitalTwinsGateways.Builder stack(AdtRateLimiters limiters, MeterRegistry registry) {
        DigitalTwinsGateways.Builder stack = DigitalTwinsGateways.stack().meterRegistry(registry);
        return limiters == null ? stack.noRateLimits() : stack.rateLimiters(limiters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The provision flow: DPS custom allocation request body → webhook answer. */
    public DpsAllocationHandler allocation() {
        return allocation;
    }

    /**
     * The retire flow: parsed lifecycle events → one outcome per event. Built on the first call (its classes and
     * thread pool are not needed by a host that only answers DPS); after {@link #close()} it is a closed processor.
     */
    public synchronized LifecycleProcessor lifecycle() {
        if (lifecycle == null) {
            lifecycle = lifecycleFactory.get();
            if (closed) {
                lifecycle.close();
            }
        }
        return lifecycle;
    }

    /**
     * The repair flow, when a {@link Builder#deviceInventory device inventory} was given: compares the hubs'
     * registries with the twin graph; {@code reconciler().get().run(dryRun)} returns the report. Its gateway retries
     * each call within {@link RetryBudget#lifecycle()} and shares the rate limiters of the other flows.
     */
    public Optional<Reconciler> reconciler() {
        return Optional.ofNullable(reconciler);
    }

    /** The undecorated ADT gateway this instance talks to (for health checks and tooling). */
    public DigitalTwinsGateway gateway() {
        return baseGateway;
    }

    /**
     * Stops the lifecycle processor's worker threads, if it was built (a host's {@link Builder#executor executor} keeps
     * running).
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    /** Builds a {@link DpsTwin}; only the ADT client (or gateway) is required. Not thread-safe. */
    public static final class Builder {

        private DigitalTwinsGateway baseGateway;
        private AllocationOptions allocationOptions = AllocationOptions.defaults();
        private LifecycleOptions lifecycleOptions = LifecycleOptions.defaults();
        private TwinIdStrategy twinIdStrategy;
        private String defaultModelId;
        private AdtRateLimits rateLimits = AdtRateLimits.defaults();
        private InstanceRegistry instances = InstanceRegistry.single();
        private RetryBudget allocationRetry = RetryBudget.allocation();
        private RetryBudget lifecycleCallRetry = RetryBudget.allocation();
        private MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private DeadLetterSink deadLetterSink;
        private DeviceInventory deviceInventory;
        private ReconcileOptions reconcileOptions = ReconcileOptions.defaults();
        private Executor executor;

        private Builder() {
        }

        /**
         * The ADT client, built once per process with SDK retries off (see
         * {@link io.dpstwin.core.twins.DigitalTwinsClients}).
         */
        public Builder digitalTwinsClient(DigitalTwinsClient client) {
            this.baseGateway = new SdkDigitalTwinsGateway(Objects.requireNonNull(client, "client"));
            return this;
        }

        /** Any ADT gateway instead of a client, e.g. the testkit's in-memory ADT. */
        public Builder gateway(DigitalTwinsGateway gateway) {
            this.baseGateway = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        public Builder allocationOptions(AllocationOptions options) {
            this.allocationOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder lifecycleOptions(LifecycleOptions options) {
            this.lifecycleOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The twin id strategy of both flows (they must agree, or retirement looks for the wrong twin); overrides
         * the one in either options.
         */
        public Builder twinIdStrategy(TwinIdStrategy strategy) {
            this.twinIdStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The model of devices that name none: the global default of the allocation flow and the model of twins
         * created for {@code createDeviceIdentity} events; overrides the one in either options.
         */
        public Builder defaultModelId(String modelId) {
            this.defaultModelId = Objects.requireNonNull(modelId, "modelId");
            return this;
        }

        /** Client-side limits kept by both flows together (default: ADT's own limits). */
        public Builder rateLimits(AdtRateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The instances that share ADT's limits with this one (default {@link InstanceRegistry#single()}: none). Each
         * instance then keeps {@code limit / liveInstances()} of every instance-wide limit; see
         * {@link io.dpstwin.core.twins.BlobInstanceRegistry} for instances that share a storage account. The registry is the caller's to
         * close.
         */
        public Builder instanceRegistry(InstanceRegistry registry) {
            this.instances = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** No client-side rate limits (tests, or an ADT instance with raised limits managed elsewhere). */
        public Builder noRateLimits() {
            this.rateLimits = null;
            return this;
        }

        /** The per-call retry budget of the allocation webhook (default {@link RetryBudget#allocation()}). */
        public Builder allocationRetry(RetryBudget budget) {
            this.allocationRetry = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * The per-call retry budget under the lifecycle processor's event-level retries (default: the short
         * {@link RetryBudget#allocation()} budget; {@link RetryBudget#none()} leaves retrying to the event level).
         */
        public Builder lifecycleCallRetry(RetryBudget budget) {
            this.lifecycleCallRetry = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Where every flow's meters go (default: Micrometer's {@link Metrics#globalRegistry}, which the Application
         * Insights Java agent and Spring Boot's actuator export).
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Where the flows' Micrometer Observations go (default {@link ObservationRegistry#NOOP}): one per allocation
         * request ({@value DpsAllocationHandler#OBSERVATION}), lifecycle batch
         * ({@value LifecycleProcessor#BATCH_OBSERVATION}) and reconcile run ({@value Reconciler#RUN_OBSERVATION}).
         * With a tracing bridge (micrometer-tracing) each becomes a span.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Where the retire flow parks events it gave up on (default: a structured log record and a metric). */
        public Builder deadLetterSink(DeadLetterSink sink) {
            this.deadLetterSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The IoT hubs' devices, e.g. {@link io.dpstwin.core.reconcile.IotHubDeviceInventory}; enables
         * {@link DpsTwin#reconciler()}.
         */
        public Builder deviceInventory(DeviceInventory inventory) {
            this.deviceInventory = Objects.requireNonNull(inventory, "inventory");
            return this;
        }

        /**
         * Options of the reconciler (default {@link ReconcileOptions#defaults()}); the builder's twin id strategy and
         * default model override theirs, and the retire flow's retirement policy and registry guard apply unless
         * these options set their own.
         */
        public Builder reconcileOptions(ReconcileOptions options) {
            this.reconcileOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The host's executor, where the retire flow's events and the reconciler's listings and actions run instead
         * of on thread pools of their own: e.g. a virtual-thread executor on Java 21
         * ({@code Executors.newVirtualThreadPerTaskExecutor()}), or an application server's managed executor. Each
         * flow still runs at most its {@code parallelism} ({@link LifecycleOptions#parallelism()},
         * {@link ReconcileOptions#parallelism()}) of its tasks at a time on it. dps-twin never shuts it down: the
         * host that made it does. Default: pools of dps-twin's own, which {@link DpsTwin#close()} stops.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @throws IllegalStateException    when neither a client nor a gateway was given
         * @throws IllegalArgumentException when a device inventory is given but no device model is known (neither
         *                                  {@link #defaultModelId} nor {@link ReconcileOptions#deviceModels()})
         */
        public DpsTwin build() {
            if (baseGateway == null) {
                throw new IllegalStateException(
                        "no ADT client: call digitalTwinsClient(client) or gateway(gateway) before build()");
            }
            return new DpsTwin(this);
        }
    }
}
