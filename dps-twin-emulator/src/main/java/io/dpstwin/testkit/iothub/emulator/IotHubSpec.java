package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.testkit.iothub.IotHubEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one emulated hub is: host name, hub name, service port and shared access policies. Immutable; each
 * {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * IotHubSpec.of("contoso-hub-1.azure-devices.net")                   // name contoso-hub-1, a free port
 * IotHubSpec.of("127.0.0.1").name("local-hub").port(8443)            // Java's device client needs a dotted host
 * }</pre>
 *
 * @param hostName the host name devices dial and DPS assigns
 * @param name     the hub name lifecycle events carry
 * @param port     the HTTPS service port (0: a free one)
 * @param policies the shared access policies, {@code iothubowner} first
 */
public record IotHubSpec(String hostName, String name, int port, List<SharedAccessPolicy> policies) {

    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9\\-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9\\-]*[A-Za-z0-9])?)*$");
    private static final Pattern IP = Pattern.compile("^[0-9.]+$");

    public IotHubSpec {
        Objects.requireNonNull(hostName, "hostName");
        if (!HOST.matcher(hostName).matches()) {
            throw new IllegalArgumentException("'" + hostName + "' is not a host name");
        }
        Objects.requireNonNull(name, "name");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        policies = List.copyOf(policies);
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("a hub needs at least one shared access policy");
        }
    }

    /**
     * A hub with that host name, named after its first label (an IP address keeps its full text as name; give a
     * {@link #name(String)}), on a free port, with an {@code iothubowner} policy with random keys.
     */
    public static IotHubSpec of(String hostName) {
        Objects.requireNonNull(hostName, "hostName");
        String name = IP.matcher(hostName).matches() ? hostName : IotHubEvents.hubNameOf(hostName);
        return new IotHubSpec(hostName, name, 0,
                List.of(SharedAccessPolicy.generate(SharedAccessPolicy.IOTHUBOWNER)));
    }

    /** The hub name lifecycle events carry in {@code hubName}. */
    public IotHubSpec name(String name) {
        return new IotHubSpec(hostName, name, port, policies);
    }

    /** The HTTPS service port (0: a free one). */
    public IotHubSpec port(int port) {
        return new IotHubSpec(hostName, name, port, policies);
    }

    /** Sets {@code iothubowner}'s primary key (Base64), e.g. to match a connection string a test already has. */
    public IotHubSpec ownerKey(String primaryKey) {
        List<SharedAccessPolicy> changed = new ArrayList<>(policies);
        SharedAccessPolicy owner = changed.get(0);
        changed.set(0, new SharedAccessPolicy(owner.name(), primaryKey, owner.secondaryKey()));
        return new IotHubSpec(hostName, name, port, changed);
    }

    /** Adds (or replaces, by name) a policy. */
    public IotHubSpec policy(SharedAccessPolicy policy) {
        List<SharedAccessPolicy> changed = new ArrayList<>(policies);
        changed.removeIf(p -> p.name().equals(policy.name()));
        changed.add(policy);
        return new IotHubSpec(hostName, name, port, changed);
    }

    /** The policy named {@code name}. */
    public Optional<SharedAccessPolicy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
