package io.dpstwin.spring.boot3.health;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

class Boot3HealthAutoConfigurationTest {

    private final DigitalTwinsGateway gateway = Mockito.mock(DigitalTwinsGateway.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinHealthAutoConfiguration.class))
            .withBean(DigitalTwinsGateway.class, () -> gateway);

    @Test
    void contributesTheDpsTwinHealthIndicatorOfBoot35ByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(DigitalTwinsHealthIndicator.class).hasBean("dpsTwinHealthIndicator");
            assertThat(context.getBean("dpsTwinHealthIndicator")).isInstanceOf(HealthIndicator.class);
        });
    }

    @Test
    void reportsUpWithTheEndpointHostWhenAdtAnswers() {
        runner.withPropertyValues("dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net")
                .run(context -> {
                    Health health = context.getBean(DigitalTwinsHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("endpoint", "contoso.api.weu.digitaltwins.azure.net");
                });
    }

    @Test
    void reportsDownWithTheReasonWhenTheIdentityLacksARole() {
        when(gateway.getTwin(Mockito.anyString())).thenThrow(new AdtException(403, "Forbidden", "no role"));
        runner.run(context -> {
            Health health = context.getBean(DigitalTwinsHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("status", 403).containsEntry("errorCode", "Forbidden")
                    .containsEntry("reason", "the identity lacks an Azure Digital Twins data role")
                    .doesNotContainValue("no role");
        });
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
    void contributesNothingWithoutSpringBootsActuator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }

    @Test
    void contributesNothingWhenDpsTwinIsDisabled() {
        runner.withPropertyValues("dps-twin.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DigitalTwinsHealthIndicator.class));
    }
}
