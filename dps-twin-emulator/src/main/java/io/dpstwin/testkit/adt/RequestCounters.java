package io.dpstwin.testkit.adt;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests the emulated service received, per {@link AdtOperation} (each page of a list or query counts
 * once; failed and fault-injected requests count too). Thread-safe.
 */
public final class RequestCounters {

    private final Map<AdtOperation, LongAdder> counters = new EnumMap<>(AdtOperation.class);

    RequestCounters() {
        for (AdtOperation operation : AdtOperation.values()) {
            counters.put(operation, new LongAdder());
        }
    }

    void increment(AdtOperation operation) {
        counters.get(operation).increment();
    }

    /** Requests of {@code operation} since the start or the last {@link #reset()}. */
    public long count(AdtOperation operation) {
        return counters.get(operation).sum();
    }

    /** Requests of every operation. */
    public long total() {
        return counters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The non-zero counts, by operation. */
    public Map<AdtOperation, Long> snapshot() {
        Map<AdtOperation, Long> snapshot = new EnumMap<>(AdtOperation.class);
        counters.forEach((operation, counter) -> {
            long count = counter.sum();
            if (count > 0) {
                snapshot.put(operation, count);
            }
        });
        return snapshot;
    }

    /** Sets every count to zero. */
    public void reset() {
        counters.values().forEach(LongAdder::reset);
    }

    @Override
    public String toString() {
        return "RequestCounters" + snapshot();
    }
}
