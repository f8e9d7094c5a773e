package io.dpstwin.core.allocation;

/** {@link HubSelectionPolicy#firstLinkedHub()}. */
final class FirstLinkedHub implements HubSelectionPolicy {

    static final FirstLinkedHub INSTANCE = new FirstLinkedHub();

    private FirstLinkedHub() {
    }

    @Override
    public String selectHub(AllocationRequest request) {
        return request.linkedHubs().get(0);
    }

    @Override
    public String toString() {
        return "firstLinkedHub";
    }
}
