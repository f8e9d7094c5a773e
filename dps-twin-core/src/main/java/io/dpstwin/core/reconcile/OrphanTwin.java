package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * A twin of a device model whose device is in no configured hub.
 *
 * @param twinId         the twin id
 * @param modelId        the twin's model
 * @param lastUpdateTime the twin's {@code $metadata.$lastUpdateTime} (ISO-8601), or {@code null} when ADT gave none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrphanTwin(String twinId, String modelId, String lastUpdateTime) {

    public OrphanTwin {
        Objects.requireNonNull(twinId, "twinId");
    }
}
