package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What queries see. Writes reach it after the configured lag (ADT's query index trails writes by up to 10 s);
 * with no lag they reach it at once. Stored nodes are shared with the engine and never modified. Not
 * thread-safe: the engine serialises access.
 */
final class QueryIndex {

    /** The key of a relationship: its source twin and id. */
    record RelationshipKey(String sourceId, String relationshipId) {
    }

    private record Change(Instant due, String twinId, RelationshipKey relationship, ObjectNode node) {
    }

    private final Map<String, ObjectNode> twins = new LinkedHashMap<>();
    private final Map<RelationshipKey, ObjectNode> relationships = new LinkedHashMap<>();
    private final Deque<Change> pending = new ArrayDeque<>();
    private Duration lag;

    QueryIndex(Duration lag) {
        this.lag = lag;
    }

    Duration lag() {
        return lag;
    }

    void lag(Duration lag, Instant now) {
        this.lag = lag;
        if (lag.isZero()) {
            while (!pending.isEmpty()) {
                apply(pending.poll());
            }
        }
        drain(now);
    }

    /** Records that a twin now is {@code node} ({@code null}: deleted). */
    void twin(String id, ObjectNode node, Instant now) {
        record(new Change(now.plus(lag), id, null, node));
    }

    /** Records that a relationship now is {@code node} ({@code null}: deleted). */
    void relationship(RelationshipKey key, ObjectNode node, Instant now) {
        record(new Change(now.plus(lag), null, key, node));
    }

    private void record(Change change) {
        if (lag.isZero() && pending.isEmpty()) {
            apply(change);
        } else {
            pending.add(change);
        }
    }

    List<ObjectNode> twins(Instant now) {
        drain(now);
        return new ArrayList<>(twins.values());
    }

    List<ObjectNode> relationships(Instant now) {
        drain(now);
        return new ArrayList<>(relationships.values());
    }

    private void drain(Instant now) {
        while (!pending.isEmpty() && !pending.peek().due().isAfter(now)) {
            apply(pending.poll());
        }
    }

    private void apply(Change change) {
        if (change.twinId() != null) {
            if (change.node() == null) {
                twins.remove(change.twinId());
            } else {
                twins.put(change.twinId(), change.node());
            }
        } else if (change.node() == null) {
            relationships.remove(change.relationship());
        } else {
            relationships.put(change.relationship(), change.node());
        }
    }

    void clear() {
        twins.clear();
        relationships.clear();
        pending.clear();
    }
}
