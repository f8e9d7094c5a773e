package io.dpstwin.core.lifecycle;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcomes of a batch, one per input event, in input order, and what an adapter needs to decide about
 * checkpoints and redelivery:
 * <ul>
 *   <li>{@link #allSettled()}: every event is applied, skipped or dead-lettered: checkpoint the whole batch (Event
 *       Hubs), complete the function normally (Functions), answer 200 (Event Grid).</li>
 *   <li>otherwise some event {@link LifecycleOutcome#FAILED}: do not checkpoint past it
 *       ({@link #settledPrefixLength()} tells how many leading events may be checkpointed), throw from the function so
 *       its retry policy redelivers the batch, or answer 5xx to Event Grid. Replays are harmless.</li>
 * </ul>
 */
public record BatchResult(List<EventOutcome> outcomes) {

    public BatchResult {
        outcomes = List.copyOf(outcomes);
    }

    public int size() {
        return outcomes.size();
    }

    /** Whether no event {@link LifecycleOutcome#FAILED}. */
    public boolean allSettled() {
        return outcomes.stream().allMatch(EventOutcome::isSettled);
    }

    /** How many leading events are settled: the events at {@code 0 .. n-1} may be checkpointed. */
    public int settledPrefixLength() {
        int n = 0;
        while (n < outcomes.size() && outcomes.get(n).isSettled()) {
            n++;
        }
        return n;
    }

    /** How many events had {@code outcome}. */
    public long count(LifecycleOutcome outcome) {
        return outcomes.stream().filter(o -> o.outcome() == outcome).count();
    }

    /** How many events had {@code reason}. */
    public long count(OutcomeReason reason) {
        return outcomes.stream().filter(o -> o.reason() == reason).count();
    }

    /** Event counts by outcome (outcomes that did not occur are absent). */
    public Map<LifecycleOutcome, Long> countsByOutcome() {
        Map<LifecycleOutcome, Long> counts = new EnumMap<>(LifecycleOutcome.class);
        outcomes.forEach(o -> counts.merge(o.outcome(), 1L, Long::sum));
        return Collections.unmodifiableMap(counts);
    }

    /** Event counts by reason code, for logs (reasons that did not occur are absent). */
    public Map<String, Long> countsByReason() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.stream().filter(o -> o.reason() != null).forEach(o -> counts.merge(o.reason().code(), 1L, Long::sum));
        return Collections.unmodifiableMap(counts);
    }

    /** The events that {@link LifecycleOutcome#FAILED}. */
    public List<EventOutcome> failed() {
        return outcomes.stream().filter(o -> !o.isSettled()).toList();
    }

    /** The events that were {@link LifecycleOutcome#DEAD_LETTERED}. */
    public List<EventOutcome> deadLettered() {
        return outcomes.stream().filter(o -> o.outcome() == LifecycleOutcome.DEAD_LETTERED).toList();
    }

    /** A one-line summary for logs, e.g. {@code 12 events: retired=10 skipped=2 [module_event=2]}. */
    public String summary() {
        StringBuilder out = new StringBuilder().append(size()).append(" events:");
        countsByOutcome().forEach((outcome, count) -> out.append(' ').append(outcome.tagValue()).append('=').append(count));
        Map<String, Long> reasons = countsByReason();
        if (!reasons.isEmpty()) {
            out.append(' ').append(reasons);
        }
        return out.toString();
    }
}
