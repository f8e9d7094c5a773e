package io.dpstwin.spring.autoconfigure;

import io.dpstwin.spring.health.DigitalTwinsHealthIndicator;
import io.dpstwin.spring.health.DpsTwinHealthAutoConfiguration;
import io.dpstwin.spring.healthcheck.HealthAutoConfigurationContract;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The Boot 4 starter's health auto-configuration, on Boot 4's health API. */
class DpsTwinHealthAutoConfigurationTest extends HealthAutoConfigurationContract {

    DpsTwinHealthAutoConfigurationTest() {
        super(DpsTwinHealthAutoConfiguration.class, DigitalTwinsHealthIndicator.class, HealthIndicator.class);
    }
}
