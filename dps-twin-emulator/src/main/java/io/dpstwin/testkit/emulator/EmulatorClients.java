package io.dpstwin.testkit.emulator;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Builds official ADT SDK clients for an emulator: the netty transport trusting exactly the emulator's certificate
 * and a fake credential (the emulator accepts any bearer token). Kept apart from {@link AdtEmulator} so that the
 * standalone emulator, which does not ship the SDK, never loads these classes.
 */
final class EmulatorClients {

    /** A credential that hands out a constant token valid for an hour. */
    static final TokenCredential FAKE_CREDENTIAL = request ->
            Mono.fromSupplier(() -> new AccessToken("adt-emulator-token", OffsetDateTime.now().plusHours(1)));

    private final ConnectionProvider connections;
    private final HttpClient httpClient;

    EmulatorClients(X509Certificate certificate) {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(certificate).build();
            this.connections = ConnectionProvider.builder("adt-emulator")
                    .maxConnections(64)
                    .maxIdleTime(Duration.ofSeconds(20))
                    .build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create(connections)
                    .secure(spec -> spec.sslContext(ssl));
            this.httpClient = new NettyAsyncHttpClientBuilder(netty).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the emulator's certificate", e);
        }
    }

    HttpClient httpClient() {
        return httpClient;
    }

    DigitalTwinsClientBuilder builder(String endpoint) {
        return new DigitalTwinsClientBuilder()
                .endpoint(endpoint)
                .credential(FAKE_CREDENTIAL)
                .httpClient(httpClient);
    }

    void close() {
        connections.dispose();
    }
}
