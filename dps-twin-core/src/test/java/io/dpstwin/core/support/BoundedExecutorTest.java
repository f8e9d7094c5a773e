package io.dpstwin.core.support;

import io.dpstwin.core.testing.BoundProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.support.BoundedExecutor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedExecutorTest {

    private final HostExecutor host = new HostExecutor();

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void runsEveryTaskOnTheHostsExecutorAtMostTheBoundAtATime() throws Exception {
        BoundedExecutor workers = BoundedExecutor.on(host, 3);
        BoundProbe probe = new BoundProbe(3);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(workers.submit(() -> {
                probe.run(() -> { });
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }

        assertThat(probe.threads()).hasSize(20)
                .allSatisfy(name -> assertThat(name).startsWith(HostExecutor.THREAD_PREFIX));
        assertThat(probe.maxRunning()).isEqualTo(3);
        assertThat(host.maxRunning()).isLessThanOrEqualTo(3);
    }

    @Test
    void shuttingTheViewDownLetsQueuedTasksFinishAndLeavesTheHostsExecutorRunning() throws Exception {
        BoundedExecutor workers = BoundedExecutor.on(host, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        workers.execute(() -> {
            await(release);
            done.incrementAndGet();
        });
        workers.execute(done::incrementAndGet);

        workers.shutdown();

        assertThat(workers.isShutdown()).isTrue();
        assertThat(workers.isTerminated()).isFalse();
        assertThatThrownBy(() -> workers.execute(done::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done.get()).isEqualTo(2);
        assertThat(host.isShutdown()).isFalse();
        assertThat(host.stillRuns()).isTrue();
    }

    @Test
    void shutdownNowDropsQueuedTasksAndInterruptsRunningOnesButNotTheHostThreadAfterwards() throws Exception {
        ThreadPoolExecutor single = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        try {
            BoundedExecutor workers = BoundedExecutor.on(single, 1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            workers.execute(() -> {
                started.countDown();
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            Runnable queued = () -> { };
            workers.execute(queued);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            List<Runnable> dropped = workers.shutdownNow();

            assertThat(dropped).containsExactly(queued);
            assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted).isTrue();
            // the host's one thread runs its next task without a leftover interrupt
            Future<Boolean> next = single.submit(() -> Thread.currentThread().isInterrupted());
            assertThat(next.get(5, TimeUnit.SECONDS)).isFalse();
            assertThat(single.isShutdown()).isFalse();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void cancellingAFutureInterruptsTheHostThreadRunningIt() throws Exception {
        BoundedExecutor workers = BoundedExecutor.on(host, 2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<?> future = workers.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        future.cancel(true);

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskTheHostRefusesIsRefusedToTheCaller() {
        ExecutorService closed = Executors.newSingleThreadExecutor();
        closed.shutdown();
        BoundedExecutor workers = BoundedExecutor.on(closed, 2);

        assertThatThrownBy(() -> workers.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        assertThat(workers.isTerminated()).isFalse();
        workers.shutdown();
        assertThat(workers.isTerminated()).isTrue();
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() throws Exception {
        BoundedExecutor workers = BoundedExecutor.on(host, 1);
        List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch second = new CountDownLatch(1);
        workers.execute(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
            throw new IllegalStateException("boom");
        });
        workers.execute(second::countDown);

        assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
    }

    @Test
    void withoutAHostExecutorTheWorkersAreAPoolOfTheirOwn() throws Exception {
        ExecutorService own = BoundedExecutor.workers(null, 2, task -> new Thread(task, "own-thread"));
        try {
            assertThat(own).isNotInstanceOf(BoundedExecutor.class);
            assertThat(own.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
                    .isEqualTo("own-thread");
        } finally {
            own.shutdownNow();
        }
        assertThat(BoundedExecutor.workers(host, 2, task -> new Thread(task))).isInstanceOf(BoundedExecutor.class)
                .extracting(e -> ((BoundedExecutor) e).maxConcurrency()).isEqualTo(2);
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatThrownBy(() -> BoundedExecutor.on(host, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConcurrency");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void daemonThreadsAreNumberedDaemonsSoThatAForgottenPoolNeverKeepsTheJvmAlive() {
        ThreadFactory threads = BoundedExecutor.daemonThreads("dpstwin-test-");

        Thread first = threads.newThread(() -> { });
        Thread second = threads.newThread(() -> { });

        assertThat(first.isDaemon()).isTrue();
        assertThat(List.of(first.getName(), second.getName())).containsExactly("dpstwin-test-1", "dpstwin-test-2");
    }
}
