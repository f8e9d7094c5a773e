package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * A device without a twin for which the reconciler cannot create one; reported, never acted upon.
 *
 * @param deviceId    the device
 * @param hubHostName the hub the device is registered in
 * @param twinId      the twin id it would have, when known
 * @param reason      {@code no_model} (no {@code tags.dtmi}, no {@code modelId}, no default model),
 *                    {@code invalid_model_id} (the model named is not a valid DTMI) or {@code invalid_twin_id}
 *                    ({@code tags.dtId} or the strategy's id is not usable)
 * @param detail      what was seen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnresolvedDevice(String deviceId, String hubHostName, String twinId, String reason, String detail) {

    /** No model for the twin. */
    public static final String NO_MODEL = "no_model";
    /** The model named is not a valid DTMI. */
    public static final String INVALID_MODEL_ID = "invalid_model_id";
    /** The twin id is not usable. */
    public static final String INVALID_TWIN_ID = "invalid_twin_id";

    public UnresolvedDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(reason, "reason");
    }
}
