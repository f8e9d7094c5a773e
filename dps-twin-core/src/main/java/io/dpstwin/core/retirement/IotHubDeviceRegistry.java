package io.dpstwin.core.retirement;

import com.azure.core.credential.TokenCredential;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadGatewayException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubGatewayTimeoutException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubInternalServerErrorException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubServerBusyException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.core.internal.support.IotHubClients;
import io.dpstwin.core.internal.support.HubNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link DeviceRegistry} on the IoT Hub service SDK ({@code iot-service-client} 2.x {@link RegistryClient}): one
 * client per hub, built once. {@code GET /devices/{id}} answering 404 ({@link IotHubNotFoundException}) means the
 * device does not exist; throttling (429), 5xx and I/O failures are transient; other failures (401, 403, 400) are
 * permanent. Connection strings are used to build the clients and then dropped: they never appear in
 * {@link #toString()}, logs or exception messages. The principal needs read access to the registry (e.g. the
 * {@code registryRead} policy, or the "IoT Hub Data Reader" role).
 */
public final class IotHubDeviceRegistry implements DeviceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(IotHubDeviceRegistry.class);

    /** normalized hub name -> (host name, client). */
    private final Map<String, Hub> hubs;
    private final Set<String> hostNames;

    private record Hub(String hostName, RegistryClient client) {
    }

    private IotHubDeviceRegistry(Map<String, RegistryClient> clientsByHostName) {
        Objects.requireNonNull(clientsByHostName, "clientsByHostName");
        if (clientsByHostName.isEmpty()) {
            throw new IllegalArgumentException("at least one IoT hub is required for the registry guard");
        }
        Map<String, Hub> byName = new LinkedHashMap<>();
        for (Map.Entry<String, RegistryClient> entry : clientsByHostName.entrySet()) {
            String hostName = entry.getKey();
            RegistryClient client = Objects.requireNonNull(entry.getValue(), "client of " + hostName);
            Hub previous = byName.put(HubNames.normalize(hostName), new Hub(hostName.trim(), client));
            if (previous != null) {
                throw new IllegalArgumentException("IoT hub '" + hostName + "' is configured twice");
            }
        }
        this.hubs = Collections.unmodifiableMap(byName);
        Set<String> names = new LinkedHashSet<>();
        byName.values().forEach(hub -> names.add(hub.hostName()));
        this.hostNames = Collections.unmodifiableSet(names);
    }

    /**
     * A registry over ready-made clients (e.g. built with {@code RegistryClientOptions}), keyed by hub host name.
     */
    public static IotHubDeviceRegistry of(Map<String, RegistryClient> clientsByHostName) {
        return new IotHubDeviceRegistry(new LinkedHashMap<>(clientsByHostName));
    }

    /**
     * A registry over hubs reached with an Entra ID credential (recommended; the credential is shared, one client per
     * hub).
     *
     * @param hubHostNames the hubs, e.g. {@code myhub.azure-devices.net}
     */
    public static IotHubDeviceRegistry fromCredential(Collection<String> hubHostNames, TokenCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return new IotHubDeviceRegistry(IotHubClients.byHostName(hubHostNames, host -> new RegistryClient(host, credential)));
    }

    /**
     * A registry over hubs reached with shared access policy connection strings
     * ({@code HostName=...;SharedAccessKeyName=...;SharedAccessKey=...}). The strings are not kept, and an invalid
     * one is reported by its position, never by its value.
     */
    public static IotHubDeviceRegistry fromConnectionStrings(Collection<String> connectionStrings) {
        return new IotHubDeviceRegistry(IotHubClients.byConnectionString(connectionStrings, RegistryClient::new));
    }

    @Override
    public Set<String> hubHostNames() {
        return hostNames;
    }

    @Override
    public boolean deviceExists(String hubHostName, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        Hub hub = hubs.get(HubNames.normalize(hubHostName));
        if (hub == null) {
            throw new DeviceRegistryException(hubHostName, false,
                    "IoT hub '" + hubHostName + "' is not one of the registry guard's hubs " + hostNames, null);
        }
        try {
            Device device = hub.client().getDevice(deviceId);
            return device != null;
        } catch (IotHubNotFoundException e) {
            return false;
        } catch (IotHubTooManyRequestsException | IotHubServerBusyException | IotHubInternalServerErrorException
                 | IotHubBadGatewayException | IotHubGatewayTimeoutException e) {
            throw failure(hub, deviceId, true, e);
        } catch (IotHubException e) {
            throw failure(hub, deviceId, false, e);
        } catch (IOException e) {
            throw failure(hub, deviceId, true, e);
        } catch (RuntimeException e) {
            // e.g. a credential that could not get a token right now; bounded by the processor's retry budget.
            throw failure(hub, deviceId, true, e);
        }
    }

    private static DeviceRegistryException failure(Hub hub, String deviceId, boolean transientFailure, Exception e) {
        String status = e instanceof IotHubException iot && iot.getErrorCode() > 0
                ? " (errorCode " + iot.getErrorCode() + ")" : "";
        LOG.debug("Registry of {} failed for device {}: {}{}", hub.hostName(), deviceId, e.getClass().getSimpleName(), status);
        return new DeviceRegistryException(hub.hostName(), transientFailure,
                "IoT hub '" + hub.hostName() + "' could not say whether device '" + deviceId + "' exists: "
                        + e.getClass().getSimpleName() + status, e);
    }

    @Override
    public String toString() {
        return "IotHubDeviceRegistry[hubs=" + hostNames + "]";
    }
}
