package io.dpstwin.core.allocation;

import java.util.Objects;

/** {@link HubSelectionPolicy#sticky(HubSelectionPolicy)}. */
final class StickyHubSelection implements HubSelectionPolicy {

    private final HubSelectionPolicy otherwise;

    StickyHubSelection(HubSelectionPolicy otherwise) {
        this.otherwise = Objects.requireNonNull(otherwise, "otherwise");
    }

    @Override
    public String selectHub(AllocationRequest request) {
        return request.currentHub()
                .flatMap(current -> request.linkedHubs().stream().filter(current::equalsIgnoreCase).findFirst())
                .orElseGet(() -> otherwise.selectHub(request));
    }

    @Override
    public String toString() {
        return "sticky(" + otherwise + ")";
    }
}
