package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LinkedHub} that only remembers the identities DPS gave it (device id → key and twin), for tests of the
 * DPS side alone. Thread-safe.
 */
public final class InMemoryLinkedHub implements LinkedHub {

    /** One device identity. The key is a secret: {@link #toString()} hides it. */
    public record Device(String deviceId, String deviceKey, ObjectNode twin) {
        @Override
        public String toString() {
            return "Device[" + deviceId + ", twin=" + twin + "]";
        }
    }

    private final String hostName;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();

    public InMemoryLinkedHub(String hostName) {
        this.hostName = Objects.requireNonNull(hostName, "hostName");
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public void register(String deviceId, String deviceKey, ObjectNode twin) {
        devices.compute(deviceId, (id, existing) -> {
            ObjectNode newTwin = twin != null ? twin.deepCopy()
                    : existing != null ? existing.twin() : JsonNodeFactory.instance.objectNode();
            return new Device(id, deviceKey, newTwin);
        });
    }

    @Override
    public void deregister(String deviceId) {
        devices.remove(deviceId);
    }

    @Override
    public Optional<ObjectNode> twin(String deviceId) {
        return device(deviceId).map(d -> d.twin().deepCopy());
    }

    /** The identity of {@code deviceId}, if registered. */
    public Optional<Device> device(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    /** The registered device ids. */
    public Set<String> deviceIds() {
        return Set.copyOf(devices.keySet());
    }

    @Override
    public String toString() {
        return "InMemoryLinkedHub[" + hostName + ", " + devices.size() + " devices]";
    }
}
