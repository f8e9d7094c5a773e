package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.Relationship;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Removes every relationship of a twin, outgoing and incoming, all pages; the building block of
 * {@link RetirementPolicy#DELETE}, {@link RetirementPolicy#DETACH} and custom policies.
 *
 * <ul>
 *   <li><b>Outgoing</b> relationships ({@code GET /digitaltwins/{id}/relationships}) are deleted without
 *       {@code If-Match}: every relationship whose source is the retiring twin must go whatever its current
 *       version, so an etag check could only fail spuriously (a concurrent property patch) and never protects
 *       anything.</li>
 *   <li><b>Incoming</b> relationships ({@code GET /digitaltwins/{id}/incomingrelationships}) are listed without
 *       etag or target, and belong to another twin. Between the listing and the delete, that twin's owner may
 *       replace the relationship (same id) to point elsewhere. So each is read again
 *       ({@code GET /digitaltwins/{sourceId}/relationships/{id}}), deleted only if it still targets the retiring
 *       twin, and deleted with {@code If-Match} of the etag just read; a 412 means it changed meanwhile, so it is
 *       read again (bounded).</li>
 *   <li>404 at any step means the thing is already gone: success.</li>
 * </ul>
 * The twin's own etag is never captured: a concurrent patch of the twin (e.g. telemetry) must not make the
 * retirement fail, which is the reference sample's 412 bug.
 */
public final class TwinRelationships {

    private static final Logger LOG = LoggerFactory.getLogger(TwinRelationships.class);
    /** How often an incoming relationship is re-read after a 412 before giving up for this round. */
    static final int ETAG_ROUNDS = 3;

    /**
     * The result of one pass.
     *
     * @param twinFound whether the twin existed (its relationships could be listed)
     * @param removed   how many relationships this pass deleted
     */
    public record Removal(boolean twinFound, int removed) {
    }

    private TwinRelationships() {
    }

    /**
     * Deletes every outgoing, then every incoming relationship of {@code twinId} once.
     *
     * @throws AdtException                  an ADT failure other than 404
     * @throws RetirementIncompleteException an incoming relationship kept changing under us
     */
    public static Removal removeAll(DigitalTwinsGateway gateway, String twinId) {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(twinId, "twinId");
        List<Relationship> outgoing;
        try {
            outgoing = gateway.listRelationships(twinId, null);
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return new Removal(false, 0);
            }
            throw e;
        }
        int removed = 0;
        for (Relationship relationship : outgoing) {
            if (deleteIgnoringNotFound(gateway, twinId, relationship.id(), relationship.targetId(), null)) {
                removed++;
            }
        }
        List<IncomingRelationship> incoming;
        try {
            incoming = gateway.listIncomingRelationships(twinId);
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return new Removal(false, removed);
            }
            throw e;
        }
        for (IncomingRelationship relationship : incoming) {
            if (deleteIncoming(gateway, twinId, relationship)) {
                removed++;
            }
        }
        LOG.debug("Removed {} relationships of twin {} ({} outgoing and {} incoming listed)",
                removed, twinId, outgoing.size(), incoming.size());
        return new Removal(true, removed);
    }

    private static boolean deleteIncoming(DigitalTwinsGateway gateway, String twinId, IncomingRelationship listed) {
        for (int round = 1; round <= ETAG_ROUNDS; round++) {
            Optional<Relationship> current = gateway.getRelationship(listed.sourceId(), listed.relationshipId());
            if (current.isEmpty()) {
                return false;
            }
            if (!twinId.equals(current.get().targetId())) {
                LOG.debug("Relationship {} of twin {} now targets {}, not {}; leaving it", listed.relationshipId(),
                        listed.sourceId(), current.get().targetId(), twinId);
                return false;
            }
            try {
                return deleteIgnoringNotFound(gateway, listed.sourceId(), listed.relationshipId(), twinId,
                        current.get().etag());
            } catch (AdtException e) {
                if (!e.isPreconditionFailed()) {
                    throw e;
                }
                LOG.debug("Relationship {} of twin {} changed before its delete (412); reading it again",
                        listed.relationshipId(), listed.sourceId());
            }
        }
        throw new RetirementIncompleteException(twinId, "incoming relationship '" + listed.relationshipId()
                + "' of twin '" + listed.sourceId() + "' kept changing while twin '" + twinId + "' was retired");
    }

    private static boolean deleteIgnoringNotFound(DigitalTwinsGateway gateway, String sourceId, String relationshipId,
                                                  String targetId, String ifMatch) {
        try {
            gateway.deleteRelationship(sourceId, relationshipId, targetId, ifMatch);
            return true;
        } catch (AdtException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }
}
