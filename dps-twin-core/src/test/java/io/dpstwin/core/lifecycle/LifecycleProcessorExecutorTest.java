package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.ForwardingGateway;
import io.dpstwin.core.retirement.TwinGraph;
import io.dpstwin.core.support.HostExecutor;
import io.dpstwin.core.testing.BoundProbe;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.dpstwin.core.lifecycle.LifecycleMessages.deviceDeleted;
import static org.assertj.core.api.Assertions.assertThat;

/** The retire flow on a host's executor: the host's threads run the events, never more than the parallelism. */
class LifecycleProcessorExecutorTest {

    private final HandFakeGateway fake = new HandFakeGateway();
    private final HostExecutor host = new HostExecutor();

    @AfterEach
    void closeHost() {
        host.close();
    }

    /** Counts the deletions running at once (see {@link BoundProbe}). */
    private static final class ConcurrencyProbe extends ForwardingGateway {
        final BoundProbe bound;

        ConcurrencyProbe(HandFakeGateway delegate, int bound) {
            super(delegate);
            this.bound = new BoundProbe(bound);
        }

        @Override
        public void deleteTwin(String twinId, String ifMatch) {
            try {
                bound.run(() -> super.deleteTwin(twinId, ifMatch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theHostsExecutorRunsTheEventsAtMostParallelismAtATimeAndOutlivesTheProcessor() throws Exception {
        TwinGraph graph = new TwinGraph(fake);
        List<ParsedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            graph.twin("dev-" + i);
            batch.add(deviceDeleted("hub-a", "dev-" + i));
        }
        ConcurrencyProbe probe = new ConcurrencyProbe(fake, 3);
        LifecycleProcessor processor = LifecycleProcessor.builder(probe)
                .options(LifecycleOptions.builder().parallelism(3).build())
                .sleeper(new TestClocks.RecordingSleeper())
                .executor(host)
                .build();

        BatchResult result = processor.process(batch);
        processor.close();

        assertThat(result.count(LifecycleOutcome.RETIRED)).isEqualTo(12);
        assertThat(fake.twinCount()).isZero();
        assertThat(probe.bound.threads()).isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith(HostExecutor.THREAD_PREFIX));
        assertThat(host.tasks()).isPositive();
        // the bound is reached (the first three wait for each other) and never passed
        assertThat(probe.bound.maxRunning()).isEqualTo(3);
        assertThat(host.maxRunning()).isLessThanOrEqualTo(3);
        // closing the processor stops using the host's executor; it does not shut it down
        assertThat(host.isShutdown()).isFalse();
        assertThat(host.stillRuns()).isTrue();
    }

    @Test
    void twoConcurrentBatchesShareTheParallelismBound() throws Exception {
        TwinGraph graph = new TwinGraph(fake);
        List<ParsedEvent> first = new ArrayList<>();
        List<ParsedEvent> second = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            graph.twin("a-" + i).twin("b-" + i);
            first.add(deviceDeleted("hub-a", "a-" + i));
            second.add(deviceDeleted("hub-a", "b-" + i));
        }
        ConcurrencyProbe probe = new ConcurrencyProbe(fake, 2);
        try (LifecycleProcessor processor = LifecycleProcessor.builder(probe)
                .options(LifecycleOptions.builder().parallelism(2).build())
                .sleeper(new TestClocks.RecordingSleeper())
                .executor(host)
                .build()) {
            List<BatchResult> results = new ArrayList<>();
            Thread other = new Thread(() -> results.add(processor.process(second)));
            other.start();
            BatchResult mine = processor.process(first);
            other.join(10_000);

            assertThat(mine.count(LifecycleOutcome.RETIRED)).isEqualTo(8);
            assertThat(results).singleElement().satisfies(r -> assertThat(r.count(LifecycleOutcome.RETIRED))
                    .isEqualTo(8));
        }
        assertThat(probe.bound.maxRunning()).isEqualTo(2);
        assertThat(fake.twinCount()).isZero();
    }

    @Test
    void withoutAHostsExecutorTheProcessorRunsOnItsOwnThreads() {
        new TwinGraph(fake).twin("dev-1");
        ConcurrencyProbe probe = new ConcurrencyProbe(fake, 1);
        try (LifecycleProcessor processor = LifecycleProcessor.builder(probe)
                .sleeper(new TestClocks.RecordingSleeper()).build()) {
            assertThat(processor.process(List.of(deviceDeleted("hub-a", "dev-1"))).count(LifecycleOutcome.RETIRED))
                    .isEqualTo(1);
        }
        assertThat(probe.bound.threads()).singleElement().satisfies(name -> assertThat(name).startsWith("dpstwin-lifecycle-"));
        assertThat(host.tasks()).isZero();
    }
}
