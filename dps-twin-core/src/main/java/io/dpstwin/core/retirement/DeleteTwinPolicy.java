package io.dpstwin.core.retirement;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RetirementPolicy#DELETE}: delete every outgoing and incoming relationship (all pages), then the twin.
 *
 * <p>The twin is deleted without {@code If-Match}: the device is gone, and a concurrent patch of the twin must not
 * make the retirement fail. ADT answers {@code 400 RelationshipsNotDeleted} when a relationship is still there
 * (relationship deletes are eventually consistent, and another writer may add one meanwhile); the policy then lists
 * and deletes again, up to {@code maxRounds} times, and finally throws a {@link RetirementIncompleteException}
 * (transient: the processor retries the event later with backoff). 404 at any step is success.
 */
public final class DeleteTwinPolicy implements RetirementPolicy {

    /** Rounds of list-delete-delete twin before giving up for this attempt. */
    public static final int DEFAULT_MAX_ROUNDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(DeleteTwinPolicy.class);

    private final int maxRounds;

    public DeleteTwinPolicy() {
        this(DEFAULT_MAX_ROUNDS);
    }

    public DeleteTwinPolicy(int maxRounds) {
        this.maxRounds = Checks.atLeast(maxRounds, 1, "maxRounds");
    }

    @Override
    public RetirementResult retire(DigitalTwinsGateway gateway, RetirementRequest request) {
        String twinId = request.twinId();
        boolean changed = false;
        for (int round = 1; round <= maxRounds; round++) {
            TwinRelationships.Removal removal = TwinRelationships.removeAll(gateway, twinId);
            changed |= removal.removed() > 0;
            if (!removal.twinFound()) {
                return changed ? RetirementResult.RETIRED : RetirementResult.ALREADY_GONE;
            }
            try {
                gateway.deleteTwin(twinId, null);
                LOG.debug("Deleted twin {} after removing its relationships", twinId);
                return RetirementResult.RETIRED;
            } catch (AdtException e) {
                if (e.isNotFound()) {
                    return changed ? RetirementResult.RETIRED : RetirementResult.ALREADY_GONE;
                }
                if (!e.isRelationshipsNotDeleted()) {
                    throw e;
                }
                LOG.debug("Twin {} still has relationships (round {} of {}); listing them again",
                        twinId, round, maxRounds);
            }
        }
        throw new RetirementIncompleteException(twinId, "twin '" + twinId + "' still had relationships after "
                + maxRounds + " rounds of deleting them; will try again");
    }

    @Override
    public String toString() {
        return "DELETE(maxRounds=" + maxRounds + ")";
    }
}
