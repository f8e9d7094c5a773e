package io.dpstwin.testkit.adt.dtdl;

import java.time.Instant;
import java.util.Objects;

/**
 * An uploaded model: the parsed interface, when it was uploaded and whether it is decommissioned.
 */
public record StoredModel(DtdlInterface model, Instant uploadTime, boolean decommissioned) {

    public StoredModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(uploadTime, "uploadTime");
    }

    /** The model's DTMI. */
    public String id() {
        return model.id();
    }

    StoredModel decommission() {
        return new StoredModel(model, uploadTime, true);
    }
}
