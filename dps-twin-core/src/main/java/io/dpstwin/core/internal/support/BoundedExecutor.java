package io.dpstwin.core.internal.support;

import io.dpstwin.core.support.Checks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workers of a flow that runs work in parallel: either a fixed pool of its own, or a view of a host's
 * {@link Executor} (e.g. Spring Boot's virtual-thread {@code applicationTaskExecutor}) that runs at most
 * {@code maxConcurrency} tasks at a time on it, the others waiting in this view's queue in submission order.
 *
 * <p>Whoever creates the {@link ExecutorService} shuts it down. Shutting down the view never shuts down the host's
 * executor: {@link #shutdown()} refuses new tasks and lets queued ones finish; {@link #shutdownNow()} drops the queued
 * ones and interrupts the running ones (only while they run this view's tasks: a host thread is never left
 * interrupted); {@link #awaitTermination} waits for the view's own tasks. {@link java.util.concurrent.Future#cancel
 * Future.cancel(true)} interrupts the host thread running the task, as on a pool.
 */
public final class BoundedExecutor extends AbstractExecutorService {

    private final Executor executor;
    private final int maxConcurrency;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Set<Thread> running = new HashSet<>();
    private int drainers;
    private boolean shutdown;

    private BoundedExecutor(Executor executor, int maxConcurrency) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.maxConcurrency = Checks.atLeast(maxConcurrency, 1, "maxConcurrency");
    }

    /** A view of {@code executor} that runs at most {@code maxConcurrency} of its tasks at a time. */
    public static BoundedExecutor on(Executor executor, int maxConcurrency) {
        return new BoundedExecutor(executor, maxConcurrency);
    }

    /**
     * {@code size} workers: on {@code hostExecutor} (at most {@code size} at a time) when one is given, else a fixed
     * pool of {@code size} threads made by {@code ownThreads}.
     */
    public static ExecutorService workers(Executor hostExecutor, int size, ThreadFactory ownThreads) {
        return hostExecutor != null ? on(hostExecutor, size) : Executors.newFixedThreadPool(size, ownThreads);
    }

    /**
     * A factory of daemon threads named {@code namePrefix} followed by a count from 1, so that a forgotten pool never
     * keeps the JVM alive and a thread dump tells whose threads they are.
     */
    public static ThreadFactory daemonThreads(String namePrefix) {
        Objects.requireNonNull(namePrefix, "namePrefix");
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The most tasks this view runs at once. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("the workers are shut down");
            }
            queue.addLast(task);
            if (drainers >= maxConcurrency) {
                return;
            }
            drainers++;
        }
        try {
            executor.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (lock) {
                drainers--;
                // Another worker of this view takes the task when there is one; else it is refused.
                boolean refused = drainers == 0 && queue.removeLastOccurrence(task);
                lock.notifyAll();
                if (refused) {
                    throw e instanceof RejectedExecutionException rejected ? rejected
                            : new RejectedExecutionException("the host's executor refused the task", e);
                }
            }
        }
    }

    private void drain() {
        Thread self = Thread.currentThread();
        while (true) {
            Runnable task;
            synchronized (lock) {
                task = queue.pollFirst();
                if (task == null) {
                    drainers--;
                    lock.notifyAll();
                    return;
                }
                running.add(self);
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // As on a pool: the failure of a task given to execute() goes to the thread's handler; the view goes on.
                self.getUncaughtExceptionHandler().uncaughtException(self, e);
            } finally {
                synchronized (lock) {
                    running.remove(self);
                }
                // An interrupt meant for this view's task must not reach the host's next task on this thread.
                Thread.interrupted();
            }
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            lock.notifyAll();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            List<Runnable> dropped = new ArrayList<>(queue);
            queue.clear();
            running.forEach(Thread::interrupt);
            lock.notifyAll();
            return dropped;
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && drainers == 0;
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && drainers == 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "BoundedExecutor[at most " + maxConcurrency + " at a time on " + executor + "]";
    }
}
