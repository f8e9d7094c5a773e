package io.dpstwin.benchmarks.reconcile;

import io.dpstwin.core.reconcile.DeviceRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet defined by its size and a seed, nothing stored: device {@code i} (0-based) is {@code dev-<i>}, registered
 * in hub {@code i % hubs}, listed in index order within its hub. Which kind each device is follows from
 * {@code (i * 37 + seed) % 100}: 0 is a device whose twin is missing (it has a model, so the plan creates the twin),
 * 1 an unresolved device (no twin and no model), any other value a device whose twin exists. One twin in a hundred
 * more, {@code orphan-<j>}, has no device. So with 1 % drift of each kind, {@code devices} devices face
 * {@code 0.99 × devices} twins. Every twin is of {@link #MODEL} and was last updated at {@link #TWIN_UPDATED}.
 *
 * @param devices  devices over all hubs (a multiple of 100 gives exactly 1 % of each kind)
 * @param hubs     how many hubs the devices are spread over
 * @param seed     shifts which devices are drift
 * @param pageSize devices per page of a hub's device query
 */
public record Fleet(int devices, int hubs, int seed, int pageSize) {

    /** The model of every twin and of every device that has one. */
    public static final String MODEL = "dtmi:com:example:fleet:Sensor;1";
    /** When every twin was last updated (long before any grace window). */
    public static final Instant TWIN_UPDATED = Instant.parse("2026-01-01T00:00:00Z");

    /** What a device index stands for. */
    public enum Kind { MATCHED, MISSING, UNRESOLVED }

    public Fleet {
        if (devices < 1 || hubs < 1 || pageSize < 1) {
            throw new IllegalArgumentException("devices, hubs and pageSize must be positive");
        }
    }

    public String hub(int hubIndex) {
        return "fleet-" + (hubIndex + 1) + ".azure-devices.net";
    }

    public List<String> hubNames() {
        List<String> names = new ArrayList<>();
        for (int h = 0; h < hubs; h++) {
            names.add(hub(h));
        }
        return names;
    }

    public int hubIndex(String hubHostName) {
        for (int h = 0; h < hubs; h++) {
            if (hub(h).equalsIgnoreCase(hubHostName)) {
                return h;
            }
        }
        return -1;
    }

    /** Devices registered in hub {@code hubIndex}. */
    public int devicesIn(int hubIndex) {
        return devices <= hubIndex ? 0 : (devices - 1 - hubIndex) / hubs + 1;
    }

    /** Pages of hub {@code hubIndex}'s device listing (an empty hub still answers one empty page). */
    public int pagesOf(int hubIndex) {
        return Math.max(1, (devicesIn(hubIndex) + pageSize - 1) / pageSize);
    }

    public Kind kind(int device) {
        int r = Math.floorMod(device * 37 + seed, 100);
        return r == 0 ? Kind.MISSING : r == 1 ? Kind.UNRESOLVED : Kind.MATCHED;
    }

    /** Orphaned twins: one per hundred devices. */
    public int orphans() {
        return devices / 100;
    }

    /** Twins in all: a twin per matched device, plus the orphans. */
    public int twins() {
        int matched = 0;
        for (int i = 0; i < devices; i++) {
            matched += kind(i) == Kind.MATCHED ? 1 : 0;
        }
        return matched + orphans();
    }

    public static String deviceId(int device) {
        return padded("dev-", device);
    }

    public static String orphanId(int orphan) {
        return padded("orphan-", orphan);
    }

    /** {@code prefix} and {@code number} with at least 7 digits (String.format is too slow for a million ids). */
    private static String padded(String prefix, int number) {
        String digits = Integer.toString(number);
        StringBuilder id = new StringBuilder(prefix.length() + Math.max(7, digits.length())).append(prefix);
        for (int i = digits.length(); i < 7; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    /** The {@code n}-th device (0-based) of hub {@code hubIndex} in listing order. */
    public int deviceAt(int hubIndex, int n) {
        return hubIndex + n * hubs;
    }

    public DeviceRecord record(int device) {
        String model = kind(device) == Kind.UNRESOLVED ? null : MODEL;
        return new DeviceRecord(hub(device % hubs), deviceId(device), null, null, model, null);
    }

    /**
     * Twin slot {@code t} of the twin listing: slots below {@link #devices} are the devices' twins (present when
     * the device is matched), the rest are orphans. Returns the twin id, or {@code null} for an empty slot.
     */
    public String twinAt(long slot) {
        if (slot < devices) {
            int device = (int) slot;
            return kind(device) == Kind.MATCHED ? deviceId(device) : null;
        }
        return orphanId((int) (slot - devices));
    }

    public long twinSlots() {
        return (long) devices + orphans();
    }

    /** Whether a twin with this id exists. */
    public boolean twinExists(String twinId) {
        if (twinId.startsWith("orphan-")) {
            int j = parse(twinId.substring(7));
            return j >= 0 && j < orphans() && orphanId(j).equals(twinId);
        }
        if (twinId.startsWith("dev-")) {
            int i = parse(twinId.substring(4));
            return i >= 0 && i < devices && deviceId(i).equals(twinId) && kind(i) == Kind.MATCHED;
        }
        return false;
    }

    private static int parse(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
