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
import io.dpstwin.testkit.device.mqtt.DeviceMqttListener;
import io.dpstwin.testkit.dps.emulator.DpsEmulator;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.registry.InMemoryDeviceRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Profile {@code local}: the Azure services around the application are emulators started in this process. Azure
 * Digital Twins is the ADT emulator over HTTPS, for which the application defines its own {@link DigitalTwinsClient}
 * (the starter steps back: no endpoint, no Azure credential needed). Devices meet a DPS emulator and two emulated IoT
 * hubs ({@code contoso-hub-1}, {@code contoso-hub-2}) on one MQTT-over-TLS listener on port 8883 (the port the Java
 * device SDKs always dial), with TLS certificates from one CA. The hubs' identity registry,
 * {@link IotHubEmulator#registry()}, is the application's device inventory (its reconciler) and device registry (the
 * retire flow's registry guard). {@link DemoRunner} links DPS to the application's allocation webhook and the hubs'
 * lifecycle events to its Event Grid endpoint once the web server listens. Everything else (webhooks, flows,
 * reconciler, metrics, health) is the starter's, configured in {@code application-local.yml}.
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
        return AdtEmulator.builder().port(demo.emulatorPort())
                .engine(AdtEngine.builder().clock(clock).build())
                .start();
    }

    /** The CA of the DPS and hub emulators' TLS certificates: what devices and service clients trust. */
    @Bean
    EmulatorCa emulatorCa() {
        return EmulatorCa.generate();
    }

    /**
     * The devices' MQTT-over-TLS listener, shared by DPS and both hubs, on port 8883 of {@code demo.mqtt-host}: the
     * Java device SDKs always dial 8883, so a taken port fails the start with the option to change the address.
     */
    @Bean(destroyMethod = "close")
    DeviceMqttListener deviceMqttListener(DemoProperties demo, EmulatorCa ca) {
        try {
            return DeviceMqttListener.builder().host(demo.mqttHost()).port(DeviceMqttListener.DEFAULT_PORT)
                    .certificateAuthority(ca).serverNames(FleetSimulation.LINKED_HUBS.toArray(String[]::new))
                    .portOptionName("--demo.mqtt-host").start();
        } catch (RuntimeException e) {
            Throwable reason = e;
            while (reason.getCause() != null) {
                reason = reason.getCause();
            }
            throw new IllegalStateException("The local demo's devices need port " + DeviceMqttListener.DEFAULT_PORT
                    + " on " + demo.mqttHost() + " (the Java device SDKs always dial " + DeviceMqttListener.DEFAULT_PORT
                    + ") and cannot listen there (" + reason.getMessage() + "). Stop what listens there, or run the demo on "
                    + "another loopback address, e.g. --demo.mqtt-host=127.0.0.2 (Linux routes all of 127.0.0.0/8 "
                    + "to loopback).", e);
        }
    }

    /** The two IoT hubs of the fleet's enrollment group, on the shared listener, on the demo's time. */
    @Bean(destroyMethod = "close")
    IotHubEmulator iotHubEmulator(EmulatorCa ca, DeviceMqttListener mqtt, DemoClock clock) {
        IotHubEmulator.Builder hubs = IotHubEmulator.builder().certificateAuthority(ca).mqtt(mqtt).clock(clock);
        FleetSimulation.LINKED_HUBS.forEach(hubs::hub);
        return hubs.start();
    }

    /** The hubs' identity registry: DPS registers devices here, {@code RegistryClient} deletes them. */
    @Bean
    InMemoryDeviceRegistry iotHubs(IotHubEmulator hubs) {
        return hubs.registry();
    }

    /**
     * DPS, on the shared listener (MQTT) and a free HTTPS port, linked to both hubs. A webhook that answers 429 or
     * 5xx is retried twice, a second apart (DPS's own schedule spans minutes): the demo bounds every wait.
     */
    @Bean(destroyMethod = "close")
    DpsEmulator dpsEmulator(EmulatorCa ca, DeviceMqttListener mqtt, IotHubEmulator hubs) {
        return DpsEmulator.builder().certificateAuthority(ca).mqttListener(mqtt)
                .linkedHub(hubs.hubs().toArray(EmulatedIotHub[]::new))
                .webhookRetry(new DpsEmulator.WebhookRetry(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .webhookTimeout(Duration.ofSeconds(30))
                .start();
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
                          CoreOptions dpsTwin, DpsEmulator dps, IotHubEmulator hubs, EmulatorCa ca, DemoClock clock,
                          ReconcileRunner reconcile, Environment environment) {
        return new DemoRunner(demo, emulator, graph, client, dpsTwin, new DemoRunner.Emulators(dps, hubs, ca), clock,
                reconcile, environment, System.out);
    }
}
