package io.dpstwin.core.twins;

import java.util.Objects;

/**
 * An uploaded DTDL model as {@code GET /models/{id}} describes it.
 *
 * @param id             the DTMI
 * @param decommissioned whether new twins of this model are refused
 * @param definition     the DTDL interface as JSON text, or {@code null} when not requested
 */
public record ModelInfo(String id, boolean decommissioned, String definition) {

    public ModelInfo {
        Objects.requireNonNull(id, "id");
    }
}
