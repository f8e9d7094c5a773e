package io.dpstwin.benchmarks.load;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/** A credential handing out a constant token valid for an hour: the emulator accepts any bearer token. */
final class BenchCredential implements TokenCredential {

    static final BenchCredential INSTANCE = new BenchCredential();

    private BenchCredential() {
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> new AccessToken("benchmark-token", OffsetDateTime.now().plusHours(1)));
    }
}
