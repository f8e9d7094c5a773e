package io.dpstwin.core.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The twins of the device models listed in one run, held compactly: per twin its id as UTF-8 bytes, its model as an
 * index into the few distinct models, its {@code $lastUpdateTime} as seconds and nanoseconds, and one bit that
 * records whether a device maps to it, in parallel arrays with an open-addressing table of indexes (at most half
 * full). That is about 50 bytes per twin plus the id's length (rounded up to 8), instead of the few hundred bytes a
 * map of strings and records takes. Lookups compare the stored id bytes, so they are exact (no hash collision can
 * merge two twins). Not thread-safe: one thread fills it, then one thread looks up.
 */
final class TwinIndex {

    private static final long NO_TIME = Long.MIN_VALUE;

    private byte[][] ids = new byte[1024][];
    private int[] models = new int[1024];
    private long[] seconds = new long[1024];
    private int[] nanos = new int[1024];
    private int[] table = new int[2048];
    private int size;
    private final BitSet mapped = new BitSet();
    private final List<String> modelNames = new ArrayList<>();
    private final Map<String, Integer> modelIndexes = new HashMap<>();

    /** Adds a twin unless one with this id is already held (the first listing of a twin wins). */
    void add(String id, String modelId, Instant lastUpdate) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        int slot = slot(bytes);
        if (table[slot] != 0) {
            return;
        }
        if (size == ids.length) {
            grow();
            slot = slot(bytes);
        }
        ids[size] = bytes;
        models[size] = modelId == null ? -1 : modelIndexes.computeIfAbsent(modelId, m -> {
            modelNames.add(m);
            return modelNames.size() - 1;
        });
        seconds[size] = lastUpdate == null ? NO_TIME : lastUpdate.getEpochSecond();
        nanos[size] = lastUpdate == null ? 0 : lastUpdate.getNano();
        size++;
        table[slot] = size;
    }

    /** The index of the twin with this id, or {@code -1}. */
    int indexOf(String id) {
        int entry = table[slot(id.getBytes(StandardCharsets.UTF_8))];
        return entry - 1;
    }

    int size() {
        return size;
    }

    /** Records that a device maps to the twin at {@code index}. */
    void markMapped(int index) {
        mapped.set(index);
    }

    boolean isMapped(int index) {
        return mapped.get(index);
    }

    String id(int index) {
        return new String(ids[index], StandardCharsets.UTF_8);
    }

    String modelId(int index) {
        return models[index] < 0 ? null : modelNames.get(models[index]);
    }

    Instant lastUpdate(int index) {
        return seconds[index] == NO_TIME ? null : Instant.ofEpochSecond(seconds[index], nanos[index]);
    }

    /** The slot holding {@code id}, or the empty slot where it would go. */
    private int slot(byte[] id) {
        int mask = table.length - 1;
        int slot = mix(Arrays.hashCode(id)) & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0 || Arrays.equals(ids[entry - 1], id)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        int capacity = ids.length * 2;
        ids = Arrays.copyOf(ids, capacity);
        models = Arrays.copyOf(models, capacity);
        seconds = Arrays.copyOf(seconds, capacity);
        nanos = Arrays.copyOf(nanos, capacity);
        table = new int[capacity * 2];
        int mask = table.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = mix(Arrays.hashCode(ids[i])) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    /** Spreads the bits of a hash code (the finaliser of MurmurHash3), so that similar ids do not cluster. */
    private static int mix(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
