package io.dpstwin.testkit.adt;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.contract.DigitalTwinsGatewayContract;
import io.dpstwin.testkit.contract.GatewayContractFixture;

/** The gateway contract, run against the in-memory fake. */
class InMemoryDigitalTwinsContractTest extends DigitalTwinsGatewayContract {

    private final InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();

    @Override
    protected DigitalTwinsGateway gateway() {
        return adt;
    }

    @Override
    protected GatewayContractFixture fixture() {
        return GatewayContractFixture.inMemory(adt);
    }
}
