package io.dpstwin.spring.transport;

/** The Netty transport (azure-core-http-netty on the Netty 4.2 the Boot BOM brings) against the Azure-like front end. */
class NettyTransportOnAzureLikeFrontEndTest extends TransportOnAzureLikeFrontEndTest {

    @Override
    AdtHttpTransport transport() {
        return AdtHttpTransport.NETTY;
    }

    @Override
    boolean sendsExpectContinue() {
        return true;
    }
}
