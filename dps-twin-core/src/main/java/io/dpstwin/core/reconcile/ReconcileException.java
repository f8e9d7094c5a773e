package io.dpstwin.core.reconcile;

/** The reconciler could not compare (a hub or ADT could not be listed); nothing was changed. */
public class ReconcileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReconcileException(String message, Throwable cause) {
        super(message, cause);
    }
}
