package io.dpstwin.docs.testing;

import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.contract.DigitalTwinsGatewayContract;
import io.dpstwin.testkit.contract.GatewayContractFixture;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

// tag::contract[]
class AuditingGatewayContractTest extends DigitalTwinsGatewayContract {   // every contract test, against your gateway

    static final AdtEmulator ADT = AdtEmulator.start();
    static final AuditingGateway GATEWAY = new AuditingGateway(ADT.clientBuilder()
            .retryOptions(DigitalTwinsClients.noSdkRetries())   // the contract expects 429 to surface
            .buildClient());

    @AfterAll
    static void stopEmulator() {
        ADT.close();
    }

    @Override
    protected DigitalTwinsGateway gateway() {
        return GATEWAY;
    }

    @Override
    protected GatewayContractFixture fixture() {
        return GatewayContractFixture.emulator(ADT);   // or .inMemory(fake), .engine(engine), or your own
    }

    @Test
    void auditsEveryWrite() {                          // and tests of your gateway's own behaviour
        GATEWAY.createTwinIfAbsent(DigitalTwin.of(id("audited"), ContractModels.GATEWAY_ID));

        assertThat(GATEWAY.auditTrail()).contains("createTwinIfAbsent " + id("audited"));
    }
}
// end::contract[]
