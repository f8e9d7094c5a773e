package io.dpstwin.testkit.registry;

import io.dpstwin.testkit.internal.Wire;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.retirement.HubNames;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * In-memory IoT hubs' identity registries for tests: the registry guard of the retire flow
 * ({@link DeviceRegistry#deviceExists}) and the device listing of the reconciler ({@link DeviceInventory}) over the
 * same devices. It keeps IoT Hub's rules: device ids of at most 128 characters from IoT Hub's alphabet, unique per hub
 * (case-sensitive), tags of at most 8 KB of JSON, listing in pages (keyset-paged by device id, so devices added or
 * removed while a listing is in progress behave as with continuation tokens), and optional per-minute quotas answered
 * with 429 and {@code Retry-After}, as IoT Hub's S1 tier (20 queries, 100 registry operations per minute per unit).
 * Faults can be injected per hub: throttle or fail the next requests.
 *
 * <pre>{@code
 * InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.builder()
 *         .hubs("hub-a.azure-devices.net", "hub-b.azure-devices.net")
 *         .clock(clock)
 *         .build();
 * hubs.add("hub-a.azure-devices.net", "dev-1", Map.of("dtId", "dev-1", "dtmi", "dtmi:com:example:Thermostat;1"), null);
 * hubs.throttleQueries("hub-a.azure-devices.net", 2, Duration.ofSeconds(3)); // the next 2 pages get 429
 * Reconciler reconciler = Reconciler.builder(adt, hubs).options(options).build();
 * }</pre>
 *
 * Thread-safe.
 */
public final class InMemoryDeviceRegistry implements DeviceRegistry, DeviceInventory {

    /** Devices per listing page unless configured otherwise. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** IoT Hub's limit on the size of a device twin's tags. */
    public static final int MAX_TAGS_BYTES = 8 * 1024;

    private static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9\\-.+%_#*?!(),:=@$']{1,128}$");
    private static final ObjectMapper JSON = Wire.MAPPER;

    private final Map<String, Hub> hubs;
    private final Set<String> hostNames;
    private final Clock clock;
    private final int pageSize;
    private final int queriesPerMinute;
    private final int registryOperationsPerMinute;

    /** One hub's registry, counters, quotas and queued faults; guarded by the registry's lock. */
    private static final class Hub {
        final String hostName;
        final NavigableMap<String, RegisteredDevice> devices = new TreeMap<>();
        final Deque<Instant> recentQueries = new ArrayDeque<>();
        final Deque<Instant> recentRegistryOperations = new ArrayDeque<>();
        final Deque<Fault> queryFaults = new ArrayDeque<>();
        final Deque<Fault> registryFaults = new ArrayDeque<>();
        int queryRequests;
        int registryReads;

        Hub(String hostName) {
            this.hostName = hostName;
        }
    }

    private record Fault(int status, Duration retryAfter) {
    }

    private InMemoryDeviceRegistry(Builder b) {
        if (b.hubs.isEmpty()) {
            throw new IllegalArgumentException("at least one IoT hub is required");
        }
        Map<String, Hub> byName = new LinkedHashMap<>();
        for (String hostName : b.hubs) {
            if (hostName == null || hostName.isBlank() || !hostName.trim().contains(".")) {
                throw new IllegalArgumentException("'" + hostName + "' is not an IoT hub host name "
                        + "(expected e.g. myhub.azure-devices.net)");
            }
            if (byName.put(HubNames.normalize(hostName), new Hub(hostName.trim())) != null) {
                throw new IllegalArgumentException("IoT hub '" + hostName + "' is configured twice");
            }
        }
        this.hubs = byName;
        Set<String> names = new LinkedHashSet<>();
        byName.values().forEach(hub -> names.add(hub.hostName));
        this.hostNames = Collections.unmodifiableSet(names);
        this.clock = b.clock;
        this.pageSize = b.pageSize;
        this.queriesPerMinute = b.queriesPerMinute;
        this.registryOperationsPerMinute = b.registryOperationsPerMinute;
    }

    /** Registries of {@code hubHostNames} with the defaults: system clock, 100 devices per page, no quotas. */
    public static InMemoryDeviceRegistry of(String... hubHostNames) {
        return builder().hubs(hubHostNames).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- content ----

    /** Registers a device without tags or model. */
    public RegisteredDevice add(String hubHostName, String deviceId) {
        return add(hubHostName, deviceId, Map.of(), null);
    }

    /**
     * Registers a device, as DPS does after an allocation (with the {@code initialTwin}'s tags).
     *
     * @param tags    device twin tags, e.g. {@code Map.of("dtId", "room-7", "dtmi", "dtmi:com:example:Room;1")}
     * @param modelId the IoT Plug and Play model id the device announced, or {@code null}
     * @throws IllegalArgumentException for an invalid device id, tags that are not JSON or larger than 8 KB
     * @throws IllegalStateException    when the hub already has a device with that id (IoT Hub's 409)
     */
    public RegisteredDevice add(String hubHostName, String deviceId, Map<String, Object> tags, String modelId) {
        Instant now = clock.instant();
        return put(hubHostName, deviceId, tags, modelId, now, now, false);
    }

    /** As {@link #add(String, String, Map, String)}, with the time it last changed given (e.g. long ago). */
    public RegisteredDevice add(String hubHostName, String deviceId, Map<String, Object> tags, String modelId,
                                Instant lastChanged) {
        Objects.requireNonNull(lastChanged, "lastChanged");
        return put(hubHostName, deviceId, tags, modelId, lastChanged, lastChanged, false);
    }

    /**
     * Replaces a device's tags (as a twin update with new tags does) and stamps its change time.
     *
     * @throws IllegalStateException when the device is not registered
     */
    public RegisteredDevice updateTags(String hubHostName, String deviceId, Map<String, Object> tags) {
        synchronized (this) {
            RegisteredDevice existing = requireDevice(hubHostName, deviceId);
            return put(hubHostName, deviceId, tags, existing.modelId(), existing.created(), clock.instant(), true);
        }
    }

    /** Sets when a device last changed (tests of grace windows). */
    public synchronized RegisteredDevice lastChanged(String hubHostName, String deviceId, Instant when) {
        Objects.requireNonNull(when, "when");
        RegisteredDevice existing = requireDevice(hubHostName, deviceId);
        RegisteredDevice changed = new RegisteredDevice(existing.hubHostName(), deviceId, existing.tags(),
                existing.modelId(), existing.created(), when);
        hub(hubHostName).devices.put(deviceId, changed);
        return changed;
    }

    /** Deletes a device; {@code false} when it was not registered. */
    public synchronized boolean remove(String hubHostName, String deviceId) {
        return hub(hubHostName).devices.remove(deviceId) != null;
    }

    /** A registered device. */
    public synchronized Optional<RegisteredDevice> device(String hubHostName, String deviceId) {
        return Optional.ofNullable(hub(hubHostName).devices.get(deviceId));
    }

    /** A hub's devices, ordered by device id. */
    public synchronized List<RegisteredDevice> devices(String hubHostName) {
        return List.copyOf(hub(hubHostName).devices.values());
    }

    /** Devices in all hubs. */
    public synchronized int deviceCount() {
        return hubs.values().stream().mapToInt(hub -> hub.devices.size()).sum();
    }

    /** Deletes every device and forgets counters, quotas and queued faults. */
    public synchronized void clear() {
        for (Hub hub : hubs.values()) {
            hub.devices.clear();
            hub.recentQueries.clear();
            hub.recentRegistryOperations.clear();
            hub.queryFaults.clear();
            hub.registryFaults.clear();
            hub.queryRequests = 0;
            hub.registryReads = 0;
        }
    }

    private synchronized RegisteredDevice put(String hubHostName, String deviceId, Map<String, Object> tags,
                                              String modelId, Instant created, Instant lastChanged, boolean replace) {
        Hub hub = hub(hubHostName);
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("'" + deviceId + "' is not a valid IoT Hub device id (1-128 characters "
                    + "of A-Z a-z 0-9 - . + % _ # * ? ! ( ) , : = @ $ ')");
        }
        Map<String, Object> copy = tags == null ? Map.of() : new LinkedHashMap<>(tags);
        int size;
        try {
            size = JSON.writeValueAsString(copy).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tags must be JSON values (strings, numbers, booleans, maps, lists)", e);
        }
        if (size > MAX_TAGS_BYTES) {
            throw new IllegalArgumentException("tags are " + size + " bytes of JSON; IoT Hub allows " + MAX_TAGS_BYTES);
        }
        if (!replace && hub.devices.containsKey(deviceId)) {
            throw new IllegalStateException("device '" + deviceId + "' already exists in hub " + hub.hostName
                    + " (409 DeviceAlreadyExists)");
        }
        RegisteredDevice device = new RegisteredDevice(hub.hostName, deviceId, copy, modelId, created, lastChanged);
        hub.devices.put(deviceId, device);
        return device;
    }

    private RegisteredDevice requireDevice(String hubHostName, String deviceId) {
        RegisteredDevice device = hub(hubHostName).devices.get(deviceId);
        if (device == null) {
            throw new IllegalStateException("device '" + deviceId + "' is not registered in hub " + hubHostName);
        }
        return device;
    }

    private Hub hub(String hubHostName) {
        Hub hub = hubs.get(HubNames.normalize(hubHostName));
        if (hub == null) {
            throw new IllegalArgumentException("IoT hub '" + hubHostName + "' is not one of " + hostNames);
        }
        return hub;
    }

    // ---- faults and counters ----

    /** The next {@code count} device query page requests to the hub answer 429 with {@code retryAfter} (or none). */
    public synchronized void throttleQueries(String hubHostName, int count, Duration retryAfter) {
        queue(hub(hubHostName).queryFaults, count, new Fault(429, retryAfter));
    }

    /**
     * The next {@code count} device query page requests to the hub fail with {@code status} (e.g. 401, 503); 429 and
     * 5xx are transient.
     */
    public synchronized void failQueries(String hubHostName, int count, int status) {
        queue(hub(hubHostName).queryFaults, count, new Fault(status, null));
    }

    /** The next {@code count} registry reads ({@link #deviceExists}) of the hub answer 429. */
    public synchronized void throttleRegistryReads(String hubHostName, int count) {
        queue(hub(hubHostName).registryFaults, count, new Fault(429, null));
    }

    private static void queue(Deque<Fault> faults, int count, Fault fault) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    /** Device query page requests the hub received, failed ones included. */
    public synchronized int queryRequests(String hubHostName) {
        return hub(hubHostName).queryRequests;
    }

    /** Registry reads ({@link #deviceExists}) the hub received, failed ones included. */
    public synchronized int registryReads(String hubHostName) {
        return hub(hubHostName).registryReads;
    }

    /** Whether a request within the per-minute quota may go; records it when so. Empty when it may. */
    private Optional<Duration> overQuota(Deque<Instant> recent, int perMinute) {
        if (perMinute <= 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant windowStart = now.minus(Duration.ofMinutes(1));
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) {
            recent.pollFirst();
        }
        if (recent.size() >= perMinute) {
            Duration wait = Duration.between(windowStart, recent.peekFirst());
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Optional.of(Duration.ofSeconds(seconds));
        }
        recent.addLast(now);
        return Optional.empty();
    }

    // ---- DeviceInventory ----

    @Override
    public Set<String> hubHostNames() {
        return hostNames;
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        Hub hub;
        try {
            hub = hub(hubHostName);
        } catch (IllegalArgumentException e) {
            throw new DeviceInventoryException(hubHostName, 0, false, null, e.getMessage(), null);
        }
        return new Cursor(hub);
    }

    /** Keyset paging: each page holds the next devices after the last device id returned. */
    private final class Cursor implements DeviceCursor {

        private final Hub hub;
        private List<DeviceRecord> page = List.of();
        private int index;
        private String lastId;
        private boolean started;
        private boolean more = true;
        private int sent;

        Cursor(Hub hub) {
            this.hub = hub;
        }

        @Override
        public Optional<DeviceRecord> next() {
            while (index >= page.size()) {
                if (started && !more) {
                    return Optional.empty();
                }
                fetch();
            }
            return Optional.of(page.get(index++));
        }

        private void fetch() {
            synchronized (InMemoryDeviceRegistry.this) {
                sent++;
                hub.queryRequests++;
                Fault fault = hub.queryFaults.poll();
                if (fault != null) {
                    throw queryFailure(fault.status(), fault.retryAfter());
                }
                Optional<Duration> quota = overQuota(hub.recentQueries, queriesPerMinute);
                if (quota.isPresent()) {
                    throw queryFailure(429, quota.get());
                }
                Collection<RegisteredDevice> rest = lastId == null
                        ? hub.devices.values() : hub.devices.tailMap(lastId, false).values();
                List<DeviceRecord> records = new ArrayList<>(pageSize);
                for (RegisteredDevice device : rest) {
                    if (records.size() == pageSize) {
                        break;
                    }
                    records.add(device.toDeviceRecord());
                }
                page = records;
                index = 0;
                started = true;
                if (!records.isEmpty()) {
                    lastId = records.get(records.size() - 1).deviceId();
                }
                more = records.size() == pageSize && hub.devices.higherKey(lastId) != null;
            }
        }

        private DeviceInventoryException queryFailure(int status, Duration retryAfter) {
            boolean transientFailure = status == 429 || status >= 500;
            return new DeviceInventoryException(hub.hostName, status, transientFailure, retryAfter,
                    "IoT hub '" + hub.hostName + "' answered the device query with " + status, null);
        }

        @Override
        public int requestsSent() {
            return sent;
        }

        @Override
        public boolean hasMorePages() {
            return !started || more;
        }
    }

    // ---- DeviceRegistry ----

    @Override
    public boolean deviceExists(String hubHostName, String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        synchronized (this) {
            Hub hub;
            try {
                hub = hub(hubHostName);
            } catch (IllegalArgumentException e) {
                throw new DeviceRegistryException(hubHostName, false, e.getMessage(), null);
            }
            hub.registryReads++;
            Fault fault = hub.registryFaults.poll();
            if (fault != null || overQuota(hub.recentRegistryOperations, registryOperationsPerMinute).isPresent()) {
                throw new DeviceRegistryException(hub.hostName, true, "IoT hub '" + hub.hostName
                        + "' throttled the registry read (429)", null);
            }
            return hub.devices.containsKey(deviceId);
        }
    }

    @Override
    public String toString() {
        return "InMemoryDeviceRegistry[hubs=" + hostNames + ", devices=" + deviceCount() + "]";
    }

    /** Builds an {@link InMemoryDeviceRegistry}. Not thread-safe. */
    public static final class Builder {

        private final List<String> hubs = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int queriesPerMinute;
        private int registryOperationsPerMinute;

        private Builder() {
        }

        /** The hubs, as host names (e.g. {@code myhub.azure-devices.net}); adds to those given before. */
        public Builder hubs(String... hubHostNames) {
            return hubs(List.of(hubHostNames));
        }

        public Builder hubs(Collection<String> hubHostNames) {
            hubs.addAll(Objects.requireNonNull(hubHostNames, "hubHostNames"));
            return this;
        }

        /** The clock of change times and quotas (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Devices per listing page (default 100). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Device query pages each hub answers per minute before it throttles with 429 and {@code Retry-After} (IoT
         * Hub S1: 20 per unit); 0 (default) for no quota.
         */
        public Builder queriesPerMinute(int perMinute) {
            this.queriesPerMinute = nonNegative(perMinute, "queriesPerMinute");
            return this;
        }

        /** Registry reads each hub answers per minute before it throttles (IoT Hub S1: 100 per unit); 0 for none. */
        public Builder registryOperationsPerMinute(int perMinute) {
            this.registryOperationsPerMinute = nonNegative(perMinute, "registryOperationsPerMinute");
            return this;
        }

        private static int nonNegative(int value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }

        /**
         * @throws IllegalArgumentException without hubs, or with a hub that is not a host name or is named twice
         */
        public InMemoryDeviceRegistry build() {
            return new InMemoryDeviceRegistry(this);
        }
    }
}
