package io.dpstwin.testkit.registry;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;

/** The reconciler scenarios against the in-memory ADT (the engine's query subset, no network). */
class ReconcilerInMemoryAdtTest extends ReconcilerScenarios {

    private AdtEngine engine;
    private InMemoryDigitalTwins adt;

    @Override
    void resetAdt() {
        engine = newEngine();
        adt = new InMemoryDigitalTwins(engine);
        adt.uploadModels(MODELS);
    }

    @Override
    AdtEngine engine() {
        return engine;
    }

    @Override
    DigitalTwinsGateway reconcilerGateway() {
        return adt;
    }
}
