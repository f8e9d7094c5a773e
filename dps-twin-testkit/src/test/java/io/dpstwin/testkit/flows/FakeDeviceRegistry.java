package io.dpstwin.testkit.flows;

import io.dpstwin.core.retirement.DeviceRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** IoT Hub identity registries in memory, for the registry guard; records every lookup as {@code "hub device"}. */
public final class FakeDeviceRegistry implements DeviceRegistry {

    private final Map<String, Set<String>> devicesByHub = new LinkedHashMap<>();
    private final List<String> lookups = new ArrayList<>();

    public FakeDeviceRegistry(String... hubHostNames) {
        for (String hub : hubHostNames) {
            devicesByHub.put(hub, new LinkedHashSet<>());
        }
    }

    public synchronized FakeDeviceRegistry register(String hubHostName, String deviceId) {
        hub(hubHostName).add(deviceId);
        return this;
    }

    public synchronized FakeDeviceRegistry unregister(String hubHostName, String deviceId) {
        hub(hubHostName).remove(deviceId);
        return this;
    }

    public synchronized List<String> lookups() {
        return List.copyOf(lookups);
    }

    @Override
    public synchronized Set<String> hubHostNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(devicesByHub.keySet()));
    }

    @Override
    public synchronized boolean deviceExists(String hubHostName, String deviceId) {
        lookups.add(hubHostName + " " + deviceId);
        return hub(hubHostName).contains(deviceId);
    }

    private Set<String> hub(String hubHostName) {
        Set<String> devices = devicesByHub.get(hubHostName);
        if (devices == null) {
            throw new IllegalArgumentException("unknown hub " + hubHostName);
        }
        return devices;
    }
}
