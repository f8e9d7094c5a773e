package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.functions.testing.BuiltDpsTwins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LazyDpsTwinTest {

    @RegisterExtension
    final BuiltDpsTwins built = new BuiltDpsTwins();

    private DpsTwin newDpsTwin() {
        return built.track(UnreachableAdt.dpsTwin());
    }

    /** A holder whose factory counts its builds in {@code calls}. */
    private LazyDpsTwin countingBuilds(AtomicInteger calls) {
        return new LazyDpsTwin(() -> {
            calls.incrementAndGet();
            return newDpsTwin();
        });
    }

    @Test
    void buildsNothingBeforeTheFirstUse() {
        AtomicInteger calls = new AtomicInteger();
        LazyDpsTwin holder = countingBuilds(calls);

        assertThat(holder.isInitialized()).isFalse();
        assertThat(calls).hasValue(0);
    }

    @Test
    void concurrentFirstInvocationsShareOneBuild() throws Exception {
        int threads = 16;
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        LazyDpsTwin holder = new LazyDpsTwin(() -> {
            calls.incrementAndGet();
            try {
                // hold the build until every caller is on its way in, so that they really contend
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return newDpsTwin();
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DpsTwin>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    entered.incrementAndGet();
                    return holder.get();
                }));
            }
            start.countDown();
            while (entered.get() < threads) {
                Thread.onSpinWait();
            }
            release.countDown();
            Set<DpsTwin> seen = ConcurrentHashMap.newKeySet();
            for (Future<DpsTwin> result : results) {
                seen.add(result.get(10, TimeUnit.SECONDS));
            }

            assertThat(calls).hasValue(1);
            assertThat(seen).hasSize(1);
            assertThat(holder.isInitialized()).isTrue();
            assertThat(holder.get()).isSameAs(seen.iterator().next());
            assertThat(calls).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedBuildIsNotRememberedSoTheNextInvocationTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        LazyDpsTwin holder = new LazyDpsTwin(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first build fails");
            }
            return newDpsTwin();
        });

        assertThatThrownBy(holder::get).hasMessage("first build fails");
        assertThat(holder.isInitialized()).isFalse();
        DpsTwin second = holder.get();
        assertThat(holder.get()).isSameAs(second);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFactoryThatReturnsNullIsAnError() {
        LazyDpsTwin holder = new LazyDpsTwin(() -> null);

        assertThatThrownBy(holder::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void resetClosesTheInstanceItBuiltAndBuildsAgainOnNextUse() {
        AtomicInteger calls = new AtomicInteger();
        LazyDpsTwin holder = countingBuilds(calls);
        DpsTwin first = holder.get();

        holder.reset();

        assertThat(holder.isInitialized()).isFalse();
        assertThatThrownBy(() -> first.lifecycle().process(List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(holder.get()).isNotSameAs(first);
        assertThat(calls).hasValue(2);
    }

    @Test
    void anInstalledInstanceIsUsedAndNeverClosedByTheHolder() {
        AtomicInteger calls = new AtomicInteger();
        LazyDpsTwin holder = countingBuilds(calls);
        DpsTwin mine = newDpsTwin();

        holder.install(mine);
        assertThat(holder.get()).isSameAs(mine);
        holder.reset();

        assertThat(mine.lifecycle().process(List.of()).size()).isZero();
        assertThat(calls).hasValue(0);
    }

    @Test
    void anInstalledFactoryReplacesTheBuiltInstanceUntilReset() {
        LazyDpsTwin holder = new LazyDpsTwin(this::newDpsTwin);
        DpsTwin fromDefault = holder.get();
        AtomicInteger otherCalls = new AtomicInteger();

        holder.install(() -> {
            otherCalls.incrementAndGet();
            return newDpsTwin();
        });

        assertThatThrownBy(() -> fromDefault.lifecycle().process(List.of())).isInstanceOf(IllegalStateException.class);
        DpsTwin fromOther = holder.get();
        assertThat(fromOther).isNotSameAs(fromDefault);
        assertThat(otherCalls).hasValue(1);
        holder.reset();
        assertThat(holder.get()).isNotSameAs(fromOther);
        assertThat(otherCalls).hasValue(1);
    }
}
