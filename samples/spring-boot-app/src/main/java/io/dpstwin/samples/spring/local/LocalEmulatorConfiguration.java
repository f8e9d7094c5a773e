package io.dpstwin.samples.spring.local;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.spring.autoconfigure.DpsTwinProperties;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * Profile {@code local}: Azure Digital Twins is the testkit's HTTPS emulator, started in this process. The
 * application defines its own {@link DigitalTwinsClient} for it, and the starter steps back: no endpoint, no Azure
 * credential needed. Everything else (webhooks, flows, metrics, health) is the starter's, configured in
 * {@code application-local.yml}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@EnableConfigurationProperties(DemoProperties.class)
public class LocalEmulatorConfiguration {

    @Bean(destroyMethod = "close")
    AdtEmulator adtEmulator(DemoProperties demo) {
        return AdtEmulator.builder().port(demo.getEmulatorPort()).start();
    }

    /**
     * The application's own client wins over the starter's: the emulator's transport (trusting its certificate)
     * and fake credential, with the SDK's retries off as dps-twin expects of every client.
     */
    @Bean
    DigitalTwinsClient digitalTwinsClient(AdtEmulator emulator) {
        return emulator.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries()).buildClient();
    }

    @Bean
    ReferenceGraph referenceGraph(DigitalTwinsClient client) {
        return new ReferenceGraph(client);
    }

    @Bean
    DemoRunner demoRunner(DemoProperties demo, AdtEmulator emulator, ReferenceGraph graph, DigitalTwinsClient client,
                          DpsTwinProperties dpsTwin, Environment environment) {
        return new DemoRunner(demo, emulator, graph, client, dpsTwin, environment, System.out);
    }
}
