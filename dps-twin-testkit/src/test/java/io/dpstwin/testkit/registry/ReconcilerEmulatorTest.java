package io.dpstwin.testkit.registry;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The reconciler scenarios through the official ADT SDK: {@code SdkDigitalTwinsGateway} (with the retry and metrics
 * decorators) on the emulator's {@code DigitalTwinsClient}, over HTTPS. Queries travel as the SDK sends them: the
 * JSON-encoded query text on the first page, the continuation token on the next ones.
 */
class ReconcilerEmulatorTest extends ReconcilerScenarios {

    private static AdtEmulator emulator;
    private static DigitalTwinsGateway gateway;

    @BeforeAll
    static void startEmulator() {
        emulator = AdtEmulator.builder().engine(newEngine()).models(MODELS).start();
        gateway = DigitalTwinsGateways.sdk(emulator.client())
                .retry(RetryBudget.lifecycle())
                .noRateLimits()
                .build();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Override
    void resetAdt() {
        emulator.reset();
    }

    @Override
    AdtEngine engine() {
        return emulator.engine();
    }

    @Override
    DigitalTwinsGateway reconcilerGateway() {
        return gateway;
    }
}
