package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * A device without a twin, and the twin to create for it.
 *
 * @param twinId      the twin id: the device's {@code tags.dtId}, else the twin id strategy's
 * @param deviceId    the device
 * @param hubHostName the hub the device is registered in
 * @param modelId     the model of the twin to create
 * @param modelSource where the model comes from: {@code tag} ({@code tags.dtmi}), {@code modelId} (the device's
 *                    IoT Plug and Play model) or {@code default}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MissingTwin(String twinId, String deviceId, String hubHostName, String modelId, String modelSource) {

    public MissingTwin {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(modelId, "modelId");
    }
}
