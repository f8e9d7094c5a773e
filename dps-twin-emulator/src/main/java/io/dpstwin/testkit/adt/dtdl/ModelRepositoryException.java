package io.dpstwin.testkit.adt.dtdl;

import java.util.Objects;

/** A model operation that the model store refuses for a reason other than invalid DTDL. */
public class ModelRepositoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the operation was refused. */
    public enum Reason {
        /** A model with that id is already uploaded (409 {@code ModelAlreadyExists}). */
        ALREADY_EXISTS,
        /** No model with that id is uploaded (404 {@code ModelNotFound}). */
        NOT_FOUND,
        /** Other models extend the model or use it as a component (409 {@code ModelReferencesNotDeleted}). */
        REFERENCED
    }

    private final Reason reason;

    public ModelRepositoryException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
