package io.dpstwin.core.allocation;

import java.util.Map;

/**
 * Chooses the IoT hub a device is assigned to. The answer must be one of the request's {@code linkedHubs}
 * (compared case-insensitively): {@link DpsAllocationHandler} checks it and treats any other answer as a bug
 * (503 and an error log), never as a hub to send the device to.
 *
 * <p>A policy receives a validated request: {@code linkedHubs} is non-empty without blank entries and the
 * registration id is valid. It may throw {@link AllocationRejectedException} to refuse the device.
 */
@FunctionalInterface
public interface HubSelectionPolicy {

    /**
     * @param request the validated allocation request (linked hubs, registration id, current hub, enrollment)
     * @return one of {@code request.linkedHubs()}
     */
    String selectHub(AllocationRequest request);

    /** The reference behaviour: the first linked hub. */
    static HubSelectionPolicy firstLinkedHub() {
        return FirstLinkedHub.INSTANCE;
    }

    /**
     * Keeps a re-registering device on its current hub ({@code currentIotHubHostName}) while that hub is linked,
     * and asks {@code otherwise} for devices registering for the first time or whose hub is no longer linked.
     */
    static HubSelectionPolicy sticky(HubSelectionPolicy otherwise) {
        return new StickyHubSelection(otherwise);
    }

    /**
     * Consistent hashing of the registration id over the linked hubs (rendezvous / highest-random-weight hashing
     * on SHA-256): a device always lands on the same hub while the hubs stay the same, and adding or removing one
     * of n hubs moves only about 1/n of the devices.
     */
    static HubSelectionPolicy consistentHashing() {
        return new RendezvousHubSelection(Map.of());
    }

    /**
     * Weighted rendezvous hashing: like {@link #consistentHashing()}, but a hub of weight 2 receives about twice
     * the devices of a hub of weight 1. Keys are hub host names (case-insensitive); linked hubs without a weight
     * count 1; a weight of 0 drains a hub (it is chosen only when every linked hub has weight 0).
     *
     * @throws IllegalArgumentException for a negative, infinite or NaN weight
     */
    static HubSelectionPolicy weighted(Map<String, ? extends Number> weightsByHub) {
        return new RendezvousHubSelection(weightsByHub);
    }
}
