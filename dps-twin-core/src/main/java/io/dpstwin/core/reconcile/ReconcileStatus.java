package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a reconciler run ended. */
public enum ReconcileStatus {
    /** The comparison finished and (unless a dry run) every action succeeded. */
    OK,
    /** The comparison finished, but some actions failed or the retirements were withheld by the safety limits. */
    PARTIAL,
    /** No comparison: a hub or ADT could not be listed, so nothing was changed. */
    FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
