package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Objects;

/**
 * One planned repair: retire an orphaned twin, or create a missing one.
 *
 * @param action      what to do
 * @param twinId      the twin
 * @param deviceId    the device (for a retirement: the device id the registry guard is asked about)
 * @param hubHostName the device's hub ({@link Kind#CREATE} only)
 * @param modelId     the model of the twin ({@link Kind#CREATE}: to create; {@link Kind#RETIRE}: as listed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcileAction(Kind action, String twinId, String deviceId, String hubHostName, String modelId) {

    /** The kinds of repair. */
    public enum Kind {
        /** Retire an orphaned twin with the retirement policy. */
        RETIRE,
        /** Create a missing twin with find-or-create. */
        CREATE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReconcileAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(twinId, "twinId");
    }
}
