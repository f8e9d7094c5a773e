package io.dpstwin.docs.spring;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.AllocationOptions;
import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.allocation.HubSelectionPolicy;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.testkit.adt.AdtOperation;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.InMemoryDigitalTwinsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;

/** The bean examples of docs/spring-boot.md, in an application context with the starter's auto-configuration. */
class SpringExamplesTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    private static final String HUB_1 = "contoso-hub-1.azure-devices.net";
    private static final String HUB_2 = "contoso-hub-2.azure-devices.net";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final InMemoryDigitalTwinsExtension ADT = InMemoryDigitalTwinsExtension.newInstance()
            .modelResources("models/Thermostat.json", "models/Room.json")
            .build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class))
            .withUserConfiguration(DpsTwinBeans.class)
            .withPropertyValues("dps-twin.allocation.default-model=" + THERMOSTAT,
                    "dps-twin.allocation.hub-selection.policy=first",
                    "dps-twin.lifecycle.max-attempts=1");

    @Test
    void theHubSelectionBeanReplacesThePropertiesAndTheCustomizerAddsItsTag(InMemoryDigitalTwins adt) {
        runner.withBean(DigitalTwinsGateway.class, () -> adt)
                .withBean(EventHubProducerClient.class, () -> Mockito.mock(EventHubProducerClient.class))
                .run(context -> {
                    AllocationOptions options = context.getBean(AllocationOptions.class);
                    assertThat(options.hubSelection()).isSameAs(context.getBean(HubSelectionPolicy.class));

                    WebhookResponse answer = context.getBean(DpsAllocationHandler.class).handle(
                            DpsRequests.group("thermostats").registrationId("dev-1").linkedHubs(HUB_1, HUB_2)
                                    .reRegistration(HUB_2).toJson());

                    assertThat(answer.status()).isEqualTo(200);
                    JsonNode body = JSON.readTree(answer.body());
                    assertThat(body.path("iotHubHostName").asText())
                            .as("sticky, although the property says first").isEqualTo(HUB_2);
                    assertThat(body.at("/initialTwin/tags/provisionedBy").asText()).isEqualTo("dps-twin");
                    assertThat(body.at("/initialTwin/tags/dtmi").asText()).as("the properties still apply")
                            .isEqualTo(THERMOSTAT);
                });
    }

    @Test
    void anEventTheRetireFlowGivesUpOnIsSentToTheDeadLetterHub(InMemoryDigitalTwins adt) {
        EventHubProducerClient deadLetterHub = Mockito.mock(EventHubProducerClient.class);
        runner.withBean(DigitalTwinsGateway.class, () -> adt)
                .withBean(EventHubProducerClient.class, () -> deadLetterHub)
                .run(context -> {
                    context.getBean(DpsAllocationHandler.class).handle(
                            DpsRequests.group("thermostats").registrationId("dev-1").toJson());
                    adt.faults().failNext(AdtOperation.DELETE_TWIN,
                            new AdtException(403, "Forbidden", "the identity lacks a data role"));
                    String delivery = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson();

                    BatchResult result = context.getBean(LifecycleProcessor.class)
                            .process(new EventGridLifecycleParser().parse(delivery));

                    assertThat(result.count(LifecycleOutcome.DEAD_LETTERED)).isEqualTo(1);
                    verify(deadLetterHub).send(argThat((Iterable<EventData> events) ->
                            StreamSupport.stream(events.spliterator(), false).map(EventData::getBodyAsString)
                                    .toList().equals(java.util.List.of(
                                            "dev-1 permanent_failure: the identity lacks a data role"))));
                });
    }
}
