package io.dpstwin.core.config;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.retirement.IotHubDeviceRegistry;

import java.util.List;
import java.util.function.Supplier;

/**
 * The one place where the settings reach {@code iot-service-client}, an optional dependency of core: only the
 * registry guard and the reconciler's device inventory need it. {@link CoreOptions} calls these methods only when a
 * setting names hubs, so that a host without the SDK (a webhook-only application) never loads a class of it.
 */
final class IotHubSdk {

    private static final String PROBE = "com.microsoft.azure.sdk.iot.service.registry.RegistryClient";

    private IotHubSdk() {
    }

    static boolean present() {
        try {
            Class.forName(PROBE, false, IotHubSdk.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The problem to report against a setting that names hubs while the SDK is missing. */
    static final String MISSING = "names IoT hubs, which dps-twin reads with the IoT Hub service SDK, but that SDK is "
            + "not on the class path: add the dependency com.microsoft.azure.sdk.iot:iot-service-client to the "
            + "application";

    /** From the connection strings when no host name is given, else with the credential. */
    static IotHubDeviceRegistry registry(List<String> hosts, List<String> strings, Supplier<TokenCredential> cred) {
        return hosts.isEmpty() ? IotHubDeviceRegistry.fromConnectionStrings(strings)
                : IotHubDeviceRegistry.fromCredential(hosts, cred.get());
    }

    static IotHubDeviceInventory inventory(List<String> hosts, List<String> strings, Supplier<TokenCredential> cred) {
        return hosts.isEmpty() ? IotHubDeviceInventory.fromConnectionStrings(strings)
                : IotHubDeviceInventory.fromCredential(hosts, cred.get());
    }
}
