package io.dpstwin.testkit.iothub.emulator;

import com.azure.core.credential.AzureSasCredential;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.device.SharedAccessSignature;
import io.dpstwin.testkit.dps.emulator.LinkedHub;
import io.dpstwin.testkit.internal.Wire;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import io.dpstwin.testkit.registry.RegistryException;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import io.dpstwin.testkit.registry.RegisteredDevice;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One running emulated IoT hub of an {@link IotHubEmulator}: its host name (what DPS assigns, what devices dial and
 * sign their tokens for), its HTTPS service endpoint on a port of its own, its shared access policies, the telemetry
 * its devices sent and ready service clients.
 *
 * <p>Which client reaches which port: {@code new RegistryClient(hub.serviceHost(), hub.sasCredential())} (and the
 * same for {@code QueryClient}) works on any port; connection-string constructors of the Java service SDK and Node's
 * {@code azure-iothub} only reach port 443 (use {@link IotHubSpec#port(int) port 443} where you may bind it).
 */
public final class EmulatedIotHub implements LinkedHub {

    private final IotHubSpec spec;
    private final InMemoryDeviceRegistry registry;
    private final Clock clock;
    private final HttpsServer server;
    private final String serviceHost;
    private final Set<String> acceptedResources;
    private final List<TelemetryMessage> telemetry = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

    EmulatedIotHub(IotHubSpec spec, InMemoryDeviceRegistry registry, Clock clock, SSLContext serverContext,
                   InetAddress bindAddress, ExecutorService executor, int maxBodyBytes) throws IOException {
        this.spec = spec;
        this.registry = registry;
        this.clock = clock;
        try {
            this.server = HttpsServer.create(new InetSocketAddress(bindAddress, spec.port()), 64);
        } catch (java.net.BindException e) {
            throw new IOException("IoT hub emulator " + spec.hostName() + " cannot listen on port " + spec.port()
                    + " (" + e.getMessage() + "); choose another with IotHubSpec.port(...) or 0 for a free one", e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", new HubServiceHandler(this, registry, clock, maxBodyBytes));
        server.setExecutor(executor);
        int port = server.getAddress().getPort();
        this.serviceHost = "localhost:" + port;
        String host = spec.hostName().toLowerCase(Locale.ROOT);
        this.acceptedResources = Set.copyOf(List.of(host, "localhost:" + port, "127.0.0.1:" + port, "localhost",
                "127.0.0.1"));
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    /** The host name devices dial and DPS assigns (e.g. {@code contoso-hub-1.azure-devices.net} or {@code 127.0.0.1}). */
    @Override
    public String hostName() {
        return spec.hostName();
    }

    /** The hub name lifecycle events carry in {@code hubName} (by default the host name's first label). */
    public String name() {
        return spec.name();
    }

    /** The port of the HTTPS service endpoint. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code localhost:<port>}: the host to give {@code RegistryClient(host, AzureSasCredential)}. */
    public String serviceHost() {
        return serviceHost;
    }

    /** {@code https://localhost:<port>}: the HTTPS service endpoint (curl, other SDKs). */
    public String serviceEndpoint() {
        return "https://" + serviceHost;
    }

    /** The hub's shared access policies, {@code iothubowner} first. */
    public List<SharedAccessPolicy> policies() {
        return spec.policies();
    }

    /** {@code iothubowner}. */
    public String sharedAccessKeyName() {
        return spec.policies().get(0).name();
    }

    /** The primary key of {@code iothubowner} (Base64). */
    public String sharedAccessKey() {
        return spec.policies().get(0).primaryKey();
    }

    /**
     * {@code HostName=<hostName>;SharedAccessKeyName=iothubowner;SharedAccessKey=<key>}: what the SDKs' connection
     * string constructors take. They dial port 443 of the host name, so they reach this emulator only when it listens
     * there and the host name resolves to it.
     */
    public String connectionString() {
        return "HostName=" + hostName() + ";SharedAccessKeyName=" + sharedAccessKeyName() + ";SharedAccessKey="
                + sharedAccessKey();
    }

    /** A service SAS token of {@code iothubowner} for this hub ({@code sr} = the host name), valid for {@code validity}. */
    public String serviceSasToken(Duration validity) {
        return SasTokens.create(hostName(), sharedAccessKeyName(), sharedAccessKey(), clock.instant().plus(validity));
    }

    /** An {@link AzureSasCredential} holding a one-hour {@link #serviceSasToken(Duration) service token}. */
    public AzureSasCredential sasCredential() {
        return new AzureSasCredential(serviceSasToken(Duration.ofHours(1)));
    }

    /**
     * A {@link RegistryClient} on this hub's service endpoint. The JVM must trust the emulator's certificate
     * ({@link IotHubEmulator#trustForServiceClients()}): the service SDK uses {@code HttpsURLConnection}'s default.
     */
    public RegistryClient registryClient() {
        return new RegistryClient(serviceHost, sasCredential());
    }

    /** A {@link QueryClient} on this hub's service endpoint (same trust as {@link #registryClient()}). */
    public QueryClient queryClient() {
        return new QueryClient(serviceHost, sasCredential());
    }

    /**
     * A device connection string for a registered device with its primary key:
     * {@code HostName=<hostName>;DeviceId=<id>;SharedAccessKey=<key>}.
     *
     * @throws IllegalStateException when the device is not registered or has no symmetric key
     */
    public String deviceConnectionString(String deviceId) {
        RegisteredDevice device = registry.device(hostName(), deviceId).orElseThrow(() ->
                new IllegalStateException("device '" + deviceId + "' is not registered in " + hostName()));
        if (!device.authentication().isSas()) {
            throw new IllegalStateException("device '" + deviceId + "' has no symmetric key");
        }
        return "HostName=" + hostName() + ";DeviceId=" + deviceId + ";SharedAccessKey="
                + device.authentication().primaryKey();
    }

    /** Device-to-cloud messages this hub received, in arrival order. */
    public List<TelemetryMessage> telemetry() {
        return List.copyOf(telemetry);
    }

    /** Device-to-cloud messages one device sent. */
    public List<TelemetryMessage> telemetry(String deviceId) {
        List<TelemetryMessage> messages = new ArrayList<>();
        for (TelemetryMessage message : telemetry) {
            if (message.deviceId().equals(deviceId)) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** Service requests answered with {@code status} so far. */
    public int serviceRequests(int status) {
        AtomicInteger count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** Whether a device (or module) has an open MQTT session on this hub. */
    public boolean isConnected(String deviceId, String moduleId) {
        AtomicInteger count = connections.get(connectionKey(deviceId, moduleId));
        return count != null && count.get() > 0;
    }

    // ---- LinkedHub: what DPS does to its linked hubs ----

    /**
     * DPS assigned the device here: creates its identity with {@code deviceKey} (which emits
     * {@code createDeviceIdentity}), or gives an existing one that key; a non-null {@code twin} sets the device
     * twin's {@code tags} and {@code properties.desired}.
     */
    @Override
    public void register(String deviceId, String deviceKey, ObjectNode twin) {
        DeviceAuthentication keys = DeviceAuthentication.symmetricKeys(deviceKey, deviceKey);
        Map<String, Object> tags = twin == null ? null : map(twin.get("tags"));
        Map<String, Object> desired = twin == null ? null : map(twin.path("properties").get("desired"));
        synchronized (registry) {
            Optional<RegisteredDevice> existing = registry.device(hostName(), deviceId);
            if (existing.isEmpty()) {
                registry.createDevice(hostName(), deviceId, keys, true, null, tags, desired, null);
                return;
            }
            registry.updateDevice(hostName(), deviceId, null, keys, existing.get().enabled(),
                    existing.get().statusReason());
            if (twin != null) {
                registry.replaceTwin(hostName(), deviceId, tags, desired);
            }
        }
    }

    /** DPS moved the device away or resets it: deletes its identity (emitting {@code deleteDeviceIdentity}). */
    @Override
    public void deregister(String deviceId) {
        try {
            registry.deleteDevice(hostName(), deviceId, null);
        } catch (RegistryException notThere) {
            // already gone: nothing to do
        }
    }

    /** The device twin's {@code tags} and {@code properties.desired}, for DPS to migrate. */
    @Override
    public Optional<ObjectNode> twin(String deviceId) {
        return registry.device(hostName(), deviceId).map(device -> {
            ObjectNode twin = JsonNodeFactory.instance.objectNode();
            twin.set("tags", Wire.toNode(device.tags()));
            twin.putObject("properties").set("desired", Wire.toNode(device.desiredProperties()));
            return twin;
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return Wire.MAPPER.convertValue(node, Map.class);
    }

    // ---- for the emulator's own components ----

    IotHubSpec spec() {
        return spec;
    }

    void countRequest(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    void received(TelemetryMessage message) {
        telemetry.add(message);
    }

    void connected(String deviceId, String moduleId, boolean open) {
        AtomicInteger count = connections.computeIfAbsent(connectionKey(deviceId, moduleId), k -> new AtomicInteger());
        if (open) {
            count.incrementAndGet();
        } else {
            count.updateAndGet(c -> Math.max(0, c - 1));
        }
    }

    private static String connectionKey(String deviceId, String moduleId) {
        return moduleId == null ? deviceId : deviceId + "/" + moduleId;
    }

    /**
     * Checks a service request's {@code Authorization}: a SAS token of one of the hub's policies, unexpired, for a
     * resource that is the hub's host name (or the host the request was addressed to). Empty when authorised.
     */
    Optional<IotHubErrors> authorizeService(String authorization, String hostHeader) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(IotHubErrors.unauthorized("The request has no Authorization header."));
        }
        SharedAccessSignature token;
        try {
            token = SharedAccessSignature.parse(authorization.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of(IotHubErrors.unauthorized("The Authorization header is not a shared access "
                    + "signature (SharedAccessSignature sr=...&sig=...&se=...&skn=...)."));
        }
        if (token.isExpired(clock.instant())) {
            return Optional.of(new IotHubErrors(401, "IotHubUnauthorized",
                    "The shared access signature has expired."));
        }
        String resource = normalized(token.resource());
        boolean forThisHub = acceptedResources.contains(resource)
                || (hostHeader != null && resource.equals(hostHeader.trim().toLowerCase(Locale.ROOT)));
        if (!forThisHub) {
            return Optional.of(IotHubErrors.unauthorized("The shared access signature is not for this IoT hub."));
        }
        Optional<SharedAccessPolicy> policy = token.keyName().flatMap(spec::policy);
        if (policy.isEmpty()) {
            return Optional.of(IotHubErrors.unauthorized("The shared access signature names no policy of this "
                    + "IoT hub (skn)."));
        }
        if (!policy.get().signed(token)) {
            return Optional.of(IotHubErrors.unauthorized("The shared access signature does not match the "
                    + "policy's keys."));
        }
        return Optional.empty();
    }

    /** A resource URI compared as IoT Hub does: lower case, without a trailing slash. */
    static String normalized(String resource) {
        String r = resource.trim().toLowerCase(Locale.ROOT);
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    @Override
    public String toString() {
        return "EmulatedIotHub[" + hostName() + ", " + serviceEndpoint() + "]";
    }
}
