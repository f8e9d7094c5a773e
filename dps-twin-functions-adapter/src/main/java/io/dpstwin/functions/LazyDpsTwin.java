package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Holds the one {@link DpsTwin} of a process and builds it lazily, on the first {@link #get()}: concurrent first
 * invocations wait for one build instead of building several. A build that fails is not remembered, so the next
 * invocation tries again (and fails again with the same clear message while the settings stay wrong).
 *
 * <p>Test seam: {@link #install(DpsTwin)} puts a ready instance in place (the caller keeps ownership and closes it),
 * {@link #install(DpsTwinFactory)} replaces the factory, and {@link #reset()} closes an instance this holder built,
 * forgets any instance and returns to the factory given to the constructor. Thread-safe.
 *
 * <p>{@link #applyReconcile()} tells the reconcile timer whether to repair drift or only report it, as the current
 * factory says ({@link DpsTwinFactory#applyReconcile()}); an instance installed with {@link #install(DpsTwin)} is
 * reconciled as a dry run.
 */
public final class LazyDpsTwin implements Supplier<DpsTwin> {

    private final DpsTwinFactory defaultFactory;
    private final Object lock = new Object();
    private volatile DpsTwinFactory factory;
    private volatile DpsTwin instance;
    private volatile boolean installedInstance;
    private boolean ownsInstance;

    /** @param factory builds the instance on first use */
    public LazyDpsTwin(DpsTwinFactory factory) {
        this.defaultFactory = Objects.requireNonNull(factory, "factory");
        this.factory = factory;
    }

    /**
     * The instance, built on the first call.
     *
     * @throws RuntimeException whatever the factory threw, e.g. a {@link FunctionsSettingsException}
     */
    @Override
    public DpsTwin get() {
        DpsTwin ready = instance;
        if (ready != null) {
            return ready;
        }
        synchronized (lock) {
            if (instance == null) {
                DpsTwin built = factory.create();
                if (built == null) {
                    throw new IllegalStateException("the DpsTwin factory returned null");
                }
                ownsInstance = true;
                instance = built;
            }
            return instance;
        }
    }

    /**
     * Whether the reconcile timer repairs drift: what the current factory says, or {@code false} (a dry run) while an
     * instance installed with {@link #install(DpsTwin)} is in use.
     *
     * @throws RuntimeException whatever the factory threw, e.g. a {@link FunctionsSettingsException}
     */
    public boolean applyReconcile() {
        return !installedInstance && factory.applyReconcile();
    }

    /** Whether an instance is built or installed. */
    public boolean isInitialized() {
        return instance != null;
    }

    /** Uses {@code dpsTwin} from now on; the caller keeps ownership (this holder never closes it). */
    public void install(DpsTwin dpsTwin) {
        Objects.requireNonNull(dpsTwin, "dpsTwin");
        synchronized (lock) {
            closeOwned();
            installedInstance = true;
            instance = dpsTwin;
        }
    }

    /** Builds the instance with {@code factory} from now on (on the next {@link #get()}). */
    public void install(DpsTwinFactory factory) {
        useFactory(Objects.requireNonNull(factory, "factory"));
    }

    /** Closes an instance this holder built, forgets any instance and returns to the constructor's factory. */
    public void reset() {
        useFactory(defaultFactory);
    }

    private void useFactory(DpsTwinFactory next) {
        synchronized (lock) {
            closeOwned();
            instance = null;
            installedInstance = false;
            factory = next;
        }
    }

    private void closeOwned() {
        DpsTwin current = instance;
        if (current != null && ownsInstance) {
            current.close();
        }
        ownsInstance = false;
    }
}
