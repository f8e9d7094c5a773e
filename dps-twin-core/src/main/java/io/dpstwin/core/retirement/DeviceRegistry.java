package io.dpstwin.core.retirement;

import java.util.Set;

/**
 * The IoT Hub identity registries the retire flow may consult before retiring a twin (the registry guard). DPS
 * deletes a device from its old hub when it reprovisions it to another hub (and, under "reset to initial config",
 * deletes and re-creates it on the same hub), so a {@code deleteDeviceIdentity} event does not always mean the
 * device is gone; when the device still exists in any of these hubs, its twin is kept.
 */
public interface DeviceRegistry {

    /** The hubs to ask, as host names (e.g. {@code myhub.azure-devices.net}); never empty. */
    Set<String> hubHostNames();

    /**
     * Whether {@code deviceId} is registered in the hub.
     *
     * @param hubHostName one of {@link #hubHostNames()} (or its short name)
     * @throws DeviceRegistryException the hub could not answer; {@link DeviceRegistryException#isTransient()} tells
     *                                 whether asking again later can succeed
     */
    boolean deviceExists(String hubHostName, String deviceId);
}
