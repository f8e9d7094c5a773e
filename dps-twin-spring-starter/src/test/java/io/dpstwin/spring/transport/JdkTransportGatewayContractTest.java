package io.dpstwin.spring.transport;

/** Core's gateway contract over the JDK transport through the Azure-like front end. */
class JdkTransportGatewayContractTest extends TransportGatewayContract {

    @Override
    AdtHttpTransport transport() {
        return AdtHttpTransport.JDK;
    }
}
