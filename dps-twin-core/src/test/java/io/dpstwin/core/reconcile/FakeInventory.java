package io.dpstwin.core.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small paged {@link DeviceInventory} for core's tests: hubs with devices, a page size, and injectable failures of
 * the next page requests (e.g. 429 with {@code Retry-After}). A failed request leaves the cursor where it was.
 */
final class FakeInventory implements DeviceInventory {

    private final Map<String, List<DeviceRecord>> hubs = new LinkedHashMap<>();
    private final int pageSize;
    private final Map<String, List<DeviceInventoryException>> failures = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    FakeInventory(int pageSize, String... hubHostNames) {
        this.pageSize = pageSize;
        for (String hub : hubHostNames) {
            hubs.put(hub, new ArrayList<>());
        }
    }

    synchronized FakeInventory add(DeviceRecord device) {
        hubs.get(device.hubHostName()).add(device);
        return this;
    }

    synchronized void remove(String hub, String deviceId) {
        hubs.get(hub).removeIf(d -> d.deviceId().equals(deviceId));
    }

    /** The next {@code count} page requests to the hub of {@code failure} fail with it. */
    synchronized void failNext(int count, DeviceInventoryException failure) {
        for (int i = 0; i < count; i++) {
            failures.computeIfAbsent(failure.hubHostName(), h -> new ArrayList<>()).add(failure);
        }
    }

    /** Page requests received, failed ones included. */
    int requests() {
        return requests.get();
    }

    @Override
    public Set<String> hubHostNames() {
        return new LinkedHashSet<>(hubs.keySet());
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        if (!hubs.containsKey(hubHostName)) {
            throw new DeviceInventoryException(hubHostName, 0, false, null, "unknown hub " + hubHostName, null);
        }
        return new DeviceCursor() {
            private List<DeviceRecord> page = List.of();
            private int indexInPage;
            private int nextOffset;
            private boolean started;
            private boolean more = true;
            private int sent;

            @Override
            public Optional<DeviceRecord> next() {
                while (indexInPage >= page.size()) {
                    if (started && !more) {
                        return Optional.empty();
                    }
                    fetch();
                }
                return Optional.of(page.get(indexInPage++));
            }

            private void fetch() {
                sent++;
                requests.incrementAndGet();
                synchronized (FakeInventory.this) {
                    List<DeviceInventoryException> queued = failures.get(hubHostName);
                    if (queued != null && !queued.isEmpty()) {
                        throw queued.remove(0);
                    }
                    List<DeviceRecord> all = hubs.get(hubHostName);
                    int end = Math.min(all.size(), nextOffset + pageSize);
                    page = List.copyOf(all.subList(Math.min(nextOffset, all.size()), end));
                    indexInPage = 0;
                    nextOffset = end;
                    started = true;
                    more = end < all.size();
                }
            }

            @Override
            public int requestsSent() {
                return sent;
            }

            @Override
            public boolean hasMorePages() {
                return !started || more;
            }
        };
    }

    /** Every device {@code cursor} still has, page after page. */
    static List<DeviceRecord> drain(DeviceCursor cursor) {
        List<DeviceRecord> devices = new ArrayList<>();
        for (Optional<DeviceRecord> next = cursor.next(); next.isPresent(); next = cursor.next()) {
            devices.add(next.get());
        }
        return devices;
    }

    static DeviceInventoryException throttled(String hub, Duration retryAfter) {
        return DeviceInventoryException.throttled(hub, retryAfter);
    }
}
