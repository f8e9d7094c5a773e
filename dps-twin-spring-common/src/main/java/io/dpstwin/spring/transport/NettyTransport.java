package io.dpstwin.spring.transport;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;

/** Builds the {@link AdtHttpTransport#NETTY} client; loaded only when that transport is chosen. */
final class NettyTransport {

    private NettyTransport() {
    }

    static HttpClient build(TransportOptions options) {
        NettyAsyncHttpClientBuilder builder;
        if (options.trustedCertificates().isEmpty()) {
            builder = new NettyAsyncHttpClientBuilder();
        } else {
            SslContext ssl = trusting(options.trustedCertificates().toArray(X509Certificate[]::new));
            builder = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl)));
        }
        return builder
                .connectTimeout(options.connectTimeout())
                .responseTimeout(options.requestTimeout())
                .readTimeout(options.requestTimeout())
                .writeTimeout(options.requestTimeout())
                .build();
    }

    private static SslContext trusting(X509Certificate[] certificates) {
        try {
            return SslContextBuilder.forClient().trustManager(certificates).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the given certificates", e);
        }
    }
}
