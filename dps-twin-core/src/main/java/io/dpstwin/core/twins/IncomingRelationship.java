package io.dpstwin.core.twins;

import java.util.Objects;

/**
 * An entry of {@code GET /digitaltwins/{id}/incomingrelationships}: ADT returns only these four fields
 * (no target, no etag, no properties). Delete it with
 * {@code deleteRelationship(sourceId, relationshipId, ...)}.
 *
 * @param link the {@code $relationshipLink}, may be {@code null}
 */
public record IncomingRelationship(String relationshipId, String sourceId, String name, String link) {

    public IncomingRelationship {
        Objects.requireNonNull(relationshipId, "relationshipId");
        Objects.requireNonNull(sourceId, "sourceId");
    }
}
