package io.dpstwin.core.lifecycle;

import io.dpstwin.core.retirement.RetirementRequest;

/** What the filters decided to do with one event, before any I/O. */
sealed interface EventPlan {

    /** Leave the twin alone. */
    record Skip(OutcomeReason reason, String detail, String twinId) implements EventPlan {
    }

    /** Retire {@code request.twinId()} (after the registry guard, when configured). */
    record Retire(LifecycleEvent event, RetirementRequest request) implements EventPlan {
    }

    /** Ensure {@code twinId} exists with {@code modelId}. */
    record Create(LifecycleEvent event, String twinId, String modelId) implements EventPlan {
    }
}
