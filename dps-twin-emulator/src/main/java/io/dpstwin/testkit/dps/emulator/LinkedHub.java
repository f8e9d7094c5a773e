package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * An IoT hub linked to the {@link DpsEmulator}: where DPS creates the identity of a device it assigns. The IoT Hub
 * emulator implements it; {@link InMemoryLinkedHub} is a minimal stand-in. Calls come from the DPS emulator's
 * allocation threads, possibly concurrently for different devices.
 */
public interface LinkedHub {

    /** The host name DPS assigns and devices dial, e.g. {@code hub-1.azure-devices.net} or {@code 127.0.0.1}. */
    String hostName();

    /**
     * Creates the device identity with symmetric key {@code deviceKey} (Base64), or updates the key of an existing
     * one. When {@code twin} is not null, the device twin's {@code tags} and {@code properties.desired} become its
     * {@code tags} and {@code properties.desired} (DPS's {@code initialTwin}, or a twin migrated from another hub);
     * when null, an existing twin is kept and a new one starts empty.
     */
    void register(String deviceId, String deviceKey, ObjectNode twin);

    /** Deletes the device identity if it exists (DPS moves the device away, or resets it). */
    void deregister(String deviceId);

    /**
     * The device twin's {@code tags} and {@code properties.desired}, to migrate when DPS moves the device to another
     * hub under the "reprovision and migrate data" policy; empty when the device does not exist here.
     */
    default Optional<ObjectNode> twin(String deviceId) {
        return Optional.empty();
    }
}
