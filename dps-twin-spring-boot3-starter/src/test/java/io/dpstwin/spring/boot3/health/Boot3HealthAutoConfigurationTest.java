package io.dpstwin.spring.boot3.health;

import io.dpstwin.core.twins.AdtException;
import io.dpstwin.spring.healthcheck.HealthAutoConfigurationContract;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/** The Boot 3.5 starter's health auto-configuration (Boot 3.5's actuator health API) and what its indicator reports. */
class Boot3HealthAutoConfigurationTest extends HealthAutoConfigurationContract {

    Boot3HealthAutoConfigurationTest() {
        super(DpsTwinHealthAutoConfiguration.class, DigitalTwinsHealthIndicator.class, HealthIndicator.class);
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
}
