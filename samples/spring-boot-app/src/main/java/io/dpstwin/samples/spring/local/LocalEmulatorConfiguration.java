package io.dpstwin.samples.spring.local;

import com.azure.core.credential.AccessToken;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.spring.autoconfigure.ReconcileOptionsCustomizer;
import io.dpstwin.spring.reconcile.ReconcileRunner;
import io.dpstwin.spring.transport.AdtHttpTransport;
import io.dpstwin.spring.transport.TransportOptions;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/**
 * Profile {@code local}: Azure Digital Twins is the testkit's HTTPS emulator, started in this process. The
 * application defines its own {@link DigitalTwinsClient} for it, and the starter steps back: no endpoint, no Azure
 * credential needed. The IoT hubs' identity registries are the testkit's {@link InMemoryDeviceRegistry}: as a
 * device inventory it gives the application its reconciler, and as a device registry it is the retire flow's
 * registry guard. Everything else (webhooks, flows, reconciler, metrics, health) is the starter's, configured in
 * {@code application-local.yml}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@EnableConfigurationProperties(DemoProperties.class)
public class LocalEmulatorConfiguration {

    /** The demo's time, shared by the emulator, the simulated hubs and the reconciler. */
    @Bean
    DemoClock demoClock() {
        return new DemoClock();
    }

    @Bean(destroyMethod = "close")
    AdtEmulator adtEmulator(DemoProperties demo, DemoClock clock) {
        return AdtEmulator.builder().port(demo.getEmulatorPort())
                .engine(AdtEngine.builder().clock(clock).build())
                .start();
    }

    /** The simulated IoT hubs of the fleet's enrollment group; DPS registers devices here, IoT Hub deletes them. */
    @Bean
    InMemoryDeviceRegistry iotHubs(DemoClock clock) {
        return InMemoryDeviceRegistry.builder().hubs(FleetSimulation.LINKED_HUBS).clock(clock).build();
    }

    /** The reconciler measures its grace window with the demo's time, as the emulator and the hubs do. */
    @Bean
    ReconcileOptionsCustomizer demoClockForTheReconciler(DemoClock clock) {
        return options -> options.clock(clock);
    }

    /**
     * The application's own client wins over the starter's: the starter's HTTP transport trusting the emulator's
     * certificate, and a fixed token (the emulator accepts any), with the SDK's retries off as dps-twin expects of
     * every client.
     */
    @Bean
    DigitalTwinsClient digitalTwinsClient(AdtEmulator emulator, CoreOptions dpsTwin) {
        TransportOptions trustingTheEmulator = TransportOptions.of(
                        dpsTwin.values().get(DpsTwinSettings.ADT_CONNECT_TIMEOUT),
                        dpsTwin.values().get(DpsTwinSettings.ADT_REQUEST_TIMEOUT))
                .trusting(emulator.certificate());
        return DigitalTwinsClients.builder()
                .endpoint(emulator.endpoint())
                .credential(request -> Mono.just(new AccessToken("local-demo", OffsetDateTime.now().plusHours(1))))
                .httpClient(AdtHttpTransport.choose(getClass().getClassLoader()).create(trustingTheEmulator))
                .build();
    }

    @Bean
    ReferenceGraph referenceGraph(DigitalTwinsClient client) {
        return new ReferenceGraph(client);
    }

    @Bean
    DemoRunner demoRunner(DemoProperties demo, AdtEmulator emulator, ReferenceGraph graph, DigitalTwinsClient client,
                          CoreOptions dpsTwin, InMemoryDeviceRegistry hubs, DemoClock clock,
                          ReconcileRunner reconcile, Environment environment) {
        return new DemoRunner(demo, emulator, graph, client, dpsTwin, hubs, clock, reconcile, environment, System.out);
    }
}
