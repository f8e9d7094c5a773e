package io.dpstwin.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.List;

/**
 * Conditions on {@code dps-twin.reconcile.*}, read with Spring Boot's binder so that lists work in every syntax
 * (comma-separated, indexed, YAML). Their messages name properties, never values (connection strings are secrets).
 */
final class ReconcileConditions {

    static final String HUB_HOST_NAMES = "dps-twin.reconcile.hub-host-names";
    static final String CONNECTION_STRINGS = "dps-twin.reconcile.connection-strings";
    static final String CRON = "dps-twin.reconcile.schedule.cron";

    private ReconcileConditions() {
    }

    /** {@code hub-host-names} or {@code connection-strings} names at least one IoT hub. */
    static final class HubsConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Binder binder = Binder.get(context.getEnvironment());
            List<String> hosts = binder.bind(HUB_HOST_NAMES, Bindable.listOf(String.class)).orElse(List.of());
            List<String> strings = binder.bind(CONNECTION_STRINGS, Bindable.listOf(String.class)).orElse(List.of());
            ConditionMessage.Builder message = ConditionMessage.forCondition("dps-twin reconcile hubs");
            return hosts.stream().anyMatch(h -> !h.isBlank()) || strings.stream().anyMatch(h -> !h.isBlank())
                    ? ConditionOutcome.match(message.found("property").items(HUB_HOST_NAMES + " or " + CONNECTION_STRINGS))
                    : ConditionOutcome.noMatch(message.didNotFind("property").items(HUB_HOST_NAMES, CONNECTION_STRINGS));
        }
    }

    /** {@code schedule.cron} is set, and is neither empty nor Spring's "disabled" marker {@code -}. */
    static final class ScheduleConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String cron = Binder.get(context.getEnvironment()).bind(CRON, String.class).orElse("");
            ConditionMessage.Builder message = ConditionMessage.forCondition("dps-twin reconcile schedule");
            return isScheduled(cron)
                    ? ConditionOutcome.match(message.found("property").items(CRON))
                    : ConditionOutcome.noMatch(message.didNotFind("property").items(CRON));
        }
    }

    static boolean isScheduled(String cron) {
        return cron != null && !cron.isBlank() && !"-".equals(cron.trim());
    }
}
