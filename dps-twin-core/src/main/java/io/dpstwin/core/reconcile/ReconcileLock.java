package io.dpstwin.core.reconcile;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets one reconcile run at a time go ahead across every instance of an application. A run that cannot take the lock
 * is skipped, not queued: the next scheduled run tries again, and the holder's run repairs the same drift anyway.
 *
 * <p>Implementations: {@link #local()} (one process), {@link BlobLeaseReconcileLock} (an Azure Storage blob lease,
 * for replicas that share a storage account), or your own, e.g. on a database table (ShedLock-style):
 * <pre>{@code
 * ReconcileLock lock = () -> lockProvider.lock(new LockConfiguration(Instant.now(), "dps-twin-reconcile",
 *                 Duration.ofMinutes(30), Duration.ZERO))
 *         .map(held -> new ReconcileLock.Held() {
 *             public boolean isHeld() { return true; }
 *             public void close() { held.unlock(); }
 *         });
 * }</pre>
 */
@FunctionalInterface
public interface ReconcileLock {

    /**
     * Takes the lock if nobody holds it, without waiting.
     *
     * @return the held lock, to be closed when the run is over; empty when another run holds it
     * @throws ReconcileLockException when it cannot be told whether the lock is free (e.g. storage unreachable)
     */
    Optional<Held> tryAcquire();

    /** Who holds the lock now, when the implementation can tell (for the log line of a run that is skipped). */
    default Optional<String> holder() {
        return Optional.empty();
    }

    /** A lock held by this run. */
    interface Held extends AutoCloseable {

        /** {@code false} once the lock was lost while held (e.g. a lease that could not be renewed in time). */
        boolean isHeld();

        /** Releases the lock; never throws. */
        @Override
        void close();
    }

    /**
     * A lock within this process only: enough for a single instance, or where the host runs one timer for the whole
     * app anyway (an Azure Functions timer trigger is a singleton). It may be released from another thread than the
     * one that took it.
     */
    static ReconcileLock local() {
        AtomicBoolean taken = new AtomicBoolean();
        return () -> {
            if (!taken.compareAndSet(false, true)) {
                return Optional.empty();
            }
            AtomicBoolean held = new AtomicBoolean(true);
            return Optional.of(new Held() {
                @Override
                public boolean isHeld() {
                    return held.get();
                }

                @Override
                public void close() {
                    if (held.compareAndSet(true, false)) {
                        taken.set(false);
                    }
                }
            });
        };
    }
}
