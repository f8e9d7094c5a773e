package io.dpstwin.core.testing;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.List;

/** What the tests of the IoT Hub clients built from a credential share (core's test-jar). */
public final class IotHubTesting {

    /** A credential whose token never expires; no request is sent with it. */
    public static final TokenCredential CREDENTIAL = request -> Mono.just(new AccessToken("t", OffsetDateTime.MAX));
    /** Two IoT hub host names. */
    public static final List<String> TWO_HUBS = List.of("hub-a.azure-devices.net", "hub-b.azure-devices.net");

    private IotHubTesting() {
    }
}
