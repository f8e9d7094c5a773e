package io.dpstwin.core.retirement;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.twins.DigitalTwinsGateway;

/**
 * {@link RetirementPolicy#DETACH}: delete every outgoing and incoming relationship, keep the twin (for audit,
 * history or re-use). Passes repeat until one finds nothing left to delete (listings may still show relationships
 * that were just deleted, and new ones may be added concurrently), up to {@code maxRounds}, then a
 * {@link RetirementIncompleteException} asks for a later retry.
 */
public final class DetachTwinPolicy implements RetirementPolicy {

    public static final int DEFAULT_MAX_ROUNDS = 5;

    private final int maxRounds;

    public DetachTwinPolicy() {
        this(DEFAULT_MAX_ROUNDS);
    }

    public DetachTwinPolicy(int maxRounds) {
        this.maxRounds = Checks.atLeast(maxRounds, 1, "maxRounds");
    }

    @Override
    public RetirementResult retire(DigitalTwinsGateway gateway, RetirementRequest request) {
        String twinId = request.twinId();
        for (int round = 1; round <= maxRounds; round++) {
            TwinRelationships.Removal removal = TwinRelationships.removeAll(gateway, twinId);
            if (!removal.twinFound()) {
                return round == 1 && removal.removed() == 0 ? RetirementResult.ALREADY_GONE : RetirementResult.RETIRED;
            }
            if (removal.removed() == 0) {
                return RetirementResult.RETIRED;
            }
        }
        throw new RetirementIncompleteException(twinId, "twin '" + twinId + "' kept getting relationships after "
                + maxRounds + " rounds of deleting them; will try again");
    }

    @Override
    public String toString() {
        return "DETACH(maxRounds=" + maxRounds + ")";
    }
}
