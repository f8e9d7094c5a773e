package io.dpstwin.docs.spring;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.spring.autoconfigure.AllocationOptionsCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/**
 * The beans of docs/spring-boot.md ("Beans, and how to replace them") that the starter picks up: a hub selection
 * policy, an options customizer and a dead-letter sink. Exercised by {@link SpringExamplesTest}.
 */
@Configuration(proxyBeanMethods = false)
class DpsTwinBeans {

    // tag::beans[]
    @Bean
    HubSelectionPolicy hubSelection() {                     // replaces dps-twin.allocation.hub-selection.*
        return HubSelectionPolicy.sticky(HubSelectionPolicy.consistentHashing());
    }

    @Bean
    AllocationOptionsCustomizer provisionedByTag() {        // adjusts what the properties built
        return builder -> builder.initialTwinTags(Map.of("provisionedBy", "dps-twin"));
    }

    @Bean
    DeadLetterSink deadLetters(EventHubProducerClient deadLetterHub) {   // park failed lifecycle events in an event hub
        return letter -> deadLetterHub.send(List.of(new EventData(
                letter.twinId() + " " + letter.reason().code() + ": " + letter.errorMessage())));
    }
    // end::beans[]
}
