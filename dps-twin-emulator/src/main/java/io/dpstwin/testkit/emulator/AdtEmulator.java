package io.dpstwin.testkit.emulator;

import com.azure.core.http.HttpClient;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.dpstwin.core.support.Checks;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtEngineAccess;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.AdtLimits;
import io.dpstwin.testkit.adt.events.DigitalTwinsEvent;
import io.dpstwin.testkit.adt.events.EventRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An Azure Digital Twins emulator: the ADT REST API (twins, relationships, incoming relationships, components,
 * query, models, event routes, telemetry) over HTTPS, served from an {@link AdtEngine} that enforces ADT's rules, so the official
 * {@link DigitalTwinsClient} runs against it unchanged.
 *
 * <pre>{@code
 * try (AdtEmulator adt = AdtEmulator.builder().models(thermostatDtdl).start()) {
 *     DigitalTwinsClient client = adt.client();            // trusts exactly the emulator's certificate
 *     client.createOrReplaceDigitalTwin("dev-1", twin, BasicDigitalTwin.class);
 *     assertThat(adt.journal().count("PUT", "/digitaltwins/dev-1")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>It listens on the loopback interface with a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1} made at start (or one issued by a shared {@link EmulatorCa},
 * {@link Builder#certificateAuthority}), accepts any {@code Authorization: Bearer} token (401 without one) and any
 * {@code api-version}. Relationship lists page at ADT's 10 items ({@link Builder#relationshipPageSize}). Event routes
 * deliver notifications and telemetry to the endpoints declared at start ({@link Builder#endpoint(String)},
 * {@link #events()}). ADT's rate limits ({@link Builder#limits}), a query-index lag, latency and faults
 * ({@link #faults()}) are off unless configured. Every answered request lands in the {@link #journal()}.
 * Port 0 picks a free port. Thread-safe.
 */
public final class AdtEmulator implements AutoCloseable, AdtEngineAccess {

    private static final Logger LOG = LoggerFactory.getLogger(AdtEmulator.class);

    static {
        // The JDK server writes headers and body in separate TLS records; without TCP_NODELAY, Nagle's algorithm and
        // the client's delayed ACK add ~40 ms to every answer. The JDK reads this property once, when its first
        // server starts; an explicit setting by the application wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final AdtEngine engine;
    private final RequestJournal journal = new RequestJournal();
    /** The certificate clients trust: the emulator's own self-signed one, or the shared CA's. */
    private final X509Certificate trusted;
    private final String trustedPem;
    private final HttpsServer server;
    private final ThreadPoolExecutor executor;
    private final ArrayNode initialModels;
    private final AdtLimits initialLimits;
    private final Duration initialLag;
    private final int initialRelationshipPageSize;
    private final String endpoint;
    private EmulatorClients clients;
    private final List<EmulatorClients> ownPools = new ArrayList<>();
    private DigitalTwinsClient client;
    private Path certificateFile;
    private boolean closed;

    private AdtEmulator(Builder builder) throws IOException {
        this.engine = builder.engine != null ? builder.engine : AdtEngine.create();
        if (builder.limits != null) {
            engine.limits(builder.limits);
        }
        if (builder.queryIndexLag != null) {
            engine.queryIndexLag(builder.queryIndexLag);
        }
        if (builder.relationshipPageSize != null) {
            engine.relationshipPageSize(builder.relationshipPageSize);
        }
        builder.endpoints.forEach(declare -> declare.accept(engine.events()));
        this.initialLimits = engine.limits();
        this.initialLag = engine.queryIndexLag();
        this.initialRelationshipPageSize = engine.relationshipPageSize();
        this.initialModels = builder.models.deepCopy();
        if (!initialModels.isEmpty()) {
            engine.createModels(initialModels);
            engine.counters().reset();
        }
        SSLContext serverContext;
        if (builder.ca != null) {
            this.trusted = builder.ca.certificate();
            this.trustedPem = builder.ca.pem();
            serverContext = builder.ca.issue("localhost").serverContext();
        } else {
            SelfSignedCertificate own = SelfSignedCertificate.generate();
            this.trusted = own.certificate();
            this.trustedPem = own.pem();
            serverContext = own.serverContext();
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(builder.threads, builder.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), runnable -> {
            Thread thread = new Thread(runnable, "adt-emulator-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        this.server = HttpsServer.create(new InetSocketAddress(builder.bindAddress, builder.port), 128);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        int port = server.getAddress().getPort();
        this.endpoint = "https://localhost:" + port;
        server.createContext("/", new AdtHttpHandler(engine, journal, builder.maxBodyBytes, "localhost:" + port));
        server.setExecutor(executor);
        server.start();
        LOG.debug("ADT emulator listening on {}", endpoint);
    }

    /** An emulator with the defaults (free port, no models), started. */
    public static AdtEmulator start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL, {@code https://localhost:<port>}. */
    public String endpoint() {
        return endpoint;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public AdtEngine engine() {
        return engine;
    }

    /**
     * The endpoints declared at start, the event routes clients created and what each endpoint received, e.g.
     * {@code adt.events().events("downstream")}.
     */
    public EventRoutes events() {
        return engine.events();
    }

    /** The answered requests. */
    public RequestJournal journal() {
        return journal;
    }

    /** Changes the rate limits (see {@link AdtLimits}). */
    public void limits(AdtLimits limits) {
        engine.limits(limits);
    }

    /**
     * The certificate clients trust: the emulator's self-signed certificate, or the CA's when it was started with
     * {@link Builder#certificateAuthority(EmulatorCa)}.
     */
    public X509Certificate certificate() {
        return trusted;
    }

    /** {@link #certificate()} in PEM, for clients in other languages or {@code curl --cacert}. */
    public String certificatePem() {
        return trustedPem;
    }

    /** A file holding {@link #certificatePem()}, written on first use and deleted by {@link #close()}. */
    public synchronized Path certificatePath() {
        if (certificateFile == null) {
            try {
                Path file = Files.createTempFile("adt-emulator-", ".pem");
                Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
                certificateFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the emulator's certificate", e);
            }
        }
        return certificateFile;
    }

    /**
     * A ready {@link DigitalTwinsClient} for this emulator (created once): netty transport trusting exactly the
     * emulator's certificate, a fake credential and the SDK's default retry policy.
     */
    public synchronized DigitalTwinsClient client() {
        if (client == null) {
            client = clientBuilder().buildClient();
        }
        return client;
    }

    /**
     * A {@link DigitalTwinsClientBuilder} set up for this emulator (endpoint, trusting transport, fake credential),
     * to customise further, e.g. {@code .retryOptions(...)} to see throttling without SDK retries.
     */
    public synchronized DigitalTwinsClientBuilder clientBuilder() {
        return clients().builder(endpoint);
    }

    /** The azure-core HTTP client trusting this emulator's certificate, for other Azure SDK clients or raw calls. */
    public synchronized HttpClient httpClient() {
        return clients().httpClient();
    }

    /**
     * A further HTTP client trusting this emulator, with a connection pool of its own, as another process would have
     * (e.g. several dps-twin processes against one emulated instance); stopped with the emulator.
     */
    public synchronized HttpClient newHttpClient() {
        clients();
        EmulatorClients own = new EmulatorClients(trusted);
        ownPools.add(own);
        return own.httpClient();
    }

    private EmulatorClients clients() {
        if (closed) {
            throw new IllegalStateException("the emulator is stopped");
        }
        if (clients == null) {
            clients = new EmulatorClients(trusted);
        }
        return clients;
    }

    /**
     * Back to the state right after start: only the models given to the builder, no twins, relationships or event
     * routes, no received events, empty journal and counters, no faults, the limits, query-index lag and relationship
     * page size of the builder. Declared endpoints stay.
     */
    public void reset() {
        engine.reset();
        if (!initialModels.isEmpty()) {
            engine.createModels(initialModels);
        }
        restoreOptions();
    }

    /** As {@link #reset()}, but every model uploaded so far stays. */
    public void resetKeepingModels() {
        engine.clearTwins();
        engine.faults().clear();
        engine.events().reset();
        restoreOptions();
    }

    private void restoreOptions() {
        engine.limits(initialLimits);
        engine.queryIndexLag(initialLag);
        engine.relationshipPageSize(initialRelationshipPageSize);
        engine.counters().reset();
        journal.clear();
    }

    /** Drops twins and relationships, keeping every model. */
    public void clearTwins() {
        engine.clearTwins();
    }

    /** Whether it still serves (not {@link #close() closed}). */
    public synchronized boolean isRunning() {
        return !closed;
    }

    /** Stops serving (at once) and deletes the certificate file. */
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        if (clients != null) {
            clients.close();
        }
        ownPools.forEach(EmulatorClients::close);
        if (certificateFile != null) {
            try {
                Files.deleteIfExists(certificateFile);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", certificateFile, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "AdtEmulator[" + endpoint + (closed ? ", stopped" : "") + "]";
    }

    /**
     * Reads DTDL from every {@code *.json} file of a directory (not recursive, in name order), each holding one
     * interface or an array of them.
     */
    public static List<String> readModelDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        List<String> models = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                models.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return models;
    }

    /** Options of an emulator. */
    public static final class Builder {

        private int port;
        private EmulatorCa ca;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private AdtEngine engine;
        private AdtLimits limits;
        private Duration queryIndexLag;
        private int threads = 8;
        private int maxBodyBytes = 32 * 1024 * 1024;
        private Integer relationshipPageSize;
        private final List<Consumer<EventRoutes>> endpoints = new ArrayList<>();
        private final ArrayNode models = JsonNodeFactory.instance.arrayNode();

        private Builder() {
        }

        /** The port, 0 (default) for a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Serve a certificate for {@code localhost} and {@code 127.0.0.1} issued by this CA instead of a self-signed
         * one: clients that trust the CA (shared with the DPS and IoT Hub emulators) then trust this emulator too.
         */
        public Builder certificateAuthority(EmulatorCa ca) {
            this.ca = Objects.requireNonNull(ca, "ca");
            return this;
        }

        /** The address to listen on (default: loopback). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Serve this engine (e.g. one an {@code InMemoryDigitalTwins} also uses) instead of a new one. */
        public Builder engine(AdtEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** ADT's rate limits to enforce (default: none). */
        public Builder limits(AdtLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Queries see writes only after {@code lag} (default: at once). */
        public Builder queryIndexLag(Duration lag) {
            this.queryIndexLag = Objects.requireNonNull(lag, "lag");
            return this;
        }

        /**
         * Items per page of {@code /relationships} and {@code /incomingrelationships} (default: ADT's
         * {@value AdtEngine#ADT_RELATIONSHIP_PAGE_SIZE}); 1 shows whether a client follows every {@code nextLink}.
         */
        public Builder relationshipPageSize(int size) {
            this.relationshipPageSize = Checks.atLeast(size, 1, "relationshipPageSize");
            return this;
        }

        /** Declares an event route endpoint that keeps what it receives ({@link AdtEmulator#events()}). */
        public Builder endpoint(String name) {
            endpoints.add(events -> events.endpoint(name));
            return this;
        }

        /** Declares an event route endpoint that also hands each event, in order, to {@code listener}. */
        public Builder endpoint(String name, Consumer<DigitalTwinsEvent> listener) {
            Objects.requireNonNull(listener, "listener");
            endpoints.add(events -> events.endpoint(name, listener));
            return this;
        }

        /** Declares an event route endpoint that also POSTs each event as a CloudEvent to {@code url}. */
        public Builder webhookEndpoint(String name, URI url) {
            Objects.requireNonNull(url, "url");
            endpoints.add(events -> events.webhookEndpoint(name, url));
            return this;
        }

        /** Threads answering requests (default 8). */
        public Builder threads(int threads) {
            this.threads = Checks.atLeast(threads, 1, "threads");
            return this;
        }

        /** The largest request body accepted (default 32 MiB); larger ones get 413. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = Checks.atLeast(bytes, 1024, "maxBodyBytes");
            return this;
        }

        /** DTDL to upload at start (and again on {@link AdtEmulator#reset()}): each string one interface or an array. */
        public Builder models(String... dtdl) {
            for (String text : dtdl) {
                add(text, "a model");
            }
            return this;
        }

        /** DTDL from classpath resources (each one interface or an array), uploaded at start. */
        public Builder modelResources(String... resources) {
            for (String resource : resources) {
                String name = resource.startsWith("/") ? resource.substring(1) : resource;
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                try (InputStream in = (loader != null ? loader : AdtEmulator.class.getClassLoader())
                        .getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no classpath resource " + resource);
                    }
                    add(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + resource, e);
                }
            }
            return this;
        }

        /** DTDL from every {@code *.json} file of a directory (see {@link #readModelDirectory}). */
        public Builder modelDirectory(Path directory) {
            try {
                for (String text : readModelDirectory(directory)) {
                    add(text, "a file of " + directory);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the models in " + directory + ": " + e.getMessage(), e);
            }
            return this;
        }

        private void add(String text, String source) {
            JsonNode node;
            try {
                node = AdtJson.MAPPER.readTree(Objects.requireNonNull(text, "model"));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (node.isArray()) {
                models.addAll((ArrayNode) node);
            } else {
                models.add(node);
            }
        }

        /**
         * Starts the emulator.
         *
         * @throws io.dpstwin.testkit.adt.AdtServiceException when the configured models do not upload
         * @throws UncheckedIOException                       when the port cannot be bound
         */
        public AdtEmulator start() {
            try {
                return new AdtEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the ADT emulator on port " + port, e);
            }
        }
    }
}
