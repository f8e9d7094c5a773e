package io.dpstwin.testkit.registry;

import io.dpstwin.core.support.Checks;
import io.dpstwin.testkit.internal.Wire;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.core.internal.support.HubNames;

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
    private final List<IdentityChange.Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long generation;

    /** One hub's registry, counters, quotas and queued faults; guarded by the registry's lock. */
    private static final class Hub {
        final String hostName;
        final NavigableMap<String, RegisteredDevice> devices = new TreeMap<>();
        final Map<String, NavigableMap<String, RegisteredModule>> modules = new TreeMap<>();
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
            if (byName.put(key(hostName), new Hub(hostName.trim())) != null) {
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

    /**
     * The key of a hub: its first label, lower case, as dps-twin compares hub names ({@link HubNames}); an IPv4
     * address (a hub the Java device client dials as {@code 127.0.0.2}) is its own key.
     */
    private static String key(String hubHostName) {
        String trimmed = hubHostName == null ? null : hubHostName.trim();
        if (trimmed != null && trimmed.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return trimmed;
        }
        return HubNames.normalize(hubHostName);
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

    /**
     * Replaces a device twin's tags and desired properties (DPS's {@code initialTwin}, a migrated twin) and stamps
     * its change time.
     *
     * @throws RegistryException        404 when the device is not registered
     * @throws IllegalArgumentException for tags that are not JSON or larger than 8 KB
     */
    public synchronized RegisteredDevice replaceTwin(String hubHostName, String deviceId, Map<String, Object> tags,
                                                     Map<String, Object> desired) {
        Hub hub = hub(hubHostName);
        RegisteredDevice existing = registered(hub, deviceId);
        RegisteredDevice changed = new RegisteredDevice(hub.hostName, deviceId, checkedTags(tags), existing.modelId(),
                existing.created(), clock.instant(), existing.authentication(), existing.enabled(),
                existing.statusReason(), existing.generationId(), existing.version() + 1, desired);
        hub.devices.put(deviceId, changed);
        return changed;
    }

    /** Sets when a device last changed (tests of grace windows). */
    public synchronized RegisteredDevice lastChanged(String hubHostName, String deviceId, Instant when) {
        Objects.requireNonNull(when, "when");
        RegisteredDevice existing = requireDevice(hubHostName, deviceId);
        RegisteredDevice changed = new RegisteredDevice(existing.hubHostName(), deviceId, existing.tags(),
                existing.modelId(), existing.created(), when, existing.authentication(), existing.enabled(),
                existing.statusReason(), existing.generationId(), existing.version(), existing.desiredProperties());
        hub(hubHostName).devices.put(deviceId, changed);
        return changed;
    }

    /** Deletes a device and its modules; {@code false} when it was not registered. */
    public synchronized boolean remove(String hubHostName, String deviceId) {
        Hub hub = hub(hubHostName);
        if (!hub.devices.containsKey(deviceId)) {
            return false;
        }
        deleteDevice(hubHostName, deviceId, null);
        return true;
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
            hub.modules.clear();
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
        validateDeviceId(deviceId);
        Map<String, Object> copy = checkedTags(tags);
        RegisteredDevice existing = hub.devices.get(deviceId);
        if (!replace && existing != null) {
            throw RegistryException.deviceExists(hub.hostName, deviceId);
        }
        RegisteredDevice device = existing == null
                ? new RegisteredDevice(hub.hostName, deviceId, copy, modelId, created, lastChanged,
                DeviceAuthentication.generatedKeys(), true, null, nextGenerationId(), 1, Map.of())
                : new RegisteredDevice(hub.hostName, deviceId, copy, modelId, created, lastChanged,
                existing.authentication(), existing.enabled(), existing.statusReason(), existing.generationId(),
                existing.version() + 1, existing.desiredProperties());
        hub.devices.put(deviceId, device);
        if (existing == null) {
            publish(true, device, null, device.created());
        }
        return device;
    }

    private String nextGenerationId() {
        generation++;
        return Long.toString(638_000_000_000_000_000L + clock.millis() % 1_000_000_000_000L * 1000 + generation % 1000);
    }

    private void validateDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("'" + deviceId + "' is not a valid IoT Hub device id (1-128 characters "
                    + "of A-Z a-z 0-9 - . + % _ # * ? ! ( ) , : = @ $ ')");
        }
    }

    private void publish(boolean created, RegisteredDevice device, String moduleId, Instant when) {
        IdentityChange change = new IdentityChange(created, device.hubHostName(), device.deviceId(), moduleId,
                moduleId == null ? device.tags() : Map.of(), device.twinEtag(), device.version(), when);
        for (IdentityChange.Listener listener : listeners) {
            listener.identityChanged(change);
        }
    }

    private static Map<String, Object> checkedTags(Map<String, Object> tags) {
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
        return copy;
    }

    private RegisteredDevice requireDevice(String hubHostName, String deviceId) {
        RegisteredDevice device = hub(hubHostName).devices.get(deviceId);
        if (device == null) {
            throw new IllegalStateException("device '" + deviceId + "' is not registered in hub " + hubHostName);
        }
        return device;
    }

    private Hub hub(String hubHostName) {
        Hub hub = hubs.get(key(hubHostName));
        if (hub == null) {
            throw new IllegalArgumentException("IoT hub '" + hubHostName + "' is not one of " + hostNames);
        }
        return hub;
    }

    // ---- identities, as IoT Hub's registry API manages them ----

    /**
     * Receives every creation and deletion of a device or module identity from now on, whichever API made it (the
     * lifecycle events of an IoT hub emulator come from here).
     */
    public void addListener(IdentityChange.Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(IdentityChange.Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Creates a device identity, as IoT Hub's {@code PUT /devices/{id}} without {@code If-Match}.
     *
     * @param authentication its credential; {@code null} for new random symmetric keys
     * @param tags           twin tags (e.g. DPS's {@code initialTwin.tags}), or {@code null}
     * @param desired        twin desired properties (e.g. DPS's {@code initialTwin.properties.desired}), or
     *                       {@code null}
     * @throws IllegalArgumentException for an invalid id or tags
     * @throws RegistryException        409 {@code DeviceAlreadyExists}
     */
    public synchronized RegisteredDevice createDevice(String hubHostName, String deviceId,
                                                      DeviceAuthentication authentication, boolean enabled,
                                                      String statusReason, Map<String, Object> tags,
                                                      Map<String, Object> desired, String modelId) {
        Hub hub = hub(hubHostName);
        validateDeviceId(deviceId);
        Map<String, Object> checked = checkedTags(tags);
        if (hub.devices.containsKey(deviceId)) {
            throw RegistryException.deviceExists(hub.hostName, deviceId);
        }
        Instant now = clock.instant();
        RegisteredDevice device = new RegisteredDevice(hub.hostName, deviceId, checked, modelId, now, now,
                authentication != null ? authentication : DeviceAuthentication.generatedKeys(), enabled,
                enabled ? null : statusReason, nextGenerationId(), 1, desired);
        hub.devices.put(deviceId, device);
        publish(true, device, null, now);
        return device;
    }

    /**
     * Replaces a device identity's credential and status, as {@code PUT /devices/{id}} with {@code If-Match}.
     *
     * @param ifMatch the etag the caller last saw (quoted or not), {@code *} or {@code null} for any
     * @throws RegistryException 404 {@code DeviceNotFound}, 412 {@code PreconditionFailed}
     */
    public synchronized RegisteredDevice updateDevice(String hubHostName, String deviceId, String ifMatch,
                                                      DeviceAuthentication authentication, boolean enabled,
                                                      String statusReason) {
        Hub hub = hub(hubHostName);
        RegisteredDevice existing = registered(hub, deviceId);
        checkEtag("device " + deviceId, ifMatch, existing.etag());
        RegisteredDevice updated = new RegisteredDevice(hub.hostName, deviceId, existing.tags(), existing.modelId(),
                existing.created(), clock.instant(),
                authentication != null ? authentication : existing.authentication(), enabled,
                enabled ? null : statusReason, existing.generationId(), existing.version() + 1,
                existing.desiredProperties());
        hub.devices.put(deviceId, updated);
        return updated;
    }

    /**
     * Deletes a device identity and its modules, as {@code DELETE /devices/{id}}.
     *
     * @param ifMatch the etag the caller last saw (quoted or not), {@code *} or {@code null} for any
     * @return the deleted device
     * @throws RegistryException 404 {@code DeviceNotFound}, 412 {@code PreconditionFailed}
     */
    public synchronized RegisteredDevice deleteDevice(String hubHostName, String deviceId, String ifMatch) {
        Hub hub = hub(hubHostName);
        RegisteredDevice existing = registered(hub, deviceId);
        checkEtag("device " + deviceId, ifMatch, existing.etag());
        hub.devices.remove(deviceId);
        hub.modules.remove(deviceId);
        publish(false, existing, null, clock.instant());
        return existing;
    }

    /**
     * Creates a module identity on a device, as {@code PUT /devices/{id}/modules/{moduleId}}.
     *
     * @throws RegistryException 404 {@code DeviceNotFound}, 409 {@code ModuleAlreadyExistsOnDevice}
     */
    public synchronized RegisteredModule createModule(String hubHostName, String deviceId, String moduleId,
                                                      DeviceAuthentication authentication, String managedBy) {
        Hub hub = hub(hubHostName);
        RegisteredDevice device = registered(hub, deviceId);
        validateDeviceId(moduleId);
        Map<String, RegisteredModule> ofDevice = hub.modules.computeIfAbsent(deviceId, d -> new TreeMap<>());
        if (ofDevice.containsKey(moduleId)) {
            throw RegistryException.moduleExists(deviceId, moduleId);
        }
        Instant now = clock.instant();
        RegisteredModule module = new RegisteredModule(hub.hostName, deviceId, moduleId, now, now,
                authentication != null ? authentication : DeviceAuthentication.generatedKeys(), nextGenerationId(),
                1, managedBy);
        ofDevice.put(moduleId, module);
        publish(true, device, moduleId, now);
        return module;
    }

    /**
     * Replaces a module's credential, as {@code PUT /devices/{id}/modules/{moduleId}} with {@code If-Match}.
     *
     * @throws RegistryException 404 {@code ModuleNotFound}, 412 {@code PreconditionFailed}
     */
    public synchronized RegisteredModule updateModule(String hubHostName, String deviceId, String moduleId,
                                                      String ifMatch, DeviceAuthentication authentication,
                                                      String managedBy) {
        Hub hub = hub(hubHostName);
        RegisteredModule existing = requireModule(hub, deviceId, moduleId);
        checkEtag("module " + deviceId + "/" + moduleId, ifMatch, existing.etag());
        RegisteredModule updated = new RegisteredModule(hub.hostName, deviceId, moduleId, existing.created(),
                clock.instant(), authentication != null ? authentication : existing.authentication(),
                existing.generationId(), existing.version() + 1, managedBy);
        hub.modules.get(deviceId).put(moduleId, updated);
        return updated;
    }

    /**
     * Deletes a module identity, as {@code DELETE /devices/{id}/modules/{moduleId}}.
     *
     * @throws RegistryException 404 {@code ModuleNotFound}, 412 {@code PreconditionFailed}
     */
    public synchronized RegisteredModule deleteModule(String hubHostName, String deviceId, String moduleId,
                                                      String ifMatch) {
        Hub hub = hub(hubHostName);
        RegisteredModule existing = requireModule(hub, deviceId, moduleId);
        checkEtag("module " + deviceId + "/" + moduleId, ifMatch, existing.etag());
        hub.modules.get(deviceId).remove(moduleId);
        publish(false, hub.devices.get(deviceId), moduleId, clock.instant());
        return existing;
    }

    /** A module of a device. */
    public synchronized Optional<RegisteredModule> module(String hubHostName, String deviceId, String moduleId) {
        Map<String, RegisteredModule> ofDevice = hub(hubHostName).modules.get(deviceId);
        return Optional.ofNullable(ofDevice == null ? null : ofDevice.get(moduleId));
    }

    /** A device's modules, ordered by module id. */
    public synchronized List<RegisteredModule> modules(String hubHostName, String deviceId) {
        Map<String, RegisteredModule> ofDevice = hub(hubHostName).modules.get(deviceId);
        return ofDevice == null ? List.of() : List.copyOf(ofDevice.values());
    }

    /** Up to {@code limit} devices of a hub whose ids sort after {@code afterDeviceId} ({@code null}: from the start). */
    public synchronized List<RegisteredDevice> devicesAfter(String hubHostName, String afterDeviceId, int limit) {
        NavigableMap<String, RegisteredDevice> devices = hub(hubHostName).devices;
        Collection<RegisteredDevice> rest = afterDeviceId == null
                ? devices.values() : devices.tailMap(afterDeviceId, false).values();
        return rest.stream().limit(limit).toList();
    }

    /** The device, or a 404 {@code DeviceNotFound}. */
    private static RegisteredDevice registered(Hub hub, String deviceId) {
        RegisteredDevice device = hub.devices.get(deviceId);
        if (device == null) {
            throw RegistryException.deviceNotFound(hub.hostName, deviceId);
        }
        return device;
    }

    private RegisteredModule requireModule(Hub hub, String deviceId, String moduleId) {
        registered(hub, deviceId);
        Map<String, RegisteredModule> ofDevice = hub.modules.get(deviceId);
        RegisteredModule module = ofDevice == null ? null : ofDevice.get(moduleId);
        if (module == null) {
            throw RegistryException.moduleNotFound(hub.hostName, deviceId, moduleId);
        }
        return module;
    }

    /** RFC 7232 weak comparison of {@code If-Match} with an etag; {@code null} and {@code *} match any. */
    private static void checkEtag(String what, String ifMatch, String etag) {
        if (ifMatch == null) {
            return;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        if (!tag.equals("*") && !tag.equals(etag)) {
            throw RegistryException.preconditionFailed(what, ifMatch, etag);
        }
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
            this.pageSize = Checks.atLeast(pageSize, 1, "pageSize");
            return this;
        }

        /**
         * Device query pages each hub answers per minute before it throttles with 429 and {@code Retry-After} (IoT
         * Hub S1: 20 per unit); 0 (default) for no quota.
         */
        public Builder queriesPerMinute(int perMinute) {
            this.queriesPerMinute = Checks.atLeast(perMinute, 0, "queriesPerMinute");
            return this;
        }

        /** Registry reads each hub answers per minute before it throttles (IoT Hub S1: 100 per unit); 0 for none. */
        public Builder registryOperationsPerMinute(int perMinute) {
            this.registryOperationsPerMinute = Checks.atLeast(perMinute, 0, "registryOperationsPerMinute");
            return this;
        }

        /**
         * @throws IllegalArgumentException without hubs, or with a hub that is not a host name or is named twice
         */
        public InMemoryDeviceRegistry build() {
            return new InMemoryDeviceRegistry(this);
        }
    }
}
