package io.dpstwin.spring.transport;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;

/** What the transport tests share: options with short timeouts and a credential that needs no network. */
final class TransportTestSupport {

    static final TransportOptions OPTIONS = TransportOptions.of(Duration.ofSeconds(5), Duration.ofSeconds(10));

    static final TokenCredential FIXED_TOKEN = request ->
            Mono.just(new AccessToken("front-end-test-token", OffsetDateTime.now().plusHours(1)));

    private TransportTestSupport() {
    }
}
