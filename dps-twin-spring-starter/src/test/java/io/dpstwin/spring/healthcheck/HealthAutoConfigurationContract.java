package io.dpstwin.spring.healthcheck;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each starter's health auto-configuration must do on its own Boot line (whose health API differs): contribute
 * the {@code dpsTwinHealthIndicator} by default, and nothing when switched off, without Boot's health classes or
 * with dps-twin disabled.
 */
public abstract class HealthAutoConfigurationContract {

    /** The gateway the indicator probes. */
    protected final DigitalTwinsGateway gateway = Mockito.mock(DigitalTwinsGateway.class);
    /** dps-twin's and the health auto-configuration, over {@link #gateway}. */
    protected final ApplicationContextRunner runner;
    private final Class<?> indicator;
    private final Class<?> healthIndicatorApi;

    /**
     * @param healthAutoConfiguration the starter's health auto-configuration
     * @param indicator               the indicator it contributes
     * @param healthIndicatorApi      the Boot line's {@code HealthIndicator} interface
     */
    protected HealthAutoConfigurationContract(Class<?> healthAutoConfiguration, Class<?> indicator,
                                              Class<?> healthIndicatorApi) {
        this.runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class, healthAutoConfiguration))
                .withBean(DigitalTwinsGateway.class, () -> gateway);
        this.indicator = indicator;
        this.healthIndicatorApi = healthIndicatorApi;
    }

    @Test
    void contributesTheDpsTwinHealthIndicatorByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(indicator).hasBean("dpsTwinHealthIndicator");
            assertThat(context.getBean("dpsTwinHealthIndicator")).isInstanceOf(healthIndicatorApi);
        });
    }

    @Test
    void managementHealthDpsTwinEnabledFalseRemovesIt() {
        runner.withPropertyValues("management.health.dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(indicator));
    }

    @Test
    void managementHealthDefaultsEnabledFalseRemovesIt() {
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(indicator));
    }

    @Test
    void contributesNothingWithoutSpringBootsHealthClasses() {
        runner.withClassLoader(new FilteredClassLoader(healthIndicatorApi))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(indicator));
    }

    @Test
    void contributesNothingWhenDpsTwinIsDisabled() {
        runner.withPropertyValues("dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(indicator));
    }
}
