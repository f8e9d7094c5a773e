package io.dpstwin.core.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host's unbounded executor for tests, like a virtual-thread-per-task executor: a new thread (named
 * {@code host-N}) whenever none is idle. Counts the tasks it was given, how many ran at once at most, and the names of
 * the threads that ran them.
 */
public final class HostExecutor implements Executor, AutoCloseable {

    public static final String THREAD_PREFIX = "host-";

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, THREAD_PREFIX + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger tasks = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final Set<String> threadNames = ConcurrentHashMap.newKeySet();

    @Override
    public void execute(Runnable task) {
        tasks.incrementAndGet();
        pool.execute(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            threadNames.add(Thread.currentThread().getName());
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    /** Tasks given to this executor. */
    public int tasks() {
        return tasks.get();
    }

    /** The most tasks that ran at once. */
    public int maxRunning() {
        return maxRunning.get();
    }

    public Set<String> threadNames() {
        return threadNames;
    }

    /** Whether the host's executor was shut down (by its owner only). */
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    /** Runs a probe task on the host's executor and waits for it: proves the executor still works. */
    public boolean stillRuns() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        execute(ran::countDown);
        return ran.await(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
