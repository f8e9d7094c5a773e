package io.dpstwin.spring.webhook;

import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.lifecycle.DeadLetter;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A web application with the whole starter and the testkit's HTTPS ADT emulator as Azure Digital Twins (the
 * application's own {@link DigitalTwinsClient} wins over the starter's).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class WebhookTestApplication {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";

    @Bean(destroyMethod = "close")
    AdtEmulator adtEmulator() {
        return AdtEmulator.builder().modelResources("models/Thermostat.json", "models/Room.json").start();
    }

    @Bean
    DigitalTwinsClient digitalTwinsClient(AdtEmulator emulator) {
        return emulator.clientBuilder().retryOptions(DigitalTwinsClients.noSdkRetries()).buildClient();
    }

    @Bean
    SwitchableDeadLetterSink deadLetterSink() {
        return new SwitchableDeadLetterSink();
    }

    /** Creates a room twin through the SDK, as an operator would. */
    static void createRoom(DigitalTwinsClient client, String room) {
        client.createOrReplaceDigitalTwin(room, new BasicDigitalTwin(room)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ROOM)), BasicDigitalTwin.class);
    }

    /** A dead-letter sink that can be made to fail, which leaves an event FAILED. */
    static final class SwitchableDeadLetterSink implements DeadLetterSink {
        final AtomicBoolean broken = new AtomicBoolean();
        final List<DeadLetter> parked = new CopyOnWriteArrayList<>();

        @Override
        public void deadLetter(DeadLetter letter) {
            if (broken.get()) {
                throw new IllegalStateException("dead-letter store unreachable");
            }
            parked.add(letter);
        }
    }
}
