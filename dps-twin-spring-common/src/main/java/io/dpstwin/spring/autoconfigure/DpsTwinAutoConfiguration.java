package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import org.springframework.core.env.Environment;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.allocation.ModelResolver;
import io.dpstwin.core.allocation.Placement;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.lifecycle.LifecycleOptions;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.retirement.DeviceRegistry;
import io.dpstwin.core.retirement.RetirementPolicy;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.InstanceRegistry;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.VirtualThreadTaskExecutor;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Wires dps-twin once per application: the credential, the {@link DigitalTwinsClient} (SDK retries off), the ADT
 * gateway, both flows' options from {@code dps-twin.*}, and the {@link DpsTwin} with its
 * {@link DpsAllocationHandler} and {@link LifecycleProcessor}. Every bean steps back when the application defines
 * its own; policy beans ({@link HubSelectionPolicy}, {@link ModelResolver}, {@link Placement},
 * {@link TwinIdStrategy}, {@link RetirementPolicy}, {@link DeviceRegistry}, {@link DeadLetterSink}) and
 * {@link AllocationOptionsCustomizer}/{@link LifecycleOptionsCustomizer} beans are used when present. Metrics go to
 * the application's {@link MeterRegistry} when there is one. With a {@link DeviceInventory} (the application's, or
 * one from {@code dps-twin.reconcile.hub-host-names}/{@code connection-strings}) the {@link DpsTwin} also gets its
 * reconciler, with the application's {@link ReconcileOptions} or options from {@code dps-twin.reconcile.*}
 * ({@link ReconcileOptionsCustomizer} beans applied). The retire flow and the reconciler run on the
 * {@value #TASK_EXECUTOR} bean when the application defines one, on Boot's virtual threads when
 * {@code spring.threads.virtual.enabled=true} on Java 21 or later, else on pools of their own. It runs after Spring
 * Cloud Azure's credential auto-configuration and after the metrics auto-configuration of either Boot line (both
 * named by class name, so neither needs to be present).
 */
