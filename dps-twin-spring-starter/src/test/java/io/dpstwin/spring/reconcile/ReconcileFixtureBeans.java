package io.dpstwin.spring.reconcile;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ReconcileFixture} as beans, imported by the test applications: the fixture, and its in-memory ADT as the
 * application's gateway. Not a {@code @Configuration}, so that no component scan picks it up.
 */
class ReconcileFixtureBeans {

    @Bean
    ReconcileFixture reconcileFixture() {
        return ReconcileFixture.withDrift();
    }

    @Bean
    DigitalTwinsGateway digitalTwinsGateway(ReconcileFixture fixture) {
        return fixture.adt;
    }
}
