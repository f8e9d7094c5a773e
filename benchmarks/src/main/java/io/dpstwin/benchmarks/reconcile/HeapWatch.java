package io.dpstwin.benchmarks.reconcile;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Watches the heap while a scenario runs: the largest heap in use right after a collection, summed over the heap
 * pools from every collection's own report ({@code GarbageCollectionNotificationInfo}, young collections included:
 * what survives plus the old generation, the live data the run holds at most), and the largest heap in use at all,
 * sampled every 20 ms (live data plus garbage not collected yet, which depends on the collector and {@code -Xmx} more
 * than on the run).
 */
final class HeapWatch implements AutoCloseable {

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    private final Set<String> heapPools = pools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final Thread sampler;
    private final NotificationListener afterGc = this::afterGc;
    private volatile boolean running = true;
    private final AtomicLong peakLive = new AtomicLong();
    private volatile long peakUsed;

    HeapWatch() {
        System.gc();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
            }
        }
        sampler = new Thread(this::sample, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void afterGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long live = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                live += pool.getValue().getUsed();
            }
        }
        long seen = live;
        peakLive.accumulateAndGet(seen, Math::max);
    }

    private void sample() {
        while (running) {
            long used = 0;
            for (MemoryPoolMXBean pool : pools) {
                used += pool.getUsage().getUsed();
            }
            peakUsed = Math.max(peakUsed, used);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest heap in use after a collection, in MiB. */
    double peakLiveMib() {
        return peakLive.get() / 1024.0 / 1024.0;
    }

    /** The largest heap in use seen (garbage included), in MiB. */
    double peakUsedMib() {
        return peakUsed / 1024.0 / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(afterGc);
                } catch (ListenerNotFoundException e) {
                    // not registered on this collector
                }
            }
        }
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
