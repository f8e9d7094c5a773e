package io.dpstwin.testkit.junit;

import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.dps.emulator.Enrollment;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.IotHubSpec;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension running the device side for a test class: a DPS emulator linked to IoT hub emulators, on one
 * MQTT-over-TLS listener and one CA, in the style of {@link AdtEmulatorExtension}: declaratively with
 * {@link DpsEmulatorTest}, or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static DpsEmulatorExtension device = DpsEmulatorExtension.newInstance()
 *         .enrollmentGroup(Enrollment.group("thermostats", key).customAllocation(webhookUrl, "2021-10-01"))
 *         .hubs("hub-2.azure-devices.net")
 *         .build();
 *
 * @Test
 * void registersAndSends(ProvisioningClientFactory provisioning, DeviceTraffic traffic) { ... }
 * }</pre>
 *
 * The first hub's host name is the listener's address, a loopback IP of the class's own whose port 8883 is free
 * (the Java device client always dials 8883 and needs a host name with a dot), so its devices connect with
 * {@code DeviceClient}; further hubs ({@link Builder#hubs}) take assignments and serve {@code RegistryClient}, and
 * their devices connect only where their host names resolve to that address. Without enrollments configured, one
 * symmetric-key group {@value #DEFAULT_GROUP} with a random key allocates by hash over every hub. The JVM's
 * {@code HttpsURLConnection} is made to trust the CA ({@link IotHubEmulator#trustForServiceClients()}), as
 * {@code iot-service-client} needs.
 *
 * <p>A static field gives one set of emulators per class; an instance field one per test. State (registrations,
 * devices) persists across the tests of a class, so use distinct ids; {@link DeviceTraffic} sees only what the
 * current test caused. Parameters of type {@link DpsEmulator}, {@link IotHubEmulator}, {@link EmulatedIotHub} (the
 * first hub), {@link RegistryClient} (of the first hub), {@link ProvisioningClientFactory}, {@link DeviceTraffic}
 * and {@link EmulatorCa} are injected. {@link ProvisioningClientFactory} needs {@code provisioning-device-client}
 * and {@code iot-device-client} on the test class path (optional dependencies of the testkit).
 */
public class DpsEmulatorExtension extends TestResourceExtension<DpsEmulatorExtension.Running> {

    /** The enrollment group created when none is configured. */
    public static final String DEFAULT_GROUP = "default-group";

    private static final Set<Class<?>> INJECTABLE = Set.of(DpsEmulator.class, IotHubEmulator.class,
            EmulatedIotHub.class, RegistryClient.class, ProvisioningClientFactory.class, DeviceTraffic.class,
            EmulatorCa.class);
    private static final String NOT_RUNNING = "The DPS and IoT hub emulators are not running (register the "
            + "extension on a static field for class-level use, or use it from a test).";

    private final Settings settings;

    /** The declarative extension, configured by {@link DpsEmulatorTest}. */
    public DpsEmulatorExtension() {
        super(false, INJECTABLE, NOT_RUNNING);
        this.settings = null;
    }

    private DpsEmulatorExtension(Builder builder) {
        super(true, INJECTABLE, NOT_RUNNING);
        this.settings = new Settings(List.copyOf(builder.hubs), List.copyOf(builder.groups),
                builder.mqttPort, builder.dpsCustomizer, builder.hubsCustomizer);
    }

    /** Starts configuring an extension to register with {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    Running startProgrammatic(ExtensionContext context) {
        return Running.start(settings);
    }

    @Override
    Running startDeclared(ExtensionContext context) {
        DpsEmulatorTest annotation = ClasspathModels.find(context.getRequiredTestClass(), DpsEmulatorTest.class)
                .orElse(null);
        List<String> hubs = annotation == null ? List.of() : Arrays.asList(annotation.hubs());
        List<Enrollment> groups = new ArrayList<>();
        if (annotation != null) {
            for (String group : annotation.enrollmentGroups()) {
                groups.add(Enrollment.group(group, randomKey()).build());
            }
        }
        int port = annotation == null ? DeviceMqttListener.DEFAULT_PORT : annotation.mqttPort();
        return Running.start(new Settings(hubs, groups, port, b -> { }, b -> { }));
    }

    @Override
    void beforeTest(Running running) {
        running.traffic.mark();
    }

    // ------------------------------------------------------------------------------------------------ parameters

    @Override
    Object resolve(Running current, Class<?> type) {
        if (type == DpsEmulator.class) {
            return current.dps;
        }
        if (type == IotHubEmulator.class) {
            return current.hubs;
        }
        if (type == EmulatedIotHub.class) {
            return current.hubs.hubs().get(0);
        }
        if (type == RegistryClient.class) {
            return current.registryClient();
        }
        if (type == ProvisioningClientFactory.class) {
            return current.provisioning();
        }
        if (type == DeviceTraffic.class) {
            return current.traffic;
        }
        return current.ca;
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** The DPS emulator (programmatic registration). */
    public DpsEmulator dps() {
        return own().dps;
    }

    /** The IoT hub emulator. */
    public IotHubEmulator hubs() {
        return own().hubs;
    }

    /** The first hub, whose devices the Java device client reaches. */
    public EmulatedIotHub hub() {
        return own().hubs.hubs().get(0);
    }

    /** A {@link RegistryClient} of the first hub (created once). */
    public RegistryClient registryClient() {
        return own().registryClient();
    }

    /** The factory of provisioning and device clients. */
    public ProvisioningClientFactory provisioning() {
        return own().provisioning();
    }

    /** Telemetry and lifecycle events of the current test. */
    public DeviceTraffic traffic() {
        return own().traffic;
    }

    /** The CA every emulator's certificate comes from. */
    public EmulatorCa certificateAuthority() {
        return own().ca;
    }

    // ------------------------------------------------------------------------------------------------ internals

    private record Settings(List<String> hubs, List<Enrollment> groups, int mqttPort,
                            Consumer<DpsEmulator.Builder> dpsCustomizer,
                            Consumer<IotHubEmulator.Builder> hubsCustomizer) {
    }

    /** One started set of emulators; closed as a whole. */
    static final class Running implements AutoCloseable {

        final EmulatorCa ca;
        final DeviceMqttListener mqtt;
        final IotHubEmulator hubs;
        final DpsEmulator dps;
        final DeviceTraffic traffic;
        final String defaultGroup;
        private RegistryClient registryClient;
        private ProvisioningClientFactory provisioning;

        private Running(EmulatorCa ca, DeviceMqttListener mqtt, IotHubEmulator hubs, DpsEmulator dps,
                        String defaultGroup) {
            this.ca = ca;
            this.mqtt = mqtt;
            this.hubs = hubs;
            this.dps = dps;
            this.defaultGroup = defaultGroup;
            this.traffic = new DeviceTraffic(hubs);
        }

        static Running start(Settings settings) {
            EmulatorCa ca = EmulatorCa.generate();
            String host = settings.mqttPort() == DeviceMqttListener.DEFAULT_PORT ? loopbackWithFree8883()
                    : "127.0.0.1";
            List<String> hubNames = new ArrayList<>();
            hubNames.add(host);
            hubNames.addAll(settings.hubs());
            DeviceMqttListener mqtt = DeviceMqttListener.builder().host(host).port(settings.mqttPort())
                    .certificateAuthority(ca).serverNames(hubNames.toArray(String[]::new)).start();
            IotHubEmulator hubs = null;
            try {
                IotHubEmulator.Builder hubsBuilder = IotHubEmulator.builder().certificateAuthority(ca).mqtt(mqtt);
                hubsBuilder.hub(IotHubSpec.of(host).name("loopback-hub"));
                settings.hubs().forEach(hubsBuilder::hub);
                settings.hubsCustomizer().accept(hubsBuilder);
                hubs = hubsBuilder.start();
                List<Enrollment> groups = settings.groups().isEmpty()
                        ? List.of(Enrollment.group(DEFAULT_GROUP, randomKey()).build()) : settings.groups();
                DpsEmulator.Builder dpsBuilder = DpsEmulator.builder().certificateAuthority(ca).mqttListener(mqtt)
                        .linkedHub(hubs.hubs().toArray(EmulatedIotHub[]::new))
                        .enrollment(groups.toArray(Enrollment[]::new));
                settings.dpsCustomizer().accept(dpsBuilder);
                DpsEmulator dps = dpsBuilder.start();
                hubs.trustForServiceClients();
                String defaultGroup = groups.stream().filter(e -> e.kind() == Enrollment.Kind.GROUP)
                        .map(Enrollment::id).findFirst().orElse(null);
                return new Running(ca, mqtt, hubs, dps, defaultGroup);
            } catch (RuntimeException e) {
                if (hubs != null) {
                    hubs.close();
                }
                mqtt.close();
                throw e;
            }
        }

        synchronized RegistryClient registryClient() {
            if (registryClient == null) {
                registryClient = hubs.hubs().get(0).registryClient();
            }
            return registryClient;
        }

        synchronized ProvisioningClientFactory provisioning() {
            if (provisioning == null) {
                provisioning = new ProvisioningClientFactory(dps, defaultGroup);
            }
            return provisioning;
        }

        @Override
        public void close() {
            dps.close();
            hubs.close();
            mqtt.close();
        }
    }

    /** A loopback IP of its own whose 8883 is free (Linux routes all of 127/8 to loopback), else 127.0.0.1. */
    static String loopbackWithFree8883() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 20; attempt++) {
            String host = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "."
                    + random.nextInt(2, 255);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), DeviceMqttListener.DEFAULT_PORT));
                return host;
            } catch (IOException e) {
                // taken or not routable here: try another
            }
        }
        return "127.0.0.1";
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Options of a programmatically registered {@link DpsEmulatorExtension}. */
    public static final class Builder {

        private final List<String> hubs = new ArrayList<>();
        private final List<Enrollment> groups = new ArrayList<>();
        private int mqttPort = DeviceMqttListener.DEFAULT_PORT;
        private Consumer<DpsEmulator.Builder> dpsCustomizer = b -> { };
        private Consumer<IotHubEmulator.Builder> hubsCustomizer = b -> { };

        private Builder() {
        }

        /** More hubs besides the loopback one, by host name (e.g. {@code contoso-hub-2.azure-devices.net}). */
        public Builder hubs(String... hostNames) {
            hubs.addAll(Arrays.asList(hostNames));
            return this;
        }

        /** An enrollment (group or individual); the first group is the factory's default. */
        public Builder enrollment(Enrollment enrollment) {
            groups.add(Objects.requireNonNull(enrollment, "enrollment"));
            return this;
        }

        /** A symmetric-key enrollment group with a random key, allocating by hash over every hub. */
        public Builder enrollmentGroup(String enrollmentGroupId) {
            return enrollment(Enrollment.group(enrollmentGroupId, randomKey()).build());
        }

        /**
         * The MQTT port (default 8883, on a loopback IP of the class's own; the Java SDKs' MQTT transports need it).
         * Any other port listens on 127.0.0.1, for HTTPS registrations and Node clients only.
         */
        public Builder mqttPort(int port) {
            this.mqttPort = port;
            return this;
        }

        /** Further DPS options (webhook retry, ID scope ...). */
        public Builder configureDps(Consumer<DpsEmulator.Builder> customizer) {
            this.dpsCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Further IoT hub options (more hubs as {@code IotHubSpec}s, body limits ...). */
        public Builder configureHubs(Consumer<IotHubEmulator.Builder> customizer) {
            this.hubsCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public DpsEmulatorExtension build() {
            return new DpsEmulatorExtension(this);
        }
    }
}
