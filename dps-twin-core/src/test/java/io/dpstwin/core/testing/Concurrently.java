package io.dpstwin.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a task on many threads released at the same moment, so that they really contend (shared through core's test-jar). */
public final class Concurrently {

    private static final long TIMEOUT_SECONDS = 30;

    /** One thread's part; {@code index} counts the threads from 0. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int index) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Starts {@code threads} threads, releases them together once all are ready, and returns what each returned, in
     * thread order.
     *
     * @throws java.util.concurrent.ExecutionException when a thread threw (its assertion failed)
     */
    public static <T> List<T> startTogether(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.run(index);
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the threads did not start");
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
