package io.dpstwin.functions;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/** A credential that hands out a fixed bearer token (the ADT emulator accepts any). */
final class TestCredentials {

    private TestCredentials() {
    }

    static TokenCredential fixed() {
        return request -> Mono.just(new AccessToken("test-token", OffsetDateTime.now().plusHours(1)));
    }
}
