package io.dpstwin.core.lifecycle;

import io.dpstwin.core.internal.support.Identifiers;
import java.util.Objects;

/**
 * The outcome of one event of a batch.
 *
 * @param index    the event's position in the batch
 * @param event    the event as parsed
 * @param outcome  what became of it
 * @param reason   why it was skipped, dead-lettered or failed; {@code null} for the successful outcomes
 * @param twinId   the digital twin the event concerned, when it got that far
 * @param attempts how many times the event's ADT work was attempted (0 for skipped events)
 * @param detail   a human-readable explanation with ids only (never a body), or {@code null}
 */
public record EventOutcome(int index, ParsedEvent event, LifecycleOutcome outcome, OutcomeReason reason,
                           String twinId, int attempts, String detail) {

    public EventOutcome {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether the event is settled (not {@link LifecycleOutcome#FAILED}). */
    public boolean isSettled() {
        return outcome.isSettled();
    }

    @Override
    public String toString() {
        return "EventOutcome[" + index + " " + outcome.tagValue()
                + (reason == null ? "" : " reason=" + reason.code())
                + (twinId == null ? "" : " twin=" + Identifiers.shown(twinId))
                + (attempts == 0 ? "" : " attempts=" + attempts)
                + " " + event.describe()
                + (detail == null ? "" : " detail=" + detail) + "]";
    }
}
