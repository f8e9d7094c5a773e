package io.dpstwin.spring.reconcile;

import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A device inventory whose listing waits until the test releases it, to hold a run in progress. */
final class BlockingInventory implements DeviceInventory {

    final CountDownLatch listing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final DeviceInventory delegate;

    BlockingInventory(DeviceInventory delegate) {
        this.delegate = delegate;
    }

    @Override
    public Set<String> hubHostNames() {
        return delegate.hubHostNames();
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        listing.countDown();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the listing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
        return delegate.listDevices(hubHostName);
    }
}
