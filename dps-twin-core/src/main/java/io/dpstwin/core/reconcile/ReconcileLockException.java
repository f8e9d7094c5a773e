package io.dpstwin.core.reconcile;

/** It could not be told whether the reconcile lock is free: the run does not start. */
public class ReconcileLockException extends RuntimeException {

    public ReconcileLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
