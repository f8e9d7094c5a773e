package io.dpstwin.core.config;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;

import java.util.List;

/**
 * The one place where the settings reach {@code iot-service-client}, an optional dependency of core: only the
 * registry guard and the reconciler's device inventory need it. {@link CoreOptions} calls these methods only when a
 * setting names hubs, so that a host without the SDK (a webhook-only application) never loads a class of it.
 */
final class IotHubSdk {

    /** The Maven coordinates to add. */
    static final String ARTIFACT = "com.microsoft.azure.sdk.iot:iot-service-client";
    private static final String PROBE = "com.microsoft.azure.sdk.iot.service.registry.RegistryClient";

    private IotHubSdk() {
    }

    /** Whether the SDK is on the class path of core. */
    static boolean present() {
        try {
            Class.forName(PROBE, false, IotHubSdk.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The problem to report against a setting that names hubs while the SDK is missing. */
    static String missing() {
        return "names IoT hubs, which dps-twin reads with the IoT Hub service SDK, but that SDK is not on the class "
                + "path: add the dependency " + ARTIFACT + " to the application";
    }

    static IotHubDeviceRegistry registry(List<String> hostNames, List<String> connectionStrings,
                                         TokenCredential credential) {
        return hostNames.isEmpty() ? IotHubDeviceRegistry.fromConnectionStrings(connectionStrings)
                : IotHubDeviceRegistry.fromCredential(hostNames, credential);
    }

    static IotHubDeviceInventory inventory(List<String> hostNames, List<String> connectionStrings,
                                           TokenCredential credential) {
        return hostNames.isEmpty() ? IotHubDeviceInventory.fromConnectionStrings(connectionStrings)
                : IotHubDeviceInventory.fromCredential(hostNames, credential);
    }
}
