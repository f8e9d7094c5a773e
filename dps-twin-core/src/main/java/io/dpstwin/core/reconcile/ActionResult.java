package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Objects;

/**
 * What applying one {@link ReconcileAction} did.
 *
 * @param action  the action
 * @param outcome how it ended
 * @param detail  the failure (status, code, message) or other detail, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResult(@JsonUnwrapped ReconcileAction action, Outcome outcome, String detail) {

    /** How an action ended. */
    public enum Outcome {
        /** The orphaned twin was retired. */
        RETIRED,
        /** The orphaned twin was gone already. */
        ALREADY_GONE,
        /** The registry guard found the device registered after all; its twin was kept. */
        DEVICE_STILL_REGISTERED,
        /** The missing twin was created. */
        CREATED,
        /** The missing twin existed after all (created meanwhile, or of a model outside the device models). */
        EXISTS,
        /** The action failed; {@link ActionResult#detail()} says why. A later run tries again. */
        FAILED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ActionResult {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
