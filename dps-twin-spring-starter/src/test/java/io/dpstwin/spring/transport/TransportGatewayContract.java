package io.dpstwin.spring.transport;

import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.contract.DigitalTwinsGatewayContract;
import io.dpstwin.testkit.contract.GatewayContractFixture;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

/**
 * Core's gateway contract over one {@link AdtHttpTransport}, through the {@link AzureLikeFrontEnd} (TLS 1.2/1.3, ALPN
 * h2 + http/1.1, chunked answers, interim 100s, idle closes after two seconds) in front of the ADT emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransportGatewayContract extends DigitalTwinsGatewayContract {

    private AdtEmulator emulator;
    private AzureLikeFrontEnd frontEnd;
    private DigitalTwinsGateway gateway;

    /** The transport under test. */
    abstract AdtHttpTransport transport();

    @BeforeAll
    void start() {
        emulator = AdtEmulator.start();
        frontEnd = AzureLikeFrontEnd.start(emulator.endpoint(), emulator.certificate(), Duration.ofSeconds(2));
        gateway = new SdkDigitalTwinsGateway(DigitalTwinsClients.builder()
                .endpoint(frontEnd.endpoint())
                .credential(TransportTestSupport.FIXED_TOKEN)
                .httpClient(transport().create(TransportTestSupport.OPTIONS.trusting(frontEnd.certificate())))
                .build());
    }

    @AfterAll
    void stop() {
        frontEnd.close();
        emulator.close();
    }

    @Override
    protected DigitalTwinsGateway gateway() {
        return gateway;
    }

    @Override
    protected GatewayContractFixture fixture() {
        return GatewayContractFixture.emulator(emulator);
    }
}
