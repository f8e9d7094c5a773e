package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.reconcile.BlobLeaseReconcileLock;
import io.dpstwin.core.reconcile.ReconcileLock;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import io.dpstwin.spring.reconcile.ScheduledReconcile;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.concurrent.Executor;

/**
 * The reconciler in the application, when there is a {@link DeviceInventory} (the application's bean, or one from
 * {@code dps-twin.reconcile.hub-host-names}/{@code connection-strings}): the {@link Reconciler} of the
 * {@link DpsTwin}, a {@link ReconcileRunner} that runs it one run at a time (across replicas too, through a
 * {@link ReconcileLock} on a blob lease in the Event Hubs checkpoint container when one is configured), and, with
 * {@code dps-twin.reconcile.schedule.cron}, a {@link ScheduledReconcile}. The actuator endpoint is in
 * {@link DpsTwinReconcileEndpointAutoConfiguration}.
 */
@AutoConfiguration(after = DpsTwinAutoConfiguration.class)
@ConditionalOnClass(DpsTwin.class)
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
@ConditionalOnBean({DpsTwin.class, DeviceInventory.class})
public class DpsTwinReconcileAutoConfiguration {

    private static final String SCHEDULE = "dps-twin.reconcile.schedule.";
    /** The bean name of the executor of runs started through the actuator endpoint. */
    public static final String RECONCILE_EXECUTOR = "dpsTwinReconcileExecutor";

    /** The reconciler of the {@link DpsTwin}: it shares the gateway, the ADT rate limiters and the meter registry. */
    @Bean
    @ConditionalOnMissingBean
    public Reconciler dpsTwinReconciler(DpsTwin dpsTwin) {
        return dpsTwin.reconciler().orElseThrow(() -> new DpsTwinConfigurationException("dps-twin.reconcile",
                "the application's DpsTwin bean has no reconciler, although there is a DeviceInventory bean",
                "Pass the inventory to DpsTwin.builder().deviceInventory(...), or let the starter build the DpsTwin."));
    }

    /**
     * The reconcile lock on a blob lease in the Event Hubs checkpoint container
     * ({@code dps-twin.lifecycle.event-hubs.checkpoint-store.*}): replicas of the application that share it run one
     * reconcile at a time.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({BlobContainerClientBuilder.class, BlobLeaseClientBuilder.class})
    @Conditional(DpsTwinEventHubsAutoConfiguration.BlobContainerConfigured.class)
    static class BlobLeaseLockConfiguration {

        /** The blob that holds the lease, in the checkpoint container. */
        static final String LOCK_BLOB = "dps-twin/reconcile.lock";

        @Bean
        @ConditionalOnMissingBean
        ReconcileLock dpsTwinReconcileLock(CoreOptions options, ObjectProvider<TokenCredential> credential) {
            BlobClient blob = DpsTwinEventHubsAutoConfiguration.checkpointContainer(options, credential)
                    .buildClient().getBlobClient(LOCK_BLOB);
            return BlobLeaseReconcileLock.of(blob);
        }
    }

    /**
     * Without a shared container, the lock holds within this process only: enough for one instance. Replicas need the
     * checkpoint container, or a {@link ReconcileLock} bean of the application's (e.g. on its database).
     */
    @Bean
    @ConditionalOnMissingBean
    public ReconcileLock dpsTwinReconcileLock() {
        return ReconcileLock.local();
    }

    /**
     * Where runs started through the actuator endpoint go: a thread of their own per run (runs never overlap), a
     * virtual one when {@code spring.threads.virtual.enabled=true} on Java 21 or later.
     */
    @Bean(name = RECONCILE_EXECUTOR)
    @ConditionalOnMissingBean(name = RECONCILE_EXECUTOR)
    public Executor dpsTwinReconcileExecutor(Environment environment) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("dpstwin-reconcile-run-");
        executor.setDaemon(true);
        executor.setVirtualThreads(virtualThreads(environment));
        return executor;
    }

    @Bean
    @ConditionalOnMissingBean
    public ReconcileRunner dpsTwinReconcileRunner(Reconciler reconciler, ReconcileLock lock,
                                                  @Qualifier(RECONCILE_EXECUTOR) Executor executor) {
        return new ReconcileRunner(reconciler, lock, executor);
    }

    /** The scheduled run, only when {@code dps-twin.reconcile.schedule.cron} is set. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(ReconcileConditions.ScheduleConfigured.class)
    public ScheduledReconcile dpsTwinScheduledReconcile(ReconcileRunner runner, CoreOptions options) {
        String zoneId = options.values().get(DpsTwinSettings.SCHEDULE_ZONE);
        ZoneId zone;
        try {
            zone = zoneId != null ? ZoneId.of(zoneId) : ZoneId.systemDefault();
        } catch (DateTimeException e) {
            throw new DpsTwinConfigurationException(SCHEDULE + "zone", "is not a time zone: " + e.getMessage(),
                    "Use a zone id such as UTC or Europe/Paris, or leave it empty for the JVM's default zone.", e);
        }
        try {
            return new ScheduledReconcile(runner, options.values().get(DpsTwinSettings.SCHEDULE_CRON), zone,
                    options.values().get(DpsTwinSettings.RECONCILE_APPLY));
        } catch (IllegalArgumentException e) {
            throw new DpsTwinConfigurationException(SCHEDULE + "cron", "is not a cron expression: " + e.getMessage(),
                    "Use Spring's six fields (second minute hour day-of-month month day-of-week), e.g. "
                            + "'0 0/30 * * * *' for every 30 minutes, or leave it empty for no scheduled run.", e);
        }
    }

    /**
     * Boot's own rule for virtual threads ({@code Threading.VIRTUAL}, whose package differs between Boot 3.5 and 4):
     * Java 21 or later and {@code spring.threads.virtual.enabled=true}.
     */
    static boolean virtualThreads(Environment environment) {
        return Runtime.version().feature() >= 21
                && environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false);
    }
}
