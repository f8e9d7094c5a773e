package io.dpstwin.benchmarks.reconcile;

import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.DeviceRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hubs of a {@link Fleet}, answering the device query page by page as IoT Hub does: each page is generated when
 * it is asked for (nothing is stored), and each hub enforces its query quota, {@code 20 × units} queries per minute
 * (IoT Hub S1/S2), as a token bucket that starts full, on a clock compressed by {@code speedup}. A page request over
 * the quota is answered with a 429 and the wait it needs as {@code Retry-After}, and changes nothing.
 */
final class GeneratedHubs implements DeviceInventory {

    /** IoT Hub's device query quota per S1 (or S2) unit, per minute. */
    static final int QUERIES_PER_MINUTE_PER_UNIT = 20;

    private final Fleet fleet;
    private final List<QuotaBucket> quotas = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    GeneratedHubs(Fleet fleet, int unitsPerHub, double speedup) {
        this.fleet = fleet;
        double perMinute = QUERIES_PER_MINUTE_PER_UNIT * unitsPerHub;
        for (int h = 0; h < fleet.hubs(); h++) {
            quotas.add(new QuotaBucket(perMinute, perMinute / 60.0, speedup, System::nanoTime));
        }
    }

    @Override
    public Set<String> hubHostNames() {
        return new LinkedHashSet<>(fleet.hubNames());
    }

    long requests() {
        return requests.get();
    }

    long throttled() {
        return throttled.get();
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        int hub = fleet.hubIndex(hubHostName);
        if (hub < 0) {
            throw new DeviceInventoryException(hubHostName, 0, false, null, "not a hub of this fleet", null);
        }
        return new Cursor(hub);
    }

    private final class Cursor implements DeviceCursor {
        private final int hub;
        private final int count;
        private List<DeviceRecord> page = List.of();
        private int index;
        private int nextPage;
        private int sent;

        Cursor(int hub) {
            this.hub = hub;
            this.count = fleet.devicesIn(hub);
        }

        @Override
        public Optional<DeviceRecord> next() {
            while (index >= page.size()) {
                if (!hasMorePages()) {
                    return Optional.empty();
                }
                fetch();
            }
            return Optional.of(page.get(index++));
        }

        private void fetch() {
            sent++;
            requests.incrementAndGet();
            long wait = quotas.get(hub).tryTake(1);
            if (wait > 0) {
                throttled.incrementAndGet();
                throw DeviceInventoryException.throttled(fleet.hub(hub), Duration.ofNanos(wait));
            }
            int from = nextPage * fleet.pageSize();
            int to = Math.min(count, from + fleet.pageSize());
            List<DeviceRecord> records = new ArrayList<>(Math.max(0, to - from));
            for (int n = from; n < to; n++) {
                records.add(fleet.record(fleet.deviceAt(hub, n)));
            }
            page = records;
            index = 0;
            nextPage++;
        }

        @Override
        public int requestsSent() {
            return sent;
        }

        @Override
        public boolean hasMorePages() {
            return nextPage < fleet.pagesOf(hub);
        }
    }
}
