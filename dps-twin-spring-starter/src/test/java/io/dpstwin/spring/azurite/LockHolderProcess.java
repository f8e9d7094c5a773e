package io.dpstwin.spring.azurite;

import io.dpstwin.core.reconcile.BlobLeaseReconcileLock;

import java.time.Duration;

/**
 * A process that takes the reconcile lock and then hangs, to be killed by a test: a holder that dies in the middle of
 * a run, without releasing its lease. Arguments: the storage connection string and the container.
 */
public final class LockHolderProcess {

    static final String HELD = "HELD";

    private LockHolderProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        BlobLeaseReconcileLock lock = BlobLeaseReconcileLock.of(
                BlobLeaseReconcileLockTest.lockBlob(args[0], args[1]),
                Duration.ofSeconds(15), "killed-holder");
        if (lock.tryAcquire().isEmpty()) {
            System.out.println("NOT HELD");
            System.exit(1);
        }
        System.out.println(HELD);
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
    }
}
