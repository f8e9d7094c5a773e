package io.dpstwin.testkit.dps.emulator;

import java.util.Locale;

/**
 * How DPS picks the hub of a device among the enrollment's linked hubs
 * (https://learn.microsoft.com/azure/iot-dps/how-to-use-allocation-policies).
 */
public enum AllocationPolicy {
    /** Evenly weighted distribution: a stable hash of the registration id picks the hub. */
    HASHED("hashed"),
    /** The enrollment's single hub. */
    STATIC("static"),
    /** The custom allocation webhook picks the hub. */
    CUSTOM("custom");

    private final String wireName;

    AllocationPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name in enrollment JSON ({@code allocationPolicy}). */
    public String wireName() {
        return wireName;
    }

    /** Parses the enrollment JSON name, case-insensitively. */
    public static AllocationPolicy fromWireName(String name) {
        for (AllocationPolicy policy : values()) {
            if (policy.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unsupported allocationPolicy '" + name
                + "' (the emulator supports hashed, static and custom)");
    }
}
