package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
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
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.core.twins.TwinIdStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

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
 * ({@link ReconcileOptionsCustomizer} beans applied).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(DpsTwin.class)
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DpsTwinProperties.class)
public class DpsTwinAutoConfiguration {

    /** The property naming the ADT instance. */
    public static final String ENDPOINT_PROPERTY = "dps-twin.digital-twins.endpoint";

    private static final Logger LOG = LoggerFactory.getLogger(DpsTwinAutoConfiguration.class);

    /**
     * {@code DefaultAzureCredential}, with the managed identity client id and tenant from the properties. Lazy: an
     * application that brings its own client or gateway never builds it.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean(TokenCredential.class)
    public TokenCredential dpsTwinCredential(DpsTwinProperties properties) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        DpsTwinProperties.Credential credential = properties.getCredential();
        if (DpsTwinOptionsFactory.hasText(credential.getManagedIdentityClientId())) {
            builder.managedIdentityClientId(credential.getManagedIdentityClientId().trim());
        }
        if (DpsTwinOptionsFactory.hasText(credential.getTenantId())) {
            builder.tenantId(credential.getTenantId().trim());
        }
        return builder.build();
    }

    /** The one ADT client of the application, built with {@link DigitalTwinsClients} (SDK retries off). */
    @Bean
    @ConditionalOnMissingBean({DigitalTwinsClient.class, DigitalTwinsGateway.class})
    public DigitalTwinsClient dpsTwinDigitalTwinsClient(DpsTwinProperties properties,
                                                        ObjectProvider<TokenCredential> credential,
                           ObjectProvider<ObservationRegistry> observationRegistry) {
        DpsTwinProperties.DigitalTwins adt = properties.getDigitalTwins();
        if (!DpsTwinOptionsFactory.hasText(adt.getEndpoint())) {
            throw new DpsTwinConfigurationException(ENDPOINT_PROPERTY, "is not set, so dps-twin cannot reach "
                    + "Azure Digital Twins",
                    "Set dps-twin.digital-twins.endpoint to your instance's URL, e.g. "
                            + "https://<instance>.api.<region>.digitaltwins.azure.net, or define a DigitalTwinsClient "
                            + "or DigitalTwinsGateway bean.");
        }
        try {
            return DigitalTwinsClients.builder()
                    .endpoint(adt.getEndpoint())
                    .credential(credential.getObject())
                    .requestTimeout(adt.getRequestTimeout())
                    .connectTimeout(adt.getConnectTimeout())
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DpsTwinConfigurationException(ENDPOINT_PROPERTY, "is invalid: " + e.getMessage(),
                    "Use the instance's https:// URL from the Azure portal (Overview, Host name).", e);
        }
    }

    /** The undecorated gateway on the SDK client; {@link DpsTwin} adds rate limits, retries and metrics. */
    @Bean
    @ConditionalOnMissingBean(DigitalTwinsGateway.class)
    public SdkDigitalTwinsGateway dpsTwinGateway(DigitalTwinsClient client) {
        return new SdkDigitalTwinsGateway(client);
    }

    @Bean
    @ConditionalOnMissingBean
    public AllocationOptions dpsTwinAllocationOptions(DpsTwinProperties properties,
                                                      ObjectProvider<HubSelectionPolicy> hubSelection,
                                                      ObjectProvider<ModelResolver> modelResolver,
                                                      ObjectProvider<Placement> placement,
                                                      ObjectProvider<TwinIdStrategy> twinIdStrategy,
                                                      ObjectProvider<AllocationOptionsCustomizer> customizers) {
        return DpsTwinOptionsFactory.allocationOptions(properties.getAllocation(),
                new DpsTwinOptionsFactory.AllocationParts(hubSelection.getIfUnique(), modelResolver.getIfUnique(),
                        placement.getIfUnique(), twinIdStrategy.getIfUnique(), customizers.orderedStream().toList()));
    }

