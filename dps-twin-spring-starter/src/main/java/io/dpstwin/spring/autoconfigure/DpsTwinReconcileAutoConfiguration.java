package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.reconcile.DeviceInventory;
import io.dpstwin.core.reconcile.Reconciler;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import io.dpstwin.spring.reconcile.ScheduledReconcile;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The reconciler in the application, when there is a {@link DeviceInventory} (the application's bean, or one from
 * {@code dps-twin.reconcile.hub-host-names}/{@code connection-strings}): the {@link Reconciler} of the
 * {@link DpsTwin}, a {@link ReconcileRunner} that runs it one run at a time, and, with
 * {@code dps-twin.reconcile.schedule.cron}, a {@link ScheduledReconcile}. The actuator endpoint is in
 * {@link DpsTwinReconcileEndpointAutoConfiguration}.
 */
@AutoConfiguration(after = DpsTwinAutoConfiguration.class)
@ConditionalOnClass(DpsTwin.class)
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
@ConditionalOnBean({DpsTwin.class, DeviceInventory.class})
public class DpsTwinReconcileAutoConfiguration {

    private static final String SCHEDULE = "dps-twin.reconcile.schedule.";

    /** The reconciler of the {@link DpsTwin}: it shares the gateway, the ADT rate limiters and the meter registry. */
    @Bean
    @ConditionalOnMissingBean
    public Reconciler dpsTwinReconciler(DpsTwin dpsTwin) {
        return dpsTwin.reconciler().orElseThrow(() -> new DpsTwinConfigurationException("dps-twin.reconcile",
                "the application's DpsTwin bean has no reconciler, although there is a DeviceInventory bean",
                "Pass the inventory to DpsTwin.builder().deviceInventory(...), or let the starter build the DpsTwin."));
    }

    @Bean
    @ConditionalOnMissingBean
    public ReconcileRunner dpsTwinReconcileRunner(Reconciler reconciler) {
        return new ReconcileRunner(reconciler);
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
}
