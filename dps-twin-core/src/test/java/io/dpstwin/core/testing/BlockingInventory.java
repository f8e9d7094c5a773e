package io.dpstwin.core.testing;

import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceRecord;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A device inventory whose listing stops after {@code blockAfter} devices until the test releases it, to hold a run in
 * progress with something listed. Shared with the adapters' tests through core's test-jar.
 */
public final class BlockingInventory implements DeviceInventory {

    /** Opens when the listing is held. */
    public final CountDownLatch listing = new CountDownLatch(1);
    /** Open it to let the listing go on. */
    public final CountDownLatch release = new CountDownLatch(1);
    private final DeviceInventory delegate;
    private final int blockAfter;

    public BlockingInventory(DeviceInventory delegate) {
        this(delegate, 0);
    }

    public BlockingInventory(DeviceInventory delegate, int blockAfter) {
        this.delegate = delegate;
        this.blockAfter = blockAfter;
    }

    @Override
    public Set<String> hubHostNames() {
        return delegate.hubHostNames();
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        DeviceCursor cursor = delegate.listDevices(hubHostName);
        return new DeviceCursor() {
            private int served;

            @Override
            public Optional<DeviceRecord> next() {
                if (served++ == blockAfter) {
                    hold();
                }
                return cursor.next();
            }

            @Override
            public int requestsSent() {
                return cursor.requestsSent();
            }

            @Override
            public boolean hasMorePages() {
                return cursor.hasMorePages();
            }
        };
    }

    private void hold() {
        listing.countDown();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the listing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
    }
}
