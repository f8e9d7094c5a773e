package io.dpstwin.benchmarks.load;

import io.dpstwin.testkit.iothub.IotHubEvent;

import java.util.List;

/** Something that provisions and retires devices against the emulator: dps-twin, or the reference-sample port. */
interface Contender extends AutoCloseable {

    /** What the report calls it. */
    String name();

    /** Registers every device (with its allocation request) through {@code dps} and returns what DPS saw. */
    DpsSimulator.Result provision(DpsSimulator dps, List<String> deviceIds, List<String> requests)
            throws InterruptedException;

    /** Handles the deletion events in Event Hubs batches; returns one problem per event not retired as expected. */
    List<String> retire(List<IotHubEvent> events);

    @Override
    void close();
}
