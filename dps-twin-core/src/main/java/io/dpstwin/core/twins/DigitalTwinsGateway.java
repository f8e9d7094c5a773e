package io.dpstwin.core.twins;

import java.util.List;
import java.util.Optional;

/**
 * The Azure Digital Twins operations dps-twin needs, in ADT vocabulary.
 *
 * <p>Every implementation behaves as the ADT data plane does (see the
 * <a href="https://learn.microsoft.com/rest/api/digital-twins/dataplane/twins">ADT data plane REST reference</a>): failures
 * surface as {@link AdtException} carrying the HTTP status and the service's {@code error.code};
 * "not found" on a read is an empty {@link Optional}, never an exception; list operations return every
 * page. Implementations are thread-safe. The production implementation is {@link SdkDigitalTwinsGateway};
 * the testkit provides an in-memory one, and both pass the testkit's contract suite.
 */
public interface DigitalTwinsGateway {

    /** {@code GET /digitaltwins/{id}}; empty when the twin does not exist. */
    Optional<DigitalTwin> getTwin(String twinId);

    /**
     * {@code PUT /digitaltwins/{id}} with {@code If-None-Match: *}: creates the twin only if no twin with that
     * id exists.
     *
     * @return the created twin as stored (with its etag)
     * @throws AdtException 412 {@code PreconditionFailed} when a twin with that id already exists
     */
    DigitalTwin createTwinIfAbsent(DigitalTwin twin);

    /** {@code PUT /digitaltwins/{id}} without precondition: creates or replaces the twin. */
    DigitalTwin createOrReplaceTwin(DigitalTwin twin);

    /**
     * {@code PATCH /digitaltwins/{id}} with a JSON Patch.
     *
     * @param ifMatch an etag or {@code "*"}, or {@code null} for no precondition
     */
    void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch);

    /**
     * {@code DELETE /digitaltwins/{id}}.
     *
     * @param ifMatch an etag or {@code "*"}, or {@code null} for no precondition
     * @throws AdtException 400 {@code RelationshipsNotDeleted} while any incoming or outgoing relationship exists,
     *                      404 {@code DigitalTwinNotFound} when the twin does not exist
     */
    void deleteTwin(String twinId, String ifMatch);

    /**
     * {@code PUT /digitaltwins/{sourceId}/relationships/{id}} with {@code If-None-Match: *}.
     *
     * @throws AdtException 412 when the relationship exists, 404 {@code DigitalTwinNotFound} for a missing source,
     *                      404 {@code TargetDigitalTwinNotFound} for a missing target
     */
    Relationship createRelationshipIfAbsent(Relationship relationship);

    /** {@code PUT /digitaltwins/{sourceId}/relationships/{id}} without precondition. */
    Relationship createOrReplaceRelationship(Relationship relationship);

    /** {@code GET /digitaltwins/{sourceId}/relationships/{id}}; empty when absent. */
    Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId);

    /**
     * {@code DELETE /digitaltwins/{sourceId}/relationships/{id}}.
     *
     * @param ifMatch an etag or {@code "*"}, or {@code null} for no precondition
     * @throws AdtException 404 {@code RelationshipNotFound} or {@code DigitalTwinNotFound}
     */
    void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch);

    /**
     * {@link #deleteRelationship(String, String, String)} for a caller that knows the relationship's target twin:
     * ADT counts a relationship write against both of its twins (10 writes per second per twin), and naming the
     * target lets a client-side rate limiter count it the same way. The request sent is the same.
     */
    default void deleteRelationship(String sourceTwinId, String relationshipId, String targetTwinId, String ifMatch) {
        deleteRelationship(sourceTwinId, relationshipId, ifMatch);
    }

    /**
     * {@code GET /digitaltwins/{id}/relationships[?relationshipName=]}, all pages.
     *
     * @param relationshipName only relationships of this name, or {@code null} for all
     * @throws AdtException 404 {@code DigitalTwinNotFound} when the twin does not exist
     */
    List<Relationship> listRelationships(String twinId, String relationshipName);

    /**
     * {@code GET /digitaltwins/{id}/incomingrelationships}, all pages.
     *
     * @throws AdtException 404 {@code DigitalTwinNotFound} when the twin does not exist
     */
    List<IncomingRelationship> listIncomingRelationships(String twinId);

    /**
     * One page of {@code POST /query}. Pass {@code null} as continuation token for the first page and the
     * returned token for the next ones; the query text is only sent with the first page, as the SDK does.
     * Query results lag writes by up to 10 seconds: never use a query to find a twin that was just written.
     */
    QueryPage query(String query, String continuationToken);

    /**
     * {@code POST /models}: uploads DTDL interfaces (all or nothing).
     *
     * @throws AdtException 409 {@code ModelAlreadyExists}, 400 {@code DTDLParserError}
     */
    List<ModelInfo> createModels(List<String> dtdlModels);

    /** {@code GET /models/{id}?includeModelDefinition=true}; empty when the model is not uploaded. */
    Optional<ModelInfo> getModel(String modelId);
}
