package io.dpstwin.core.internal.support;

import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionString;
import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionStringBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds one {@code iot-service-client} client per IoT hub, keyed by host name, from host names (Entra ID) or from
 * shared access policy connection strings. Shared by the registry guard and the device inventory so that both
 * refuse the same bad input with the same messages — and never echo a connection string.
 */
public final class IotHubClients {

    private IotHubClients() {
    }

    /**
     * One client per hub host name, in the given order.
     *
     * @throws IllegalArgumentException for a value that is not a host name, or a hub named twice
     */
    public static <C> Map<String, C> byHostName(Collection<String> hubHostNames, Function<String, C> clientForHost) {
        Objects.requireNonNull(hubHostNames, "hubHostNames");
        Map<String, C> clients = new LinkedHashMap<>();
        for (String hostName : hubHostNames) {
            String host = requireHostName(hostName);
            if (clients.put(host, clientForHost.apply(host)) != null) {
                throw new IllegalArgumentException("IoT hub '" + host + "' is configured twice");
            }
        }
        return clients;
    }

    /**
     * One client per connection string ({@code HostName=...;SharedAccessKeyName=...;SharedAccessKey=...}), keyed
     * by its host name. The strings are not kept, and an invalid one is reported by its position, never its value.
     *
     * @throws IllegalArgumentException for an invalid string, or a hub named twice
     */
    public static <C> Map<String, C> byConnectionString(Collection<String> connectionStrings,
                                                        Function<String, C> clientForConnectionString) {
        Objects.requireNonNull(connectionStrings, "connectionStrings");
        Map<String, C> clients = new LinkedHashMap<>();
        int position = 0;
        for (String connectionString : List.copyOf(connectionStrings)) {
            position++;
            String hostName;
            C client;
            try {
                IotHubConnectionString parsed = IotHubConnectionStringBuilder.createIotHubConnectionString(connectionString);
                hostName = parsed.getHostName();
                client = clientForConnectionString.apply(connectionString);
            } catch (RuntimeException e) {
                // The SDK's message may quote the string; report the position and the expected shape only.
                throw new IllegalArgumentException("IoT Hub connection string #" + position + " is not valid "
                        + "(expected HostName=<hub>.azure-devices.net;SharedAccessKeyName=<policy>;SharedAccessKey=<key>; "
                        + "its value is not shown)");
            }
            if (clients.put(hostName, client) != null) {
                throw new IllegalArgumentException("IoT Hub connection string #" + position + " names hub '"
                        + hostName + "' again");
            }
        }
        return clients;
    }

    /**
     * The trimmed host name.
     *
     * @throws IllegalArgumentException when {@code hostName} is blank or has no dot (e.g. a bare hub name)
     */
    public static String requireHostName(String hostName) {
        if (hostName == null || hostName.isBlank() || !hostName.trim().contains(".")) {
            throw new IllegalArgumentException("'" + hostName + "' is not an IoT hub host name "
                    + "(expected e.g. myhub.azure-devices.net)");
        }
        return hostName.trim();
    }
}
