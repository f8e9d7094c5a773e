package io.dpstwin.core.allocation;

/** What the allocation does when the placement's parent twin does not exist. */
public enum MissingParentPolicy {
    /** Refuse the device with 400 {@link AllocationErrorCodes#PARENT_TWIN_NOT_FOUND}; nothing is written (default). */
    REJECT,
    /** Allocate the device without placement and log a warning. */
    SKIP
}
