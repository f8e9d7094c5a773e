package io.dpstwin.docs.readme;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.dps.DpsRequests;
import io.dpstwin.testkit.iothub.EventGridEvents;
import io.dpstwin.testkit.iothub.IotHubEvents;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's plain-Java example, run as written: the client built as the README builds it, and the flows wired
 * as the README wires them, run against the testkit's HTTPS emulator (whose own client trusts its certificate).
 */
class ReadmePlainJavaTest {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String HUB = "hub-a.azure-devices.net";

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .modelResources("readme/Thermostat.json").build();

    @Test
    void theClientIsBuiltForTheEndpointWithTheSdkRetriesOff() {
        String adtEndpoint = "https://my-instance.api.weu.digitaltwins.azure.net";
        TokenCredential credential = request -> Mono.just(new AccessToken("token", OffsetDateTime.now().plusHours(1)));

        // tag::plain-java-client[]
        DigitalTwinsClient client = DigitalTwinsClients.create(adtEndpoint, credential); // SDK retries off; build once
        // end::plain-java-client[]

        assertThat(client.getServiceVersion()).isNotNull();
    }

    @Test
    void theExampleProvisionsADeviceAndRetiresItsTwin() {
        DigitalTwinsClient client = ADT.client();
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        byte[] requestBody = DpsRequests.group("thermostats").registrationId("dev-1").linkedHubs(HUB)
                .withoutPayload().toJson().getBytes(StandardCharsets.UTF_8);
        List<ParsedEvent> parsedEvents = new EventGridLifecycleParser()
                .parse(EventGridEvents.toJson(IotHubEvents.deviceDeleted("hub-a", "dev-1")));

        // tag::plain-java[]
        DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .defaultModelId("dtmi:contosocom:DigitalTwins:Thermostat;1")
                .meterRegistry(meterRegistry)
                .build();
        WebhookResponse answer = dpsTwin.allocation().handle(requestBody); // status + JSON body for DPS
        BatchResult outcomes = dpsTwin.lifecycle().process(parsedEvents);  // one outcome per event
        // end::plain-java[]

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"iotHubHostName\":\"" + HUB + "\"");
        assertThat(outcomes.size()).isEqualTo(1);
        assertThat(outcomes.count(LifecycleOutcome.RETIRED)).isEqualTo(1);
        assertThat(ADT.emulator().engine().twinCount()).isZero();
        assertThat(meterRegistry.find("dpstwin.allocations").tag("outcome", "allocated").counter().count())
                .isEqualTo(1.0);
    }
}
