package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;

import io.dpstwin.spring.reconcile.ReconcileEndpoint;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator endpoint {@code dpstwinreconcile} ({@link ReconcileEndpoint}) when Spring Boot's actuator is present,
 * the application has a reconciler, and the endpoint is available (accessible and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=health,dpstwinreconcile}). Repairing through it needs
 * {@code dps-twin.reconcile.endpoint.allow-apply=true}.
 */
@AutoConfiguration(after = DpsTwinReconcileAutoConfiguration.class)
@ConditionalOnClass({WebEndpoint.class, ConditionalOnAvailableEndpoint.class})
public class DpsTwinReconcileEndpointAutoConfiguration {

    /** Nested so that the actuator annotations are only read when the actuator is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(ReconcileRunner.class)
    @ConditionalOnAvailableEndpoint(endpoint = ReconcileEndpoint.class)
    static class ReconcileEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReconcileEndpoint dpsTwinReconcileEndpoint(ReconcileRunner runner, CoreOptions options) {
            return new ReconcileEndpoint(runner, options.values().get(DpsTwinSettings.ENDPOINT_ALLOW_APPLY));
        }
    }
}
