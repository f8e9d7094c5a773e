package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.DigitalTwinsGateway;

/**
 * What happens to a device's digital twin when the device is deleted from IoT Hub.
 *
 * <p>Implementations must be idempotent (lifecycle events are delivered at least once and a failed retirement is
 * run again from the start) and must treat "not found" as success. Throw an {@link io.dpstwin.core.twins.AdtException}
 * or a {@link RetirementIncompleteException} for a failure; transient ones are retried with backoff, the others are
 * dead-lettered. Example of a custom policy that keeps the twin but marks it:
 *
 * <pre>{@code
 * RetirementPolicy markRetired = (gateway, request) -> {
 *     if (RetirementPolicy.DETACH.retire(gateway, request) == RetirementResult.ALREADY_GONE) {
 *         return RetirementResult.ALREADY_GONE;
 *     }
 *     gateway.updateTwin(request.twinId(), List.of(JsonPatchOperation.add("/status", "retired")), null);
 *     return RetirementResult.RETIRED;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface RetirementPolicy {

    /**
     * The reference behaviour, hardened: delete every outgoing and incoming relationship (all pages), then the twin;
     * re-list and retry on {@code RelationshipsNotDeleted}.
     */
    RetirementPolicy DELETE = new DeleteTwinPolicy();

    /** Delete every outgoing and incoming relationship, keep the twin. */
    RetirementPolicy DETACH = new DetachTwinPolicy();

    /**
     * Retires the twin {@code request.twinId()}.
     *
     * @param gateway the ADT gateway to use (the processor passes its own, rate-limited one)
     * @return {@link RetirementResult#ALREADY_GONE} when the twin did not exist, else {@link RetirementResult#RETIRED}
     */
    RetirementResult retire(DigitalTwinsGateway gateway, RetirementRequest request);
}
