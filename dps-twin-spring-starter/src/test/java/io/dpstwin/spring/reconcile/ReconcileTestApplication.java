package io.dpstwin.spring.reconcile;

import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A web application with the whole starter over the {@link ReconcileFixture}: its in-memory ADT is the application's
 * gateway and its in-memory hub the application's device inventory (and registry guard).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReconcileFixtureBeans.class)
class ReconcileTestApplication {

    @Bean
    InMemoryDeviceRegistry iotHubs(ReconcileFixture fixture) {
        return fixture.hubs;
    }
}
