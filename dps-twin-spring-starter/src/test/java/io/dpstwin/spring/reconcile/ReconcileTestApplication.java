package io.dpstwin.spring.reconcile;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A web application with the whole starter over the {@link ReconcileFixture}: its in-memory ADT is the application's
 * gateway and its in-memory hub the application's device inventory (and registry guard).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ReconcileTestApplication {

    @Bean
    ReconcileFixture reconcileFixture() {
        return ReconcileFixture.withDrift();
    }

    @Bean
    DigitalTwinsGateway digitalTwinsGateway(ReconcileFixture fixture) {
        return fixture.adt;
    }

    @Bean
    InMemoryDeviceRegistry iotHubs(ReconcileFixture fixture) {
        return fixture.hubs;
    }
}
