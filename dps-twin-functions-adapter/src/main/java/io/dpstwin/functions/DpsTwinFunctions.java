package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;

/**
 * The entry point for an app's {@code @FunctionName} methods: one handler per trigger, all sharing one
 * {@link DpsTwin} built lazily, once per process, from the app settings ({@link FunctionsDpsTwinFactory}).
 *
 * <pre>{@code
 * return DpsTwinFunctions.allocation().handle(request, context);                          // HTTP trigger (DPS)
 * DpsTwinFunctions.eventHubsLifecycle().handle(messages, properties, systemProperties, context);  // Event Hubs
 * DpsTwinFunctions.eventGridLifecycle().handle(event, context);                            // Event Grid
 * DpsTwinFunctions.reconcile().handle(timerInfo, context);                                  // timer (reconciler)
 * }</pre>
 *
 * <p>Tests (and apps that build dps-twin themselves) replace the instance with {@link #install(DpsTwin)} or
 * {@link #install(DpsTwinFactory)} and go back to the app settings with {@link #reset()}. A handler of your own
 * takes {@link #holder()} as its {@code Supplier<DpsTwin>}.
 */
public final class DpsTwinFunctions {

    private static final LazyDpsTwin HOLDER = new LazyDpsTwin(FunctionsDpsTwinFactory.fromEnvironment());
    private static final AllocationHandler ALLOCATION = new AllocationHandler(HOLDER);
    private static final EventHubsLifecycleHandler EVENT_HUBS = new EventHubsLifecycleHandler(HOLDER);
    private static final EventGridLifecycleHandler EVENT_GRID = new EventGridLifecycleHandler(HOLDER);
    private static final ReconcileTimerHandler RECONCILE = new ReconcileTimerHandler(HOLDER);

    private DpsTwinFunctions() {
    }

    /** The DPS custom allocation webhook (HTTP trigger). */
    public static AllocationHandler allocation() {
        return ALLOCATION;
    }

    /** Lifecycle events routed to Event Hubs (Event Hubs trigger, {@code cardinality = MANY}). */
    public static EventHubsLifecycleHandler eventHubsLifecycle() {
        return EVENT_HUBS;
    }

    /** Lifecycle events published through Event Grid (Event Grid trigger). */
    public static EventGridLifecycleHandler eventGridLifecycle() {
        return EVENT_GRID;
    }

    /**
     * The reconciler on a timer trigger: a dry run unless {@code DPSTWIN_RECONCILE_APPLY=true}; a warning and no run
     * when the app has no reconciler ({@code DPSTWIN_RECONCILE_HUBHOSTNAMES} unset).
     */
    public static ReconcileTimerHandler reconcile() {
        return RECONCILE;
    }

    /** The process's holder, shared by every handler. */
    public static LazyDpsTwin holder() {
        return HOLDER;
    }

    /** Every handler uses {@code dpsTwin} from now on; the caller keeps ownership. */
    public static void install(DpsTwin dpsTwin) {
        HOLDER.install(dpsTwin);
    }

    /** Every handler uses an instance built by {@code factory} (on first use) from now on. */
    public static void install(DpsTwinFactory factory) {
        HOLDER.install(factory);
    }

    /** Back to an instance built from the app settings on first use; closes the one built before. */
    public static void reset() {
        HOLDER.reset();
    }
}
