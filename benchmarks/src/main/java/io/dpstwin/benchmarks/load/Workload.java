package io.dpstwin.benchmarks.load;

import io.dpstwin.benchmarks.BenchModels;

/**
 * The provision-and-retire workload: {@code devices} devices register through DPS (one twin create each), then each
 * twin gets two relationships with its room (the room {@code contains} the device, the device is {@code locatedIn}
 * the room; set up outside the timed phases), then every device is deleted from IoT Hub and its twin retired (two
 * relationship deletes and one twin delete each). Device {@code i} lives in room {@code i % rooms()}, so the devices
 * of one room are spread evenly over the run.
 *
 * @param devices        how many devices are provisioned and retired
 * @param devicesPerRoom how many devices share a room (at most)
 */
public record Workload(int devices, int devicesPerRoom) {

    public Workload {
        if (devices < 1 || devicesPerRoom < 1) {
            throw new IllegalArgumentException("devices and devicesPerRoom must be at least 1");
        }
    }

    public int rooms() {
        return (devices + devicesPerRoom - 1) / devicesPerRoom;
    }

    public String deviceId(int device) {
        return BenchModels.deviceId(device);
    }

    public String roomOf(int device) {
        return BenchModels.roomId(device % rooms());
    }

    /** The most devices any room holds. */
    public int mostDevicesInOneRoom() {
        return (devices + rooms() - 1) / rooms();
    }

    /** Provisioning: one twin create per device. */
    public long provisionCreateDeletes() {
        return devices;
    }

    /** Provisioning: the create is the only write on a device's twin. */
    public long provisionMostWritesOnOneTwin() {
        return 1;
    }

    /** Retirement: two relationship deletes and one twin delete per device. */
    public long retireCreateDeletes() {
        return 3L * devices;
    }

    /**
     * Retirement: a relationship delete is a write on its source and on its target twin (as ADT counts "writes on a
     * twin and its relationships", and as the emulator enforces it), so a device's twin takes 3 writes (both
     * relationship deletes and its own delete) and a room 2 per device it holds.
     */
    public long retireMostWritesOnOneTwin() {
        return Math.max(3L, 2L * mostDevicesInOneRoom());
    }

    /** Every create and delete of the run. */
    public long createDeletes() {
        return provisionCreateDeletes() + retireCreateDeletes();
    }
}
