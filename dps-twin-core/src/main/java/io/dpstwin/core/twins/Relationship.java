package io.dpstwin.core.twins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An ADT relationship: {@code $relationshipId} (unique within its source twin), {@code $sourceId},
 * {@code $targetId}, {@code $relationshipName}, {@code $etag} and its properties.
 *
 * @param etag weak etag, or {@code null} for a relationship not yet stored
 */
public record Relationship(String id, String sourceId, String targetId, String name, String etag,
                           Map<String, Object> properties) {

    public Relationship {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(name, "name");
        properties = properties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** A relationship to be created: no etag, no properties. */
    public static Relationship of(String id, String sourceId, String targetId, String name) {
        return new Relationship(id, sourceId, targetId, name, null, Map.of());
    }
}
