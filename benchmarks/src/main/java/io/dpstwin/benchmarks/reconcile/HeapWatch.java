package io.dpstwin.benchmarks.reconcile;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Watches the heap while a scenario runs, every 20 ms: the largest heap in use right after a collection (the live
 * data, what the run holds; JMX's per-pool collection usage) and the largest heap in use at all (live data plus
 * garbage not collected yet, which depends on the collector and {@code -Xmx} more than on the run).
 */
final class HeapWatch implements AutoCloseable {

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakLive;
    private volatile long peakUsed;

    HeapWatch() {
        System.gc();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        sampler = new Thread(this::sample, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            long live = 0;
            long used = 0;
            for (MemoryPoolMXBean pool : pools) {
                MemoryUsage afterGc = pool.getCollectionUsage();
                live += afterGc == null ? pool.getUsage().getUsed() : afterGc.getUsed();
                used += pool.getUsage().getUsed();
            }
            peakLive = Math.max(peakLive, live);
            peakUsed = Math.max(peakUsed, used);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest live heap seen, in MiB. */
    double peakLiveMib() {
        return peakLive / 1024.0 / 1024.0;
    }

    /** The largest heap in use seen (garbage included), in MiB. */
    double peakUsedMib() {
        return peakUsed / 1024.0 / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