@AutoConfiguration(afterName = {
        DpsTwinAutoConfiguration.SPRING_CLOUD_AZURE_CREDENTIAL,
        // Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        // Spring Boot 3.5
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(DpsTwin.class)
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
public class DpsTwinAutoConfiguration {

    /**
     * Spring Cloud Azure's credential auto-configuration (the same class in Spring Cloud Azure 6 for Boot 3.5 and
     * later lines). This one runs after it, so that its {@code TokenCredential} bean, when there is one, is the
     * credential dps-twin uses and {@link #dpsTwinCredential} steps back.
     */
    public static final String SPRING_CLOUD_AZURE_CREDENTIAL =
            "com.azure.spring.cloud.autoconfigure.implementation.context.AzureTokenCredentialAutoConfiguration";

    /** The property naming the ADT instance. */
    public static final String ENDPOINT_PROPERTY = "dps-twin.digital-twins.endpoint";

    /**
     * The bean name of the executor the retire flow's events and the reconciler's listings and actions run on, at most
     * their {@code parallelism} at a time. Define an {@link Executor} of this name to supply yours (the starter never
     * shuts it down). Without one: Boot's {@code applicationTaskExecutor} when
     * {@code spring.threads.virtual.enabled=true} on Java 21 or later (it runs each task on a virtual thread), else
     * dps-twin's own thread pools.
     */
    public static final String TASK_EXECUTOR = "dpsTwinTaskExecutor";
    /** Boot's {@code TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME}. */
    static final String BOOT_TASK_EXECUTOR = "applicationTaskExecutor";
    private static final String VIRTUAL_THREADS_PROPERTY = "spring.threads.virtual.enabled";
    private static final String RATE_LIMITS = "dps-twin.digital-twins.rate-limits";

    private static final Logger LOG = LoggerFactory.getLogger(DpsTwinAutoConfiguration.class);

    /** The settings of {@code dps-twin.*} mapped to core's options; every bad setting fails the start. */
    @Bean
    @ConditionalOnMissingBean
    public CoreOptions dpsTwinCoreOptions(Environment environment) {
        return SpringSettingsSource.read(environment);
    }

    /**
     * {@code DefaultAzureCredential} (or {@code ManagedIdentityCredential} with {@code dps-twin.credential.kind}),
     * with the managed identity client id and tenant from the settings. Lazy: an application that brings its own
     * client or gateway never builds it.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean(TokenCredential.class)
    public TokenCredential dpsTwinCredential(CoreOptions options, ObjectProvider<HttpClient> httpClient) {
        String clientId = options.values().get(DpsTwinSettings.CREDENTIAL_CLIENT_ID);
        if ("managed-identity".equals(options.values().get(DpsTwinSettings.CREDENTIAL_KIND))) {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
            httpClient.ifUnique(builder::httpClient);
            return (clientId != null ? builder.clientId(clientId) : builder).build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        httpClient.ifUnique(builder::httpClient);
        String tenant = options.values().get(DpsTwinSettings.CREDENTIAL_TENANT_ID);
        if (tenant != null) {
            builder.tenantId(tenant);
        }
        return (clientId != null ? builder.managedIdentityClientId(clientId) : builder).build();
    }

    /**
     * The one ADT client of the application, built with {@link DigitalTwinsClients} (SDK retries off) on the
     * application's azure-core {@link HttpClient} when there is one (see {@link DpsTwinHttpClientAutoConfiguration}).
     */
    @Bean
    @ConditionalOnMissingBean({DigitalTwinsClient.class, DigitalTwinsGateway.class})
    public DigitalTwinsClient dpsTwinDigitalTwinsClient(CoreOptions options,
                                                        ObjectProvider<TokenCredential> credential,
                                                        ObjectProvider<HttpClient> httpClient) {
        String endpoint = options.values().get(DpsTwinSettings.ADT_ENDPOINT);
        if (endpoint == null) {
            throw new DpsTwinConfigurationException(ENDPOINT_PROPERTY, "is not set, so dps-twin cannot reach "
                    + "Azure Digital Twins",
                    "Set dps-twin.digital-twins.endpoint to your instance's URL, e.g. "
                            + "https://<instance>.api.<region>.digitaltwins.azure.net, or define a DigitalTwinsClient "
                            + "or DigitalTwinsGateway bean.");
        }
        DigitalTwinsClients.Builder builder = DigitalTwinsClients.builder()
                .endpoint(endpoint)
                .credential(credential.getObject())
                .requestTimeout(options.values().get(DpsTwinSettings.ADT_REQUEST_TIMEOUT))
                .connectTimeout(options.values().get(DpsTwinSettings.ADT_CONNECT_TIMEOUT));
        httpClient.ifUnique(builder::httpClient);
        return builder.build();
    }

    /** The undecorated gateway on the SDK client; {@link DpsTwin} adds rate limits, retries and metrics. */
    @Bean
    @ConditionalOnMissingBean(DigitalTwinsGateway.class)
    public SdkDigitalTwinsGateway dpsTwinGateway(DigitalTwinsClient client) {
        return new SdkDigitalTwinsGateway(client);
    }

    @Bean
    @ConditionalOnMissingBean
    public AllocationOptions dpsTwinAllocationOptions(CoreOptions options,
                                                      ObjectProvider<HubSelectionPolicy> hubSelection,
                                                      ObjectProvider<ModelResolver> modelResolver,
                                                      ObjectProvider<Placement> placement,
                                                      ObjectProvider<TwinIdStrategy> twinIdStrategy,
                                                      ObjectProvider<AllocationOptionsCustomizer> customizers) {
        AllocationOptions.Builder b = options.allocation().toBuilder();
        hubSelection.ifUnique(b::hubSelection);
        modelResolver.ifUnique(b::modelResolver);
        placement.ifUnique(b::placement);
        twinIdStrategy.ifUnique(b::twinIdStrategy);
        customizers.orderedStream().forEach(customizer -> customizer.customize(b));
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    public LifecycleOptions dpsTwinLifecycleOptions(CoreOptions options,
                                                    ObjectProvider<RetirementPolicy> retirementPolicy,
                                                    ObjectProvider<DeviceRegistry> deviceRegistry,
                                                    ObjectProvider<TwinIdStrategy> twinIdStrategy,
                                                    ObjectProvider<TokenCredential> credential,
                                                    ObjectProvider<LifecycleOptionsCustomizer> customizers) {
        LifecycleOptions.Builder b = options.lifecycle().toBuilder().deviceRegistry(deviceRegistry.getIfUnique(
                () -> options.registryGuard(credential::getObject).orElse(null)));
        retirementPolicy.ifUnique(b::retirementPolicy);
        twinIdStrategy.ifUnique(b::twinIdStrategy);
        customizers.orderedStream().forEach(customizer -> customizer.customize(b));
        return b.build();
    }

    /**
     * The IoT hubs' devices for the reconciler, from {@code dps-twin.reconcile.hub-host-names} (with the credential)
     * or {@code connection-strings}; only when one of them names a hub.
     */
    @Bean
    @ConditionalOnMissingBean(DeviceInventory.class)
    @Conditional(ReconcileConditions.HubsConfigured.class)
    public IotHubDeviceInventory dpsTwinDeviceInventory(CoreOptions options,
                                                        ObjectProvider<TokenCredential> credential) {
        return options.deviceInventory(credential::getObject).orElseThrow();
    }

    /**
     * Either way of naming the instance registry's container: its own
     * ({@code dps-twin.digital-twins.rate-limits.instance-registry.*}) or the Event Hubs checkpoint container.
     */
    static final class InstanceRegistryContainerConfigured extends AnyNestedCondition {

        InstanceRegistryContainerConfigured() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = RATE_LIMITS + ".instance-registry", name = "container-url")
        static final class ContainerUrl {
        }

        @ConditionalOnProperty(prefix = RATE_LIMITS + ".instance-registry", name = "connection-string")
        static final class ConnectionString {
        }

        @Conditional(DpsTwinEventHubsAutoConfiguration.BlobContainerConfigured.class)
        static final class CheckpointContainer {
        }
    }

    /**
     * The replicas divide ADT's instance-wide limits among themselves through a {@link BlobInstanceRegistry} in the
     * instance-registry container, else in the Event Hubs checkpoint container, unless
     * {@code dps-twin.digital-twins.rate-limits.share-between-instances=false}: heartbeats start with the bean, and
     * closing the context deletes this replica's registration.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({BlobContainerClientBuilder.class, BlobInstanceRegistry.class})
    @ConditionalOnBooleanProperty(name = {RATE_LIMITS + ".enabled", RATE_LIMITS + ".share-between-instances"},
            matchIfMissing = true)
    @Conditional(InstanceRegistryContainerConfigured.class)
    static class BlobInstanceRegistryConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(InstanceRegistry.class)
        BlobInstanceRegistry dpsTwinInstanceRegistry(CoreOptions options, ObjectProvider<TokenCredential> credential) {
            BlobContainerClientBuilder container = options.instanceRegistryConfigured()
                    ? BlobContainers.builder(RATE_LIMITS + ".instance-registry",
                            options.values().get(DpsTwinSettings.INSTANCE_REGISTRY_URL),
                            options.values().get(DpsTwinSettings.INSTANCE_REGISTRY_CONNECTION_STRING),
                            options.values().get(DpsTwinSettings.INSTANCE_REGISTRY_CONTAINER),
                            "the instances register in", credential)
                    : DpsTwinEventHubsAutoConfiguration.checkpointContainer(options, credential);
            Duration heartbeat = options.values().get(DpsTwinSettings.INSTANCE_HEARTBEAT);
            return BlobInstanceRegistry.of(container.buildClient(), heartbeat).start();
        }
    }

    /** Without a shared container (or with sharing off), this instance keeps the whole limits. */
    @Bean
    @ConditionalOnMissingBean
    public InstanceRegistry dpsTwinInstanceRegistry() {
        return InstanceRegistry.single();
    }

    /**
     * Both flows over one gateway, with shared rate limiters (keeping this instance's share of the limits, as the
     * {@link InstanceRegistry} bean counts the instances), the application's meter registry (else Micrometer's
     * global registry) and its observation registry when there is one (Boot's actuator makes one). The twin id
     * strategy of the allocation options is used by both flows, so that retirement finds the twins allocation made.
     */
    @Bean
    @ConditionalOnMissingBean
    public DpsTwin dpsTwin(DigitalTwinsGateway gateway, AllocationOptions allocationOptions,
                           LifecycleOptions lifecycleOptions, CoreOptions options,
                           ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<DeadLetterSink> deadLetterSink,
                           ObjectProvider<DeviceInventory> deviceInventory,
                           ObjectProvider<ReconcileOptions> reconcileOptions,
                           ObjectProvider<ReconcileOptionsCustomizer> reconcileCustomizers,
                           ObjectProvider<TokenCredential> credential,
                           ObjectProvider<ObservationRegistry> observationRegistry,
                           ObjectProvider<InstanceRegistry> instanceRegistry,
                           Environment environment,
                           @Qualifier(TASK_EXECUTOR) ObjectProvider<Executor> taskExecutor,
                           @Qualifier(BOOT_TASK_EXECUTOR) ObjectProvider<Executor> bootTaskExecutor) {
        DpsTwin.Builder builder = DpsTwin.builder()
                .gateway(gateway)
                .allocationOptions(allocationOptions)
                .lifecycleOptions(lifecycleOptions)
                .twinIdStrategy(allocationOptions.twinIdStrategy())
                .allocationRetry(options.allocationRetry());
        Executor executor = taskExecutor(environment, taskExecutor, bootTaskExecutor);
        if (executor != null) {
            builder.executor(executor);
        }
        options.rateLimits().ifPresentOrElse(builder::rateLimits, builder::noRateLimits);
        instanceRegistry.ifUnique(builder::instanceRegistry);
        meterRegistry.ifUnique(builder::meterRegistry);
        observationRegistry.ifUnique(builder::observationRegistry);
        deadLetterSink.ifUnique(builder::deadLetterSink);
        DeviceInventory inventory = deviceInventory.getIfUnique();
        if (inventory == null) {
            LOG.info("dps-twin ready: {}; {}", allocationOptions, lifecycleOptions);
            return builder.build();
        }
        ReconcileOptions reconcile = reconcileOptions.getIfUnique(() -> {
            ReconcileOptions.Builder b = options.reconcile().toBuilder();
            if (lifecycleOptions.deviceRegistry().isEmpty()) {
                options.reconcileGuard(credential::getObject).ifPresent(b::registryGuard);
            }
            reconcileCustomizers.orderedStream().forEach(customizer -> customizer.customize(b));
            return b.build();
        });
        if (reconcile.effectiveDeviceModels().isEmpty() && lifecycleOptions.defaultModelId().isEmpty()) {
            throw new DpsTwinConfigurationException("dps-twin.reconcile.device-models",
                    "is empty and no default model is set, so the reconciler cannot tell which twins mirror devices",
                    "List the models (DTMIs) whose twins mirror devices in dps-twin.reconcile.device-models, or set "
                            + "dps-twin.allocation.default-model.");
        }
        builder.deviceInventory(inventory).reconcileOptions(reconcile);
        LOG.info("dps-twin ready: {}; {}; reconciler over hubs {}: {}", allocationOptions, lifecycleOptions,
                inventory.hubHostNames(), reconcile);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new DpsTwinConfigurationException("dps-twin.reconcile", "cannot build the reconciler: "
                    + e.getMessage(), "Check the device inventory and dps-twin.reconcile.*.", e);
        }
    }

    /**
     * The application's {@value #TASK_EXECUTOR} bean; else, with virtual threads on (Java 21 or later and
     * {@code spring.threads.virtual.enabled=true}), Boot's {@code applicationTaskExecutor}, or a virtual-thread
     * executor when the application has none; else {@code null}: dps-twin's own platform thread pools, as on Java 17
     * where Boot has no virtual threads to give.
     */
    static Executor taskExecutor(Environment environment, ObjectProvider<Executor> taskExecutor,
                                 ObjectProvider<Executor> bootTaskExecutor) {
        Executor own = taskExecutor.getIfAvailable();
        if (own != null) {
            LOG.info("dps-twin runs the retire flow and the reconciler on the application's {} bean", TASK_EXECUTOR);
            return own;
        }
        if (DpsTwinReconcileAutoConfiguration.virtualThreads(environment)) {
            Executor boot = bootTaskExecutor.getIfAvailable();
            LOG.info("dps-twin runs the retire flow and the reconciler on virtual threads ({})",
                    boot != null ? "Boot's " + BOOT_TASK_EXECUTOR : "a VirtualThreadTaskExecutor");
            return boot != null ? boot : new VirtualThreadTaskExecutor("dpstwin-");
        }
        if (environment.getProperty(VIRTUAL_THREADS_PROPERTY, Boolean.class, false)) {
            LOG.warn("{}=true, but Java {} has no virtual threads (they need Java 21 or later): dps-twin runs the "
                    + "retire flow and the reconciler on its own platform thread pools", VIRTUAL_THREADS_PROPERTY,
                    Runtime.version().feature());
        }
        return null;
    }

    /** The provision flow of {@link DpsTwin}. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public DpsAllocationHandler dpsTwinAllocationHandler(DpsTwin dpsTwin) {
        return dpsTwin.allocation();
    }

    /** The retire flow of {@link DpsTwin} (closed with it). */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public LifecycleProcessor dpsTwinLifecycleProcessor(DpsTwin dpsTwin) {
        return dpsTwin.lifecycle();
    }
}
