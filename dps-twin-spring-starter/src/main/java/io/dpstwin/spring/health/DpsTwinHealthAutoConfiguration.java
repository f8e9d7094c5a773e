package io.dpstwin.spring.health;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot 4: the {@code dpsTwin} health contributor ({@link DigitalTwinsHealthIndicator}) when Spring Boot's health
 * support is present; switched off with {@code management.health.dps-twin.enabled=false}.
 */
@AutoConfiguration(after = DpsTwinAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
public class DpsTwinHealthAutoConfiguration {

    /** Nested so that the health annotations are only read when Spring Boot's health module is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
    @ConditionalOnBean(DpsTwin.class)
    @ConditionalOnEnabledHealthIndicator("dps-twin")
    static class DigitalTwinsHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "dpsTwinHealthIndicator")
        DigitalTwinsHealthIndicator dpsTwinHealthIndicator(DpsTwin dpsTwin, ObjectProvider<AllocationOptions> options,
                                                          ObjectProvider<CoreOptions> settings) {
            AllocationOptions allocation = options.getIfUnique();
            CoreOptions props = settings.getIfUnique();
            return new DigitalTwinsHealthIndicator(dpsTwin.gateway(),
                    allocation == null ? null : allocation.globalDefaultModel().orElse(null),
                    props == null ? null : props.values().get(DpsTwinSettings.ADT_ENDPOINT));
        }
    }
}
