package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.Relationship;

/** Builds twin graphs on a gateway for tests. */
public final class TwinGraph {

    public static final String DEVICE_MODEL = "dtmi:com:example:Thermostat;1";
    public static final String SPACE_MODEL = "dtmi:com:example:Room;1";

    private final DigitalTwinsGateway gateway;

    public TwinGraph(DigitalTwinsGateway gateway) {
        this.gateway = gateway;
    }

    public TwinGraph twin(String id) {
        gateway.createTwinIfAbsent(DigitalTwin.of(id, DEVICE_MODEL));
        return this;
    }

    public TwinGraph twin(String id, String model) {
        gateway.createTwinIfAbsent(DigitalTwin.of(id, model));
        return this;
    }

    /** {@code source -[name]-> target}, relationship id {@code source-name-target}; creates missing twins. */
    public TwinGraph relate(String source, String name, String target) {
        if (gateway.getTwin(source).isEmpty()) {
            twin(source, SPACE_MODEL);
        }
        if (gateway.getTwin(target).isEmpty()) {
            twin(target, SPACE_MODEL);
        }
        gateway.createRelationshipIfAbsent(Relationship.of(source + "-" + name + "-" + target, source, target, name));
        return this;
    }

    /**
     * A device twin with {@code outgoing} relationships to its own targets and {@code incoming} ones from its own
     * sources (ids derived from the device twin id, so graphs of different devices do not share twins).
     */
    public TwinGraph deviceWith(String twinId, int outgoing, int incoming) {
        twin(twinId);
        for (int i = 0; i < outgoing; i++) {
            relate(twinId, "feeds", twinId + "-target-" + i);
        }
        for (int i = 0; i < incoming; i++) {
            relate(twinId + "-space-" + i, "contains", twinId);
        }
        return this;
    }
}
