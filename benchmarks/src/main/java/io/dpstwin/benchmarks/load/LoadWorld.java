package io.dpstwin.benchmarks.load;

import io.dpstwin.benchmarks.BenchModels;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.Relationship;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The emulated ADT instance of the load scenarios and what happens to it outside the timed phases: rooms are created
 * and relationships set up with limits and latency off (through the in-memory gateway on the emulator's engine), and
 * the final twin graph is checked. During a timed phase the emulator enforces the {@link AdtProfile}.
 */
final class LoadWorld {

    private final AdtEmulator emulator;
    private final InMemoryDigitalTwins direct;
    private final Workload workload;
    private final AdtProfile profile;

    LoadWorld(AdtEmulator emulator, Workload workload, AdtProfile profile) {
        this.emulator = emulator;
        this.direct = new InMemoryDigitalTwins(emulator.engine());
        this.workload = workload;
        this.profile = profile;
    }

    Workload workload() {
        return workload;
    }

    AdtEmulator emulator() {
        return emulator;
    }

    /** No twins but the rooms, no relationships, no limits or latency, an empty journal. */
    void reset() {
        calm();
        emulator.clearTwins();
        for (int room = 0; room < workload.rooms(); room++) {
            direct.createTwinIfAbsent(DigitalTwin.of(BenchModels.roomId(room), BenchModels.ROOM, Map.of("floor", 1)));
        }
        emulator.journal().clear();
        emulator.counters().reset();
    }

    /** From now on the emulator behaves like the scaled ADT: limits (fresh windows) and latency. */
    void likeAdt() {
        emulator.limits(profile.emulatorLimits());
        emulator.faults().clear();
        if (!profile.latency().isZero()) {
            emulator.faults().latency(profile.latency(), profile.latency());
        }
    }

    /** No limits, no latency. */
    void calm() {
        emulator.faults().clear();
        emulator.limits(AdtLimits.none());
    }

    /** Ids of devices that only warm the code paths up, never timed. */
    List<String> warmUpDeviceIds(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("warm-" + BenchModels.deviceId(i));
        }
        return ids;
    }

    /**
     * Waits a little over one rate-limit period, so that every limiter, the client's and the emulator's, starts the
     * next timed phase with a full window (as after any quiet second in production).
     */
    static void settle() throws InterruptedException {
        Thread.sleep(1_100);
    }

    /** The device ids of the workload, in order. */
    List<String> deviceIds() {
        List<String> ids = new ArrayList<>(workload.devices());
        for (int i = 0; i < workload.devices(); i++) {
            ids.add(workload.deviceId(i));
        }
        return ids;
    }

    /** The IoT Hub deletion event of every device, in order. */
    List<IotHubEvent> deletionEvents() {
        return deletionEvents(deviceIds());
    }

    /** The IoT Hub deletion event of each of {@code deviceIds}, in order. */
    static List<IotHubEvent> deletionEvents(List<String> deviceIds) {
        List<IotHubEvent> events = new ArrayList<>(deviceIds.size());
        for (String deviceId : deviceIds) {
            events.add(IotHubEvents.deviceDeleted(BenchModels.HUB_NAME, deviceId));
        }
        return events;
    }

    /** Checks the twins after provisioning: each device twin missing or of the wrong model is a failure. */
    GraphCheck checkProvisioned() {
        List<String> problems = new ArrayList<>();
        int failures = 0;
        for (String deviceId : deviceIds()) {
            Optional<DigitalTwin> twin = direct.getTwin(deviceId);
            if (twin.isEmpty()) {
                failures++;
                problems.add("twin " + deviceId + " was not created");
            } else if (!BenchModels.THERMOSTAT.equals(twin.get().modelId())) {
                failures++;
                problems.add("twin " + deviceId + " has model " + twin.get().modelId());
            }
        }
        int expected = workload.rooms() + workload.devices();
        int actual = emulator.engine().twinCount();
        if (actual > expected) {
            failures += actual - expected;
            problems.add(actual + " twins after provisioning, expected " + expected);
        }
        return new GraphCheck(failures, problems);
    }

    /** Failures found in the twin graph (one per wrong twin or relationship) and their descriptions. */
    record GraphCheck(int failures, List<String> problems) {
    }

    /**
     * Gives every device twin its two relationships with its room (outside the timed phases). A device whose twin
     * was not provisioned (a failure already counted) gets none.
     */
    void relateDevicesToRooms() {
        for (int i = 0; i < workload.devices(); i++) {
            String device = workload.deviceId(i);
            if (direct.getTwin(device).isEmpty()) {
                continue;
            }
            String room = workload.roomOf(i);
            direct.createRelationshipIfAbsent(Relationship.of("contains-" + device, room, device, "contains"));
            direct.createRelationshipIfAbsent(Relationship.of("locatedIn", device, room, "locatedIn"));
        }
    }

    /**
     * Checks the graph after retirement: exactly the rooms are left, and no relationship. Each device twin left, room
     * gone, unexpected twin or relationship left is a failure.
     */
    GraphCheck checkRetired() {
        List<String> problems = new ArrayList<>();
        Set<String> left = new HashSet<>(emulator.engine().twinIds());
        int leftDevices = 0;
        for (String deviceId : deviceIds()) {
            if (left.remove(deviceId)) {
                leftDevices++;
            }
        }
        int failures = leftDevices;
        if (leftDevices > 0) {
            problems.add(leftDevices + " device twins were not retired");
        }
        for (int room = 0; room < workload.rooms(); room++) {
            if (!left.remove(BenchModels.roomId(room))) {
                failures++;
                problems.add("room " + BenchModels.roomId(room) + " is gone");
            }
        }
        if (!left.isEmpty()) {
            failures += left.size();
            problems.add(left.size() + " unexpected twins are left");
        }
        int relationships = emulator.engine().relationshipCount();
        if (relationships != 0) {
            failures += relationships;
            problems.add(relationships + " relationships are left");
        }
        return new GraphCheck(failures, problems);
    }

    /** Requests the emulated ADT has served since the last reset, over HTTPS and in memory alike. */
    long requestCount() {
        return emulator.counters().total();
    }

    /** What the emulator answered since the last reset. */
    Traffic traffic() {
        RequestJournal journal = emulator.journal();
        boolean journalFull = journal.size() >= RequestJournal.CAPACITY;
        Map<String, Long> throttledBy = new TreeMap<>();
        for (RequestJournal.Entry entry : journal.entries()) {
            if (entry.status() == 429) {
                throttledBy.merge(String.valueOf(entry.operation()), 1L, Long::sum);
            }
        }
        return new Traffic(journal.countStatus(429), journalFull, throttledBy);
    }

    /**
     * How many HTTPS requests the emulator answered 429 since the last reset, in all and per operation (counted in
     * its journal, which keeps the last {@value RequestJournal#CAPACITY}; the untimed setup goes through memory and is
     * never journaled).
     */
    record Traffic(long throttled, boolean journalFull, Map<String, Long> throttledByOperation) {

        String throttledText() {
            return (journalFull ? "≥" : "") + throttled;
        }
    }
}
