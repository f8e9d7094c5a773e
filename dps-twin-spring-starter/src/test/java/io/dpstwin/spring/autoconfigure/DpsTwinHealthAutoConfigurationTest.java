package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.health.DigitalTwinsHealthIndicator;
import io.dpstwin.spring.health.DpsTwinHealthAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DpsTwinHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinHealthAutoConfiguration.class))
            .withBean(DigitalTwinsGateway.class, () -> Mockito.mock(DigitalTwinsGateway.class));

    @Test
    void contributesTheDpsTwinHealthIndicatorByDefault() {
        runner.run(context -> assertThat(context).hasSingleBean(DigitalTwinsHealthIndicator.class)
                .hasBean("dpsTwinHealthIndicator"));
    }

    @Test
    void managementHealthDpsTwinEnabledFalseRemovesIt() {
        runner.withPropertyValues("management.health.dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }

    @Test
    void managementHealthDefaultsEnabledFalseRemovesIt() {
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }

    @Test
    void contributesNothingWithoutSpringBootsHealthModule() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }

    @Test
    void contributesNothingWhenDpsTwinIsDisabled() {
        runner.withPropertyValues("dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }
}
