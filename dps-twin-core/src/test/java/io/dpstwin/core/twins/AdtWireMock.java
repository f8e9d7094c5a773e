package io.dpstwin.core.twins;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A WireMock server speaking HTTPS on a dynamic port, and the real {@link DigitalTwinsClient} pointed at it through
 * {@link DigitalTwinsClients} (SDK retries off), trusting WireMock's self-signed certificate and authenticating with a
 * fake token credential.
 */
final class AdtWireMock {

    /** The bearer token every test client sends; tests check it never leaks into logs or messages. */
    static final String TOKEN = "secret-token-" + UUID.randomUUID();
    static final TokenCredential CREDENTIAL =
            context -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));

    private AdtWireMock() {
    }

    static WireMockServer startHttps() {
        quietTransportLogs();
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicHttpsPort().httpDisabled(true));
        server.start();
        return server;
    }

    /** Jetty, Netty and reactor-netty log every byte at DEBUG (logback's default level); keep test output small. */
    static void quietTransportLogs() {
        for (String name : List.of("org.eclipse.jetty", "io.netty", "reactor", "wiremock", "com.github.tomakehurst",
                "org.apache.hc", "org.xmlunit", "com.networknt")) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        }
    }

    static String endpoint(WireMockServer server) {
        return "https://localhost:" + server.httpsPort();
    }

    /**
     * An azure-core HTTP client (Netty) that trusts any certificate, as the testkit's emulator clients do, with
     * {@code timeout} as its response and read timeouts.
     */
    static HttpClient trustingHttpClient(Duration timeout) {
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(netty).responseTimeout(timeout).readTimeout(timeout).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    static DigitalTwinsClient client(WireMockServer server, Duration requestTimeout) {
        return client(endpoint(server), requestTimeout, null);
    }

    static DigitalTwinsClient client(String endpoint, Duration requestTimeout, HttpLogOptions logOptions) {
        DigitalTwinsClients.Builder builder = DigitalTwinsClients.builder()
                .endpoint(endpoint)
                .credential(CREDENTIAL)
                .httpClient(trustingHttpClient(requestTimeout))
                .requestTimeout(requestTimeout);
        if (logOptions != null) {
            builder.httpLogOptions(logOptions);
        }
        return builder.build();
    }
}
