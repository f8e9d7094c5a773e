package io.dpstwin.core.twins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A digital twin as ADT stores it: id ({@code $dtId}), model ({@code $metadata.$model}), etag ({@code $etag})
 * and its set properties and components (JSON values as {@code String}, {@code Number}, {@code Boolean},
 * {@code Map} and {@code List}).
 *
 * @param id         the twin id ({@code $dtId}), case-sensitive
 * @param modelId    the DTMI of the twin's model
 * @param etag       the weak etag {@code W/"..."}, or {@code null} for a twin not yet stored
 * @param properties property and component values, never {@code null}, unmodifiable
 */
public record DigitalTwin(String id, String modelId, String etag, Map<String, Object> properties) {

    public DigitalTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modelId, "modelId");
        properties = properties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** A twin to be created: no etag yet. */
    public static DigitalTwin of(String id, String modelId, Map<String, Object> properties) {
        return new DigitalTwin(id, modelId, null, properties);
    }

    /** A twin to be created, without properties. */
    public static DigitalTwin of(String id, String modelId) {
        return new DigitalTwin(id, modelId, null, Map.of());
    }
}
