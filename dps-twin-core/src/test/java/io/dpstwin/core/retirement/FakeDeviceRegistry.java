package io.dpstwin.core.retirement;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/** An in-memory {@link DeviceRegistry}: hubs by host name, each with its registered device ids. */
public final class FakeDeviceRegistry implements DeviceRegistry {

    private final Map<String, Set<String>> devicesByHub = new LinkedHashMap<>();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public FakeDeviceRegistry(String... hubHostNames) {
        for (String hub : hubHostNames) {
            devicesByHub.put(hub, ConcurrentHashMap.newKeySet());
        }
    }

    /** A registry of {@code hubHostNames} that asks {@code exists} (hub host name, device id) about every device. */
    public static DeviceRegistry answering(Set<String> hubHostNames, BiPredicate<String, String> exists) {
        return new DeviceRegistry() {
            @Override
            public Set<String> hubHostNames() {
                return hubHostNames;
            }

            @Override
            public boolean deviceExists(String hubHostName, String deviceId) {
                return exists.test(hubHostName, deviceId);
            }
        };
    }

    public FakeDeviceRegistry register(String hubHostName, String deviceId) {
        devicesByHub.get(hubHostName).add(deviceId);
        return this;
    }

    public FakeDeviceRegistry remove(String hubHostName, String deviceId) {
        devicesByHub.get(hubHostName).remove(deviceId);
        return this;
    }

    /** The next lookup throws {@code failure}. */
    public synchronized FakeDeviceRegistry failNext(RuntimeException failure) {
        failures.add(failure);
        return this;
    }

    public int lookups(String deviceId) {
        AtomicInteger count = lookups.get(deviceId);
        return count == null ? 0 : count.get();
    }

    @Override
    public Set<String> hubHostNames() {
        return new LinkedHashSet<>(devicesByHub.keySet());
    }

    @Override
    public boolean deviceExists(String hubHostName, String deviceId) {
        lookups.computeIfAbsent(deviceId, k -> new AtomicInteger()).incrementAndGet();
        RuntimeException failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        Set<String> devices = devicesByHub.get(hubHostName);
        if (devices == null) {
            throw new DeviceRegistryException(hubHostName, false, "unknown hub " + hubHostName, null);
        }
        return devices.contains(deviceId);
    }
}
