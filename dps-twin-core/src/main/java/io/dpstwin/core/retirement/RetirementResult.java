package io.dpstwin.core.retirement;

/** How a {@link RetirementPolicy} left the twin. */
public enum RetirementResult {
    /** The twin is retired as the policy defines it (deleted, detached, marked, ...). */
    RETIRED,
    /** There was nothing to retire: the twin did not exist when the policy ran. */
    ALREADY_GONE
}
