package io.dpstwin.spring.transport;

/** Core's gateway contract over the NETTY transport through the Azure-like front end. */
class NettyTransportGatewayContractTest extends TransportGatewayContract {

    @Override
    AdtHttpTransport transport() {
        return AdtHttpTransport.NETTY;
    }
}
