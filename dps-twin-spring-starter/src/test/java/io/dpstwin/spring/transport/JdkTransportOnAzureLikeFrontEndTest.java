package io.dpstwin.spring.transport;

/** The JDK transport (azure-core-http-jdk-httpclient) against the Azure-like front end. */
class JdkTransportOnAzureLikeFrontEndTest extends TransportOnAzureLikeFrontEndTest {

    @Override
    AdtHttpTransport transport() {
        return AdtHttpTransport.JDK;
    }

    @Override
    boolean sendsExpectContinue() {
        return false;
    }
}
