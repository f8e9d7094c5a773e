package io.dpstwin.functions;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.core.config.SettingsException;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.InstanceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Builds the {@link DpsTwin} of a Functions app from its app settings ({@link FunctionsSettings}): the credential
 * ({@code DefaultAzureCredential} or managed identity), one {@link DigitalTwinsClient} for {@code ADT_SERVICE_URL}
 * with the SDK's retries off, both flows' options and the rate limits, and, when
 * {@code DPSTWIN_RECONCILE_HUBHOSTNAMES} (or {@code DPSTWIN_RECONCILE_CONNECTIONSTRINGS}) is set, the reconciler.
 * Called once per process by {@link LazyDpsTwin}; each {@link #create()} reads the settings again.
 *
 * <p>When {@code DPSTWIN_DIGITALTWINS_RATELIMITS_INSTANCEREGISTRY_CONTAINERURL} (or {@code ..._CONNECTIONSTRING} with
 * {@code ..._CONTAINERNAME}) names a blob container, the app's instances register there and divide ADT's
 * instance-wide limits among themselves ({@link BlobInstanceRegistry}, unless
 * {@code DPSTWIN_DIGITALTWINS_RATELIMITS_SHAREBETWEENINSTANCES=false}). The registry is built and started once per
 * factory, so once per process, and kept by every later {@link #create()} with the same container settings; it lives
 * as long as the process (an instance that stops is no longer counted after three heartbeats).
 *
 * <p>The reconciler's options from the settings are always applied, so a customizer that adds a device inventory of
 * its own ({@code (b, s) -> b.deviceInventory(myInventory)}) gets the configured device models, grace window and
 * safety limits.
 *
 * <pre>{@code
 * // production: what DpsTwinFunctions uses
 * DpsTwinFactory factory = FunctionsDpsTwinFactory.fromEnvironment();
 * // tests: settings from a map, any credential, an HTTP client that trusts the ADT emulator
 * DpsTwinFactory factory = FunctionsDpsTwinFactory.builder()
 *         .settings(Map.of("ADT_SERVICE_URL", emulator.endpoint()))
 *         .credential(request -> Mono.just(new AccessToken("test", OffsetDateTime.now().plusHours(1))))
 *         .httpClient(emulator.httpClient())
 *         .build();
 * }</pre>
 */
public final class FunctionsDpsTwinFactory implements DpsTwinFactory {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionsDpsTwinFactory.class);

    private final Supplier<Map<String, String>> settings;
    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final MeterRegistry meterRegistry;
    private final BiConsumer<DpsTwin.Builder, FunctionsSettings> customizer;
    private final Object registryLock = new Object();
    /** Guarded by {@link #registryLock}: the registry built for {@link #registryKey}. */
    private BlobInstanceRegistry registry;
    private List<Object> registryKey;

    private FunctionsDpsTwinFactory(Builder b) {
        this.settings = b.settings;
        this.credential = b.credential;
        this.httpClient = b.httpClient;
        this.meterRegistry = b.meterRegistry;
        this.customizer = b.customizer;
    }

    /** The factory of a deployed app: settings from the environment, credential from the settings. */
    public static FunctionsDpsTwinFactory fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the settings and builds a new {@link DpsTwin}.
     *
     * @throws FunctionsSettingsException when a setting is missing or invalid
     */
    @Override
    public DpsTwin create() {
        FunctionsSettings parsed = read();
        if (!parsed.unknownSettings().isEmpty()) {
            LOG.warn("Ignoring unknown dps-twin app settings {} (misspelt, or Spring-only? see docs/configuration.md)",
                    parsed.unknownSettings());
        }
        CoreOptions options = parsed.options();
        TokenCredential tokenCredential = credential != null ? credential : AzureCredentials.create(parsed);
        DigitalTwinsClient client = DigitalTwinsClients.builder().endpoint(parsed.get(DpsTwinSettings.ADT_ENDPOINT))
                .credential(tokenCredential).httpClient(httpClient)
                .requestTimeout(parsed.get(DpsTwinSettings.ADT_REQUEST_TIMEOUT))
                .connectTimeout(parsed.get(DpsTwinSettings.ADT_CONNECT_TIMEOUT)).build();
        Optional<DeviceRegistry> guard = options.registryGuard(() -> tokenCredential);
        DpsTwin.Builder builder = DpsTwin.builder()
                .digitalTwinsClient(client)
                .allocationOptions(options.allocation())
                .lifecycleOptions(options.lifecycle().toBuilder().deviceRegistry(guard.orElse(null)).build())
                .twinIdStrategy(options.twinIdStrategy())
                .allocationRetry(options.allocationRetry());
        options.rateLimits().ifPresentOrElse(builder::rateLimits, builder::noRateLimits);
        builder.instanceRegistry(instanceRegistry(parsed, () -> tokenCredential));
        ReconcileOptions.Builder reconcile = options.reconcile().toBuilder();
        if (guard.isEmpty()) {
            options.reconcileGuard(() -> tokenCredential).ifPresent(reconcile::registryGuard);
        }
        builder.reconcileOptions(reconcile.build());
        options.deviceInventory(() -> tokenCredential).ifPresent(builder::deviceInventory);
        Optional.ofNullable(meterRegistry).ifPresent(builder::meterRegistry);
        customizer.accept(builder, parsed);
        DpsTwin dpsTwin = builder.build();
        LOG.info("dps-twin ready: {}", parsed);
        return dpsTwin;
    }

    /**
     * The instances this one shares ADT's instance-wide limits with: a started {@link BlobInstanceRegistry} in the
     * instance-registry container when one is named, the rate limits are on and sharing is not turned off (the same
     * one while the container settings stay the same; a new one, the old closed, when they change), else
     * {@link InstanceRegistry#single()}.
     *
     * @throws FunctionsSettingsException when the container's URL or connection string is malformed
     */
    InstanceRegistry instanceRegistry(FunctionsSettings parsed, Supplier<TokenCredential> credential) {
        CoreOptions options = parsed.options();
        if (options.rateLimits().isEmpty() || !parsed.get(DpsTwinSettings.SHARE_BETWEEN_INSTANCES)
                || !options.instanceRegistryConfigured()) {
            return InstanceRegistry.single();
        }
        String url = parsed.get(DpsTwinSettings.INSTANCE_REGISTRY_URL);
        String connection = parsed.get(DpsTwinSettings.INSTANCE_REGISTRY_CONNECTION_STRING);
        String container = parsed.get(DpsTwinSettings.INSTANCE_REGISTRY_CONTAINER);
        Duration heartbeat = parsed.get(DpsTwinSettings.INSTANCE_HEARTBEAT);
        List<Object> key = Arrays.asList(url, connection, container, heartbeat);
        synchronized (registryLock) {
            if (registry != null && key.equals(registryKey)) {
                return registry;
            }
            BlobContainerClientBuilder builder = url != null
                    ? containerAt(options.values(), url, credential.get())
                    : containerOf(options.values(), connection, container);
            BlobInstanceRegistry next = BlobInstanceRegistry.of(builder.buildClient(), heartbeat).start();
            if (registry != null) {
                registry.close();
            }
            registry = next;
            registryKey = key;
            LOG.info("dps-twin shares the ADT limits with the instances registered in {}", next);
            return next;
        }
    }

    private static BlobContainerClientBuilder containerAt(SettingValues values, String url,
                                                          TokenCredential credential) {
        try {
            return new BlobContainerClientBuilder().endpoint(url).credential(credential);
        } catch (IllegalArgumentException e) {
            throw invalid(values, DpsTwinSettings.INSTANCE_REGISTRY_URL, "is not a blob container URL: use "
                    + "https://<account>.blob.core.windows.net/<container>");
        }
    }

    private static BlobContainerClientBuilder containerOf(SettingValues values, String connection, String container) {
        try {
            return new BlobContainerClientBuilder().connectionString(connection).containerName(container);
        } catch (IllegalArgumentException e) {
            // The SDK's message may quote the connection string: it is not passed on.
            throw invalid(values, DpsTwinSettings.INSTANCE_REGISTRY_CONNECTION_STRING, "is not a valid storage "
                    + "connection string: copy it from the storage account's Access keys page");
        }
    }

    private static FunctionsSettingsException invalid(SettingValues values, Setting<?> setting, String problem) {
        String name = values.nameOf(setting);
        return new FunctionsSettingsException(List.of(new SettingsException.Problem(name, name + " " + problem)));
    }

    /**
     * {@code DPSTWIN_RECONCILE_APPLY}, read from the settings now.
     *
     * @throws FunctionsSettingsException when a setting is missing or invalid
     */
    @Override
    public boolean applyReconcile() {
        return read().get(DpsTwinSettings.RECONCILE_APPLY);
    }

    private FunctionsSettings read() {
        return FunctionsSettings.from(Objects.requireNonNull(settings.get(), "the settings supplier returned null"));
    }

    /** Options of {@link FunctionsDpsTwinFactory}; everything has a default. */
    public static final class Builder {

        private Supplier<Map<String, String>> settings = System::getenv;
        private TokenCredential credential;
        private HttpClient httpClient;
        private MeterRegistry meterRegistry;
        private BiConsumer<DpsTwin.Builder, FunctionsSettings> customizer = (builder, settings) -> { };

        private Builder() {
        }

        /** The app settings to read (default: the environment variables). */
        public Builder settings(Map<String, String> settings) {
            Map<String, String> copy = Map.copyOf(Objects.requireNonNull(settings, "settings"));
            return settings(() -> copy);
        }

        /** Where the app settings come from, read on each {@link FunctionsDpsTwinFactory#create()}. */
        public Builder settings(Supplier<Map<String, String>> settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The credential to use instead of the one the settings choose (tests, or a credential of your own). */
        public Builder credential(TokenCredential credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /** The azure-core HTTP client of the ADT client (default: azure-core's, with dps-twin's timeouts). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Where the metrics go (default: a private registry, as Functions has none of its own). */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Changes the {@link DpsTwin.Builder} after the settings are applied: a dead-letter sink, or options no app
         * setting covers, derived from the settings' own, e.g.
         * {@code (b, s) -> b.allocationOptions(s.options().allocation().toBuilder()
         * .initialProperties(dtmi, props).build())}.
         */
        public Builder customizer(BiConsumer<DpsTwin.Builder, FunctionsSettings> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public FunctionsDpsTwinFactory build() {
            return new FunctionsDpsTwinFactory(this);
        }
    }
}
