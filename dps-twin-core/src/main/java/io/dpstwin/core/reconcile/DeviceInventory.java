package io.dpstwin.core.reconcile;

import java.util.Set;

/**
 * The devices of the IoT hubs the reconciler compares with the twin graph, listed page by page. The production
 * implementations are {@link IotHubDeviceInventory} (IoT Hub's device query) and, for hubs too large to list within
 * the query quota, {@link ExportedDeviceInventory} (an export job's blob); the testkit has an in-memory one.
 *
 * <p>This is separate from the retire flow's registry guard
 * ({@link io.dpstwin.core.retirement.DeviceRegistry#deviceExists}): listing uses IoT Hub's query API and its quota
 * (20 queries per minute per S1 unit), the guard uses single-device reads (100 registry operations per minute per
 * unit), and each needs its own permission. Both name hubs by host name through {@link #hubHostNames()}, so one
 * class may implement both.
 *
 * <p>Implementations only talk to the hub: they neither retry nor pace. The reconciler paces the page requests of
 * every hub and retries transient failures ({@link DeviceInventoryException#isTransient()}) honouring
 * {@link DeviceInventoryException#retryAfter()}.
 */
public interface DeviceInventory {

    /** The hubs to list, as host names (e.g. {@code myhub.azure-devices.net}); never empty. */
    Set<String> hubHostNames();

    /**
     * Starts listing every device of a hub (modules are not devices). Opening a cursor sends no request.
     *
     * @param hubHostName one of {@link #hubHostNames()}
     * @throws DeviceInventoryException (permanent) when the hub is not one of {@link #hubHostNames()}
     */
    DeviceCursor listDevices(String hubHostName);
}
