package io.dpstwin.testkit.dps.emulator;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.dpstwin.core.support.Checks;
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.emulator.EmulatorCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An emulator of the Azure IoT Hub Device Provisioning Service's device API, served over MQTT (on the shared
 * {@link DeviceMqttListener}, port 8883 by default) and over HTTPS (a free port), so that the official device SDKs
 * register through it unchanged: symmetric-key enrollment groups and individual enrollments, the {@code hashed},
 * {@code static} and {@code custom} allocation policies (the custom allocation webhook called exactly as DPS calls
 * it, https://learn.microsoft.com/azure/iot-dps/concepts-custom-allocation), {@code initialTwin} and
 * {@code reprovisionPolicy}, over {@link LinkedHub}s in which assigned devices are created with their key.
 *
 * <pre>{@code
 * try (DpsEmulator dps = DpsEmulator.builder()
 *         .linkedHub(new InMemoryLinkedHub("hub-1.azure-devices.net"))
 *         .enrollment(Enrollment.group("thermostats", groupKey)
 *                 .customAllocation("http://localhost:8080/api/allocate?code=k", "2021-10-01").build())
 *         .start()) {
 *     ProvisioningDeviceClient.create(dps.globalEndpoint(), dps.idScope(), MQTT, securityProvider);   // port 8883
 *     ProvisioningDeviceClient.create(dps.httpsHost(), dps.idScope(), HTTPS, securityProvider);       // host:port
 * }
 * }</pre>
 *
 * <p>Status and error codes follow DPS (https://learn.microsoft.com/azure/iot-dps/how-to-troubleshoot-dps): a bad,
 * expired or foreign SAS token is 401 with error code 401002; a malformed body or registration id 400 with 400004;
 * a disabled enrollment ends in status {@code disabled}; a webhook answering 401 fails the registration with 400209,
 * 200 without {@code iotHubHostName} with 400208, any other code below 429 (and a hub outside {@code linkedHubs})
 * with 400207; 429, 5xx and unreachable webhooks are retried on DPS's schedule ({@link Builder#webhookRetry})
 * while the device keeps polling. The TLS certificates come from one {@link EmulatorCa}. Thread-safe.
 */
public final class DpsEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DpsEmulator.class);

    static {
        // as in the ADT emulator: without TCP_NODELAY the JDK server's split TLS records cost ~40 ms per answer
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String idScope;
    private final Enrollments enrollments;
    private final Map<String, LinkedHub> hubs;
    private final EmulatorCa ca;
    private final DeviceMqttListener mqtt;
    private final boolean ownsMqtt;
    private final DpsMqttService mqttService;
    private final DpsEngine engine;
    private final HttpsServer https;
    private final ExecutorService httpsExecutor;
    private final String httpsHost;
    private volatile boolean closed;

    private DpsEmulator(Builder b) {
        this.idScope = b.idScope != null ? b.idScope : randomIdScope();
        this.enrollments = b.enrollments;
        this.hubs = b.hubs;
        this.ca = b.ca != null ? b.ca : b.mqtt != null ? b.mqtt.certificateAuthority() : EmulatorCa.generate();
        this.engine = new DpsEngine(idScope, enrollments, hubs, b.webhookRetry, b.webhookTimeout,
                b.pollRetryAfterSeconds, webhookClient(b));
        this.ownsMqtt = b.mqtt == null;
        try {
            this.mqtt = b.mqtt != null ? b.mqtt : DeviceMqttListener.builder().host(b.mqttHost).port(b.mqttPort)
                    .portOptionName("DpsEmulator.Builder#mqttPort(int) or #mqttHost(String)")
                    .certificateAuthority(ca).start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        this.mqttService = mqtt.register(new DpsMqttService(engine, b.mqttReplyDelay));
        AtomicInteger threads = new AtomicInteger();
        this.httpsExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dps-emulator-https-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            InetAddress bind = "localhost".equalsIgnoreCase(b.httpsHost)
                    ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName(b.httpsHost);
            this.https = HttpsServer.create(new InetSocketAddress(bind, b.httpsPort), 128);
        } catch (IOException e) {
            closeMqtt();
            engine.close();
            httpsExecutor.shutdownNow();
            throw new UncheckedIOException("cannot listen for DPS HTTPS on " + b.httpsHost + ":" + b.httpsPort
                    + " (choose another port with DpsEmulator.Builder#httpsPort)", e);
        }
        https.setHttpsConfigurator(new HttpsConfigurator(ca.issue(b.httpsHost).serverContext()));
        https.createContext("/", new DpsHttpsHandler(engine));
        https.setExecutor(httpsExecutor);
        https.start();
        this.httpsHost = b.httpsHost + ":" + https.getAddress().getPort();
        LOG.debug("DPS emulator {} on MQTT {} and https://{}", idScope, mqtt.address(), httpsHost);
    }

    private static HttpClient webhookClient(Builder b) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(b.webhookTimeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (b.webhookSslContext != null) {
            client.sslContext(b.webhookSslContext);
        }
        return client.build();
    }

    private static String randomIdScope() {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return "0ne" + HexFormat.of().withUpperCase().formatHex(random);
    }

    /** A builder: a new MQTT listener on localhost:8883, HTTPS on a free port, no enrollments, no hubs. */
    public static Builder builder() {
        return new Builder();
    }

    /** The ID scope devices use. */
    public String idScope() {
        return idScope;
    }

    /**
     * The global endpoint for MQTT clients: the listener's host (the Java client always dials port 8883), or
     * {@code host:port} when the listener is elsewhere (Node's MQTT client takes it).
     */
    public String globalEndpoint() {
        return mqtt.address();
    }

    /** {@code host:port} of the HTTPS endpoint, the global endpoint Java's HTTPS transport takes. */
    public String httpsHost() {
        return httpsHost;
    }

    /** {@code https://host:port}. */
    public String httpsEndpoint() {
        return "https://" + httpsHost;
    }

    /** The enrollments, to change while running. */
    public Enrollments enrollments() {
        return enrollments;
    }

    /** Links one more hub. */
    public void link(LinkedHub hub) {
        hubs.put(hub.hostName(), hub);
    }

    /** The linked hubs by host name. */
    public Map<String, LinkedHub> linkedHubs() {
        return Map.copyOf(hubs);
    }

    /** The outcome of the latest finished registration of {@code registrationId}. */
    public Optional<DeviceRegistration> registration(String registrationId) {
        return engine.registration(registrationId);
    }

    /** How many times the custom allocation webhooks were called (retries included). */
    public int webhookCalls() {
        return engine.webhookCalls();
    }

    /** The CA that issued the TLS certificates; clients trust it. */
    public EmulatorCa certificateAuthority() {
        return ca;
    }

    /** The MQTT listener (shared or own). */
    public DeviceMqttListener mqttListener() {
        return mqtt;
    }

    /** Stops serving; closes the MQTT listener only if the emulator created it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        https.stop(0);
        httpsExecutor.shutdownNow();
        closeMqtt();
        engine.close();
    }

    private void closeMqtt() {
        mqtt.unregister(mqttService);
        mqttService.close();
        if (ownsMqtt) {
            mqtt.close();
        }
    }

    /**
     * DPS's retries of a custom allocation webhook that answers 429 or 5xx or cannot be reached: {@code retries}
     * more calls, the first after {@code initialDelay}, each next one {@code increment} later than the one before.
     *
     * @param retries      retries after the first call
     * @param initialDelay the delay before the first retry
     * @param increment    how much longer each further delay is
     */
    public record WebhookRetry(int retries, Duration initialDelay, Duration increment) {

        /** DPS's schedule: 10 retries, 1 s then 9 s more each time (custom allocation tutorial, troubleshooting). */
        public static final WebhookRetry DPS = new WebhookRetry(10, Duration.ofSeconds(1), Duration.ofSeconds(9));

        public WebhookRetry {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative");
            }
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(increment, "increment");
        }

        /** The delay before retry number {@code attempt} (1-based). */
        Duration delayBefore(int attempt) {
            return initialDelay.plus(increment.multipliedBy(attempt - 1L));
        }
    }

    /** Options of a {@link DpsEmulator}. */
    public static final class Builder {

        private String idScope;
        private final Enrollments enrollments = new Enrollments();
        private final Map<String, LinkedHub> hubs = new java.util.concurrent.ConcurrentHashMap<>();
        private EmulatorCa ca;
        private DeviceMqttListener mqtt;
        private String mqttHost = "localhost";
        private int mqttPort = DeviceMqttListener.DEFAULT_PORT;
        private String httpsHost = "localhost";
        private int httpsPort;
        private WebhookRetry webhookRetry = WebhookRetry.DPS;
        private Duration webhookTimeout = Duration.ofSeconds(60);
        private int pollRetryAfterSeconds = 2;
        private SSLContext webhookSslContext;
        private Duration mqttReplyDelay = Duration.ofMillis(100);

        private Builder() {
        }

        /** The ID scope (default: a random {@code 0ne} followed by eight hex digits). */
        public Builder idScope(String idScope) {
            if (Objects.requireNonNull(idScope, "idScope").isBlank() || idScope.contains("/")) {
                throw new IllegalArgumentException("invalid ID scope");
            }
            this.idScope = idScope;
            return this;
        }

        /** Adds enrollments. */
        public Builder enrollment(Enrollment... enrollments) {
            for (Enrollment e : enrollments) {
                this.enrollments.put(e);
            }
            return this;
        }

        /** Adds the enrollments of a JSON file (see {@link Enrollments}). */
        public Builder enrollmentsFile(Path file) {
            enrollments.load(file);
            return this;
        }

        /** Links hubs (by their {@link LinkedHub#hostName()}). */
        public Builder linkedHub(LinkedHub... hubs) {
            for (LinkedHub hub : hubs) {
                this.hubs.put(hub.hostName(), hub);
            }
            return this;
        }

        /** The CA issuing the HTTPS certificate (default: the shared listener's, else a new one). */
        public Builder certificateAuthority(EmulatorCa ca) {
            this.ca = Objects.requireNonNull(ca, "ca");
            return this;
        }

        /** Serve MQTT on this shared listener (not closed by the emulator) instead of creating one. */
        public Builder mqttListener(DeviceMqttListener listener) {
            this.mqtt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Host of the MQTT listener the emulator creates (default {@code localhost}). */
        public Builder mqttHost(String host) {
            this.mqttHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port of the MQTT listener the emulator creates (default 8883; 0 = free, for Node clients only). */
        public Builder mqttPort(int port) {
            this.mqttPort = port;
            return this;
        }

        /** Host of the HTTPS endpoint (default {@code localhost}, bound on 127.0.0.1). */
        public Builder httpsHost(String host) {
            this.httpsHost = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
            return this;
        }

        /** Port of the HTTPS endpoint (default 0: a free port; Node's DPS HTTP client can only use 443). */
        public Builder httpsPort(int port) {
            this.httpsPort = port;
            return this;
        }

        /** The webhook retry schedule (default {@link WebhookRetry#DPS}; tests shorten it). */
        public Builder webhookRetry(WebhookRetry retry) {
            this.webhookRetry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** How long one webhook call may take (default 60 s). */
        public Builder webhookTimeout(Duration timeout) {
            this.webhookTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The {@code retry-after} sent while a registration is assigning (default 2 s; the Java client treats
         * values outside 2..5 as 2).
         */
        public Builder pollRetryAfterSeconds(int seconds) {
            this.pollRetryAfterSeconds = Checks.atLeast(seconds, 1, "pollRetryAfterSeconds");
            return this;
        }

        /**
         * How long after a request over MQTT its reply is sent (default 100 ms; 0 answers at once). The Java
         * {@code provisioning-device-client} misses a reply that comes back before it has started to wait for it
         * (it then waits 60 s for a register reply and fails a poll after 10 s), which only a reply delay avoids on
         * loopback; DPS's own latency is larger. The Node and Python clients match replies on {@code $rid} and
         * accept any delay.
         */
        public Builder mqttReplyDelay(Duration delay) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("the reply delay must not be negative");
            }
            this.mqttReplyDelay = delay;
            return this;
        }

        /** The TLS context for HTTPS webhooks (default: the JVM's trust store). */
        public Builder webhookSslContext(SSLContext context) {
            this.webhookSslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Starts the emulator. */
        public DpsEmulator start() {
            return new DpsEmulator(this);
        }
    }

    @Override
    public String toString() {
        List<String> hubNames = new ArrayList<>(hubs.keySet());
        return "DpsEmulator[" + idScope + ", mqtt=" + mqtt.address() + ", https=" + httpsHost + ", hubs=" + hubNames
                + "]";
    }
}
