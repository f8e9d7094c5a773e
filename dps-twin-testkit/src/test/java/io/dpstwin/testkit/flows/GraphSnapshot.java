package io.dpstwin.testkit.flows;

import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;

import java.util.ArrayList;
import java.util.List;

/** Every relationship of an engine as {@code "source -name-> target (id)"}, read without HTTP. */
public final class GraphSnapshot {

    private GraphSnapshot() {
    }

    public static List<String> of(AdtEngine engine) {
        InMemoryDigitalTwins adt = new InMemoryDigitalTwins(engine);
        List<String> relationships = new ArrayList<>();
        for (String twinId : engine.twinIds()) {
            for (Relationship r : adt.listRelationships(twinId, null)) {
                relationships.add(r.sourceId() + " -" + r.name() + "-> " + r.targetId() + " (" + r.id() + ")");
            }
        }
        return relationships;
    }
}
