package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.support.Checks;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.registry.IdentityChange;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Emulated IoT hubs, any number, sharing one identity registry ({@link InMemoryDeviceRegistry}) and one TLS
 * certificate: each hub serves the device-identity REST API over HTTPS on a port of its own (see
 * {@link EmulatedIotHub}); device sessions (MQTT connect with SAS tokens or device keys, device-to-cloud telemetry)
 * come through {@link #deviceSessions()}; and every creation or deletion of a device or module identity — through
 * REST, DPS or code — emits IoT Hub's lifecycle event ({@code createDeviceIdentity} / {@code deleteDeviceIdentity},
 * with a {@code moduleId} for modules), delivered in order to in-process subscribers as an {@link IotHubEvent} (which
 * renders as the Event Hubs message and as the Event Grid event), and to Event Grid webhook subscriptions
 * ({@link #pushEventGrid(EventGridPushOptions)}).
 *
 * <pre>{@code
 * try (IotHubEmulator hubs = IotHubEmulator.builder()
 *         .hub("contoso-hub-1.azure-devices.net")
 *         .hub(IotHubSpec.of("127.0.0.1").name("local-hub"))
 *         .start()) {
 *     hubs.trustForServiceClients();                      // the service SDK trusts the JVM default only
 *     RegistryClient registry = hubs.hub("contoso-hub-1").registryClient();
 *     hubs.onLifecycleEvent(event -> events.add(event));  // event.applicationProperties(), event.toEventGridJson()
 *     registry.addDevice(new Device("thermo-1"));
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class IotHubEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IotHubEmulator.class);
    /** Threads serving the HTTPS endpoints of all hubs. */
    private static final int HTTP_THREADS = 4;

    private final Map<String, EmulatedIotHub> hubs = new LinkedHashMap<>();
    private final InMemoryDeviceRegistry registry;
    private final EmulatorCa ca;
    private final EmulatorCa.ServerCertificate serverCertificate;
    private final DeviceMqttListener mqtt;
    private final HubMqttService mqttService;
    private final Clock clock;
    private final ExecutorService httpExecutor;
    private final ExecutorService dispatcher;
    private final List<Consumer<IotHubEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final List<IotHubEvent> emitted = new CopyOnWriteArrayList<>();
    private final List<EventGridPush> pushes = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final DeviceSessions deviceSessions;
    private final IdentityChange.Listener listener = this::identityChanged;
    private volatile boolean closed;

    private IotHubEmulator(Builder b) throws IOException {
        if (b.hubs.isEmpty()) {
            throw new IllegalArgumentException("at least one hub is required");
        }
        this.clock = b.clock;
        this.ca = b.ca != null ? b.ca : EmulatorCa.generate();
        this.serverCertificate = ca.issue(b.hubs.stream().map(IotHubSpec::hostName).toList());
        this.registry = InMemoryDeviceRegistry.builder()
                .hubs(b.hubs.stream().map(IotHubSpec::hostName).toList())
                .clock(clock)
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "iothub-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "iothub-emulator-events");
            thread.setDaemon(true);
            return thread;
        });
        SSLContext serverContext = serverCertificate.serverContext();
        try {
            for (IotHubSpec spec : b.hubs) {
                String key = spec.hostName().toLowerCase(java.util.Locale.ROOT);
                if (hubs.containsKey(key) || hubs.values().stream().anyMatch(h -> h.name().equals(spec.name()))) {
                    throw new IllegalArgumentException("hub " + spec.hostName() + " (" + spec.name()
                            + ") is configured twice");
                }
                hubs.put(key, new EmulatedIotHub(spec, registry, clock, serverContext, b.bindAddress, httpExecutor,
                        b.maxBodyBytes));
            }
        } catch (IOException | RuntimeException e) {
            hubs.values().forEach(EmulatedIotHub::stop);
            httpExecutor.shutdownNow();
            dispatcher.shutdownNow();
            throw e;
        }
        this.deviceSessions = new DeviceSessions(this, clock);
        this.mqttService = new HubMqttService(deviceSessions);
        registry.addListener(listener);
        hubs.values().forEach(EmulatedIotHub::start);
        this.mqtt = b.mqtt;
        if (mqtt != null) {
            mqtt.register(mqttService);
        }
        LOG.debug("IoT hub emulator started: {}", hubs.values());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hubs, in the order they were configured. */
    public List<EmulatedIotHub> hubs() {
        return List.copyOf(hubs.values());
    }

    /**
     * The hub with that host name or hub name (compared as IoT Hub names are: by the first label, case-insensitively,
     * or by the full host name for IP addresses).
     *
     * @throws IllegalArgumentException for a hub that is not emulated here
     */
    public EmulatedIotHub hub(String hostNameOrName) {
        return find(hostNameOrName).orElseThrow(() -> new IllegalArgumentException("IoT hub '" + hostNameOrName
                + "' is not one of " + hubs.values().stream().map(EmulatedIotHub::hostName).toList()));
    }

    java.util.Optional<EmulatedIotHub> find(String hostNameOrName) {
        if (hostNameOrName == null || hostNameOrName.isBlank()) {
            return java.util.Optional.empty();
        }
        for (EmulatedIotHub hub : hubs.values()) {
            if (hub.hostName().equalsIgnoreCase(hostNameOrName) || hub.name().equalsIgnoreCase(hostNameOrName)) {
                return java.util.Optional.of(hub);
            }
        }
        for (EmulatedIotHub hub : hubs.values()) {
            if (!hub.hostName().matches("[0-9.]+") && HubNames.sameHub(hub.hostName(), hostNameOrName)) {
                return java.util.Optional.of(hub);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The identity registry of every hub: the same devices the REST API and the device sessions see. It also
     * serves the retire flow's registry guard and the reconciler in-process ({@code DeviceRegistry},
     * {@code DeviceInventory}).
     */
    public InMemoryDeviceRegistry registry() {
        return registry;
    }

    /** The CA that issued the hubs' HTTPS certificate: what clients trust. */
    public EmulatorCa certificateAuthority() {
        return ca;
    }

    /** A client TLS context trusting the emulator's CA (e.g. the device client's {@code ClientOptions.sslContext}). */
    public SSLContext clientSslContext() {
        return ca.clientContext();
    }

    /**
     * Makes {@link HttpsURLConnection}, which {@code iot-service-client} uses and which has no per-client TLS option,
     * trust the emulator's CA: a process-wide setting, for tests (or start the JVM with a trust store holding
     * {@link EmulatorCa#writePem the CA's PEM}).
     */
    public void trustForServiceClients() {
        HttpsURLConnection.setDefaultSSLSocketFactory(clientSslContext().getSocketFactory());
    }

    /** The device side: MQTT sessions of devices and modules, independent of the transport. */
    public DeviceSessions deviceSessions() {
        return deviceSessions;
    }

    /**
     * The hubs' service for the shared {@link DeviceMqttListener}: it claims CONNECTs whose user name starts with one
     * of the hubs' host names. {@link Builder#mqtt} registers it; register it yourself on a listener started later.
     */
    public HubMqttService mqttService() {
        return mqttService;
    }

    // ---- lifecycle events ----

    /**
     * Delivers every lifecycle event from now on to {@code subscriber}, in order, on the emulator's event thread.
     * A subscriber that throws is logged and keeps receiving. Close the returned handle to unsubscribe.
     */
    public AutoCloseable onLifecycleEvent(Consumer<IotHubEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Every lifecycle event emitted so far, in order (with Event Hubs sequence numbers 0, 1, 2, …). */
    public List<IotHubEvent> lifecycleEvents() {
        return List.copyOf(emitted);
    }

    /**
     * Creates an Event Grid subscription of every hub's device created/deleted events with a webhook: runs the
     * validation handshake now, then pushes each later event.
     *
     * @throws IllegalStateException when the webhook does not complete the handshake
     */
    public EventGridPush pushEventGrid(EventGridPushOptions options) {
        EventGridPush push = EventGridPush.create(options);
        pushes.add(push);
        push.onClose(() -> pushes.remove(push));
        return push;
    }

    /** {@link #pushEventGrid(EventGridPushOptions)} with Event Grid's default retry schedule. */
    public EventGridPush pushEventGrid(URI webhook) {
        return pushEventGrid(EventGridPushOptions.webhook(webhook));
    }

    /**
     * Waits until every lifecycle event emitted so far has been handed to the in-process subscribers and every Event
     * Grid delivery has ended; {@code false} on timeout.
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Future<?> marker = dispatcher.submit(() -> { });
            marker.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        }
        for (EventGridPush push : pushes) {
            if (!push.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Called under the registry's lock: builds the event and queues its delivery, preserving order. */
    private void identityChanged(IdentityChange change) {
        EmulatedIotHub hub = find(change.hubHostName()).orElse(null);
        if (hub == null || closed) {
            return;
        }
        String name = hub.name();
        IotHubEvent event;
        if (change.moduleId() == null) {
            event = change.created() ? IotHubEvents.deviceCreated(name, change.deviceId())
                    : IotHubEvents.deviceDeleted(name, change.deviceId());
        } else {
            event = change.created() ? IotHubEvents.moduleCreated(name, change.deviceId(), change.moduleId())
                    : IotHubEvents.moduleDeleted(name, change.deviceId(), change.moduleId());
        }
        long sequenceNumber = sequence.getAndIncrement();
        event = event.withOperationTimestamp(change.when())
                .withTwinEtag(change.twinEtag())
                .withTwinVersion(change.version() + 1)
                .withPosition(sequenceNumber, Long.toString(sequenceNumber * 1024));
        for (Map.Entry<String, Object> tag : change.tags().entrySet()) {
            event = event.withTag(tag.getKey(), tag.getValue());
        }
        emitted.add(event);
        IotHubEvent delivered = event;
        try {
            dispatcher.execute(() -> deliver(delivered));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("IoT hub emulator closed; lifecycle event {} not delivered", delivered.eventId());
        }
    }

    private void deliver(IotHubEvent event) {
        for (Consumer<IotHubEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A lifecycle event subscriber failed on {} of {}: {}", event.type().opType(),
                        event.deviceId(), e.toString());
            }
        }
        for (EventGridPush push : pushes) {
            push.publish(event);
        }
    }

    /** Stops every endpoint and subscription. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.removeListener(listener);
        if (mqtt != null) {
            mqtt.unregister(mqttService);
        }
        deviceSessions.closeAll();
        hubs.values().forEach(EmulatedIotHub::stop);
        List.copyOf(pushes).forEach(EventGridPush::close);
        dispatcher.shutdown();
        httpExecutor.shutdownNow();
        LOG.debug("IoT hub emulator stopped");
    }

    @Override
    public String toString() {
        return "IotHubEmulator" + hubs.values();
    }

    /** Builds and starts an {@link IotHubEmulator}. Not thread-safe. */
    public static final class Builder {

        private final List<IotHubSpec> hubs = new ArrayList<>();
        private EmulatorCa ca;
        private DeviceMqttListener mqtt;
        private Clock clock = Clock.systemUTC();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int maxBodyBytes = 64 * 1024;

        private Builder() {
        }

        /** A hub with that host name, named after its first label, on a free port, with random keys. */
        public Builder hub(String hostName) {
            return hub(IotHubSpec.of(hostName));
        }

        /** A hub as specified. */
        public Builder hub(IotHubSpec spec) {
            hubs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * The CA that issues the HTTPS endpoints' certificate (for {@code localhost}, {@code 127.0.0.1} and every
         * hub host name; default: a new one). Share one CA across the emulators so that clients trust one PEM.
         */
        public Builder certificateAuthority(EmulatorCa ca) {
            this.ca = Objects.requireNonNull(ca, "ca");
            return this;
        }

        /**
         * The shared MQTT listener devices dial (port 8883 for the Java SDKs): the hubs' {@link HubMqttService} is
         * registered on it at start and unregistered at close. Its certificate must name the hub host names
         * ({@code DeviceMqttListener.Builder#serverNames}) and come from the same CA as clients trust.
         */
        public Builder mqtt(DeviceMqttListener listener) {
            this.mqtt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock of token expiry, identity times and event times (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The address the HTTPS endpoints listen on (default: loopback). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The largest request body the service API accepts (default 64 KiB); larger ones get 413. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = Checks.atLeast(bytes, 1024, "maxBodyBytes");
            return this;
        }

        /**
         * Starts every hub's endpoint.
         *
         * @throws UncheckedIOException when a port cannot be bound (the message names the hub and the option)
         */
        public IotHubEmulator start() {
            try {
                return new IotHubEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
    }
}
