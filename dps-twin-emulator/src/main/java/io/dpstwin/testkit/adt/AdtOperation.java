package io.dpstwin.testkit.adt;

/**
 * The ADT data-plane operations the emulated service serves; request counters, fault injection and the request
 * journal are kept per operation. Each page of a paged list or query is one operation.
 */
public enum AdtOperation {
    /** {@code GET /digitaltwins/{id}}. */
    GET_TWIN,
    /** {@code PUT /digitaltwins/{id}}. */
    PUT_TWIN,
    /** {@code PATCH /digitaltwins/{id}}. */
    PATCH_TWIN,
    /** {@code DELETE /digitaltwins/{id}}. */
    DELETE_TWIN,
    /** {@code GET /digitaltwins/{id}/components/{component}}. */
    GET_COMPONENT,
    /** {@code PATCH /digitaltwins/{id}/components/{component}}. */
    PATCH_COMPONENT,
    /** {@code PUT /digitaltwins/{id}/relationships/{relationshipId}}. */
    PUT_RELATIONSHIP,
    /** {@code GET /digitaltwins/{id}/relationships/{relationshipId}}. */
    GET_RELATIONSHIP,
    /** {@code PATCH /digitaltwins/{id}/relationships/{relationshipId}}. */
    PATCH_RELATIONSHIP,
    /** {@code DELETE /digitaltwins/{id}/relationships/{relationshipId}}. */
    DELETE_RELATIONSHIP,
    /** {@code GET /digitaltwins/{id}/relationships} (one page). */
    LIST_RELATIONSHIPS,
    /** {@code GET /digitaltwins/{id}/incomingrelationships} (one page). */
    LIST_INCOMING_RELATIONSHIPS,
    /** {@code POST /query} (one page). */
    QUERY,
    /** {@code POST /models}. */
    CREATE_MODELS,
    /** {@code GET /models/{id}}. */
    GET_MODEL,
    /** {@code GET /models} (one page). */
    LIST_MODELS,
    /** {@code DELETE /models/{id}}. */
    DELETE_MODEL,
    /** {@code PATCH /models/{id}} (decommission). */
    DECOMMISSION_MODEL;

    /** Whether the operation creates or deletes a twin or relationship (counted by the instance-wide limit). */
    boolean isCreateOrDelete() {
        return this == PUT_TWIN || this == DELETE_TWIN || this == PUT_RELATIONSHIP || this == DELETE_RELATIONSHIP;
    }
}
