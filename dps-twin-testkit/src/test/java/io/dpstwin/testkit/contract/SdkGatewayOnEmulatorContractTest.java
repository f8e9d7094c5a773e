package io.dpstwin.testkit.contract;

import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The gateway contract, run against core's production gateway talking to the HTTPS emulator through the SDK. */
class SdkGatewayOnEmulatorContractTest extends DigitalTwinsGatewayContract {

    private static AdtEmulator emulator;
    private static DigitalTwinsGateway gateway;

    @BeforeAll
    static void startEmulator() {
        emulator = AdtEmulator.start();
        gateway = new SdkDigitalTwinsGateway(emulator.clientBuilder()
                .retryOptions(DigitalTwinsClients.noSdkRetries())
                .buildClient());
    }

    @AfterAll
    static void stopEmulator() {
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