    @Bean
    @ConditionalOnMissingBean
    public LifecycleOptions dpsTwinLifecycleOptions(DpsTwinProperties properties,
                                                    ObjectProvider<RetirementPolicy> retirementPolicy,
                                                    ObjectProvider<DeviceRegistry> deviceRegistry,
                                                    ObjectProvider<TwinIdStrategy> twinIdStrategy,
                                                    ObjectProvider<TokenCredential> credential,
                                                    ObjectProvider<LifecycleOptionsCustomizer> customizers) {
        DeviceRegistry registry = deviceRegistry.getIfUnique(() -> DpsTwinOptionsFactory.deviceRegistry(
                properties.getLifecycle().getRegistryGuard(), credential::getObject));
        return DpsTwinOptionsFactory.lifecycleOptions(properties,
                new DpsTwinOptionsFactory.LifecycleParts(retirementPolicy.getIfUnique(), registry,
                        twinIdStrategy.getIfUnique(), customizers.orderedStream().toList()));
    }

    /**
     * The IoT hubs' devices for the reconciler, from {@code dps-twin.reconcile.hub-host-names} (with the credential)
     * or {@code connection-strings}; only when one of them names a hub.
     */
    @Bean
    @ConditionalOnMissingBean(DeviceInventory.class)
    @Conditional(ReconcileConditions.HubsConfigured.class)
    public IotHubDeviceInventory dpsTwinDeviceInventory(DpsTwinProperties properties,
                                                        ObjectProvider<TokenCredential> credential) {
        return DpsTwinOptionsFactory.deviceInventory(properties.getReconcile(),
                credential::getObject);
    }

    /**
     * Both flows over one gateway, with shared rate limiters, the application's meter registry (else Micrometer's
     * global registry) and its observation registry when there is one (Boot's actuator makes one). The twin id
     * strategy of the allocation options is used by both flows, so that retirement finds the twins allocation made.
     */
    @Bean
    @ConditionalOnMissingBean
    public DpsTwin dpsTwin(DigitalTwinsGateway gateway, AllocationOptions allocationOptions,
                           LifecycleOptions lifecycleOptions, DpsTwinProperties properties,
                           ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<DeadLetterSink> deadLetterSink,
                           ObjectProvider<DeviceInventory> deviceInventory,
                           ObjectProvider<ReconcileOptions> reconcileOptions,
                           ObjectProvider<ReconcileOptionsCustomizer> reconcileCustomizers,
                           ObjectProvider<TokenCredential> credential,
                           ObjectProvider<ObservationRegistry> observationRegistry) {
        DpsTwinProperties.DigitalTwins adt = properties.getDigitalTwins();
        DpsTwin.Builder builder = DpsTwin.builder()
                .gateway(gateway)
                .allocationOptions(allocationOptions)
                .lifecycleOptions(lifecycleOptions)
                .twinIdStrategy(allocationOptions.twinIdStrategy())
                .allocationRetry(DpsTwinOptionsFactory.allocationRetry(adt.getAllocationRetry()));
        if (adt.getRateLimits().isEnabled()) {
            builder.rateLimits(DpsTwinOptionsFactory.rateLimits(adt.getRateLimits()));
        } else {
            builder.noRateLimits();
        }
        meterRegistry.ifUnique(builder::meterRegistry);
        observationRegistry.ifUnique(builder::observationRegistry);
        deadLetterSink.ifUnique(builder::deadLetterSink);
        DeviceInventory inventory = deviceInventory.getIfUnique();
        if (inventory == null) {
            LOG.info("dps-twin ready: {}; {}", allocationOptions, lifecycleOptions);
            return builder.build();
        }
        ReconcileOptions reconcile = reconcileOptions.getIfUnique(() -> DpsTwinOptionsFactory.reconcileOptions(
                properties, new DpsTwinOptionsFactory.ReconcileParts(
                        lifecycleOptions.deviceRegistry().isPresent() ? null
                                : DpsTwinOptionsFactory.reconcileRegistryGuard(properties.getReconcile(),
                                credential::getObject),
                        reconcileCustomizers.orderedStream().toList())));
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
