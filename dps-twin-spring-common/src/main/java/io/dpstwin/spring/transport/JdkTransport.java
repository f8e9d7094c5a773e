package io.dpstwin.spring.transport;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds the {@link AdtHttpTransport#JDK} client; loaded only when that transport is chosen. */
final class JdkTransport {

    private JdkTransport() {
    }

    static HttpClient build(TransportOptions options) {
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        if (!options.trustedCertificates().isEmpty()) {
            jdk.sslContext(trusting(options.trustedCertificates()));
        }
        return new JdkHttpClientBuilder(jdk)
                .connectionTimeout(options.connectTimeout())
                .responseTimeout(options.requestTimeout())
                .readTimeout(options.requestTimeout())
                .writeTimeout(options.requestTimeout())
                .build();
    }

    /** A TLS context that trusts exactly {@code certificates}. */
    static SSLContext trusting(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the given certificates", e);
        }
    }
}
