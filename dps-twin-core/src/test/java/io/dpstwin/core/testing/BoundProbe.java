package io.dpstwin.core.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the tasks that run at once under a bound, and on which threads. The first {@code bound} tasks wait for each
 * other, so that the bound is reached; a task past the bound would show in {@link #maxRunning()}.
 */
public final class BoundProbe {

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstOnes;

    public BoundProbe(int bound) {
        this.firstOnes = new CountDownLatch(bound);
    }

    /** Runs {@code task} as one counted task. */
    public void run(Runnable task) throws InterruptedException {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        threads.add(Thread.currentThread().getName());
        firstOnes.countDown();
        try {
            firstOnes.await(5, TimeUnit.SECONDS);
            Thread.sleep(2);
            task.run();
        } finally {
            running.decrementAndGet();
        }
    }

    /** The most tasks that ran at once. */
    public int maxRunning() {
        return maxRunning.get();
    }

    /** The thread of every task, in the order they started. */
    public List<String> threads() {
        synchronized (threads) {
            return List.copyOf(threads);
        }
    }
}
