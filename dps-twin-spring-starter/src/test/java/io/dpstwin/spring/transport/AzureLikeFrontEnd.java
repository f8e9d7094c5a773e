package io.dpstwin.spring.transport;

import io.dpstwin.testkit.emulator.SelfSignedCertificate;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTPS front end that behaves like Azure's in front of a service: TLS 1.2 and 1.3 (or one of them), ALPN
 * offering {@code h2} and {@code http/1.1}, keep-alive connections it closes after a short idle time, answers without
 * a length (chunked on HTTP/1.1) and gzip-compressed when the request accepts gzip, and an interim
 * {@code 100 Continue} before the final answer to a request that sent {@code Expect: 100-continue}. It forwards each request to an upstream
 * HTTPS service (the ADT emulator) and records what it saw, so tests can assert what went over the wire.
 */
final class AzureLikeFrontEnd implements AutoCloseable {

    /** What one request looked like on the front end's side. */
    record Exchange(String method, String path, String httpVersion, String tlsProtocol, String acceptEncoding,
                    boolean gzipped, boolean continueSent, int status) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "host", "content-length", "expect", "accept-encoding", "proxy-connection", "trailer");
    private static final int CHUNK = 512;

    private final SelfSignedCertificate certificate = SelfSignedCertificate.generate();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger connectionsClosed = new AtomicInteger();
    private final URI upstream;
    private final String upstreamOrigin;
    private final HttpClient upstreamClient;
    private final Server server;
    private final ServerConnector connector;

    private AzureLikeFrontEnd(URI upstream, X509Certificate upstreamCertificate, Duration idleTimeout,
                              String... tlsProtocols) throws Exception {
        this.upstream = upstream;
        this.upstreamOrigin = upstream.getScheme() + "://" + upstream.getRawAuthority();
        this.upstreamClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(JdkTransport.trusting(List.of(upstreamCertificate)))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        warmUp();
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(certificate.serverContext());
        tls.setIncludeProtocols(tlsProtocols);
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (connection instanceof org.eclipse.jetty.io.ssl.SslConnection) {
                    connectionsOpened.incrementAndGet();
                }
            }

            @Override
            public void onClosed(Connection connection) {
                if (connection instanceof org.eclipse.jetty.io.ssl.SslConnection) {
                    connectionsClosed.incrementAndGet();
                }
            }
        });
        server.addConnector(connector);
        server.setHandler(new Forwarder());
        server.start();
    }

    /** Opens the upstream connection now, so that the first forwarded request does not outlast a short idle time. */
    private void warmUp() throws IOException, InterruptedException {
        upstreamClient.send(HttpRequest.newBuilder(upstream.resolve("/models?api-version=2023-10-31"))
                .header("Authorization", "Bearer warm-up").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** A front end offering TLS 1.2 and 1.3 before {@code upstream}, closing connections idle for {@code idle}. */
    static AzureLikeFrontEnd start(String upstream, X509Certificate upstreamCertificate, Duration idle) {
        return start(upstream, upstreamCertificate, idle, "TLSv1.2", "TLSv1.3");
    }

    /** A front end offering only {@code tlsProtocols} (e.g. {@code TLSv1.2}). */
    static AzureLikeFrontEnd start(String upstream, X509Certificate upstreamCertificate, Duration idle,
                                   String... tlsProtocols) {
        try {
            return new AzureLikeFrontEnd(URI.create(upstream), upstreamCertificate, idle, tlsProtocols);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the front end", e);
        }
    }

    /** {@code https://localhost:<port>} (the certificate names {@code localhost}). */
    String endpoint() {
        return "https://localhost:" + connector.getLocalPort();
    }

    X509Certificate certificate() {
        return certificate.certificate();
    }

    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    void clearExchanges() {
        exchanges.clear();
    }

    int connectionsOpened() {
        return connectionsOpened.get();
    }

    int connectionsClosed() {
        return connectionsClosed.get();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the front end", e);
        }
    }

    private final class Forwarder extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            boolean expectsContinue = request.getHeaders().contains(HttpHeader.EXPECT, "100-continue");
            if (expectsContinue) {
                // as Azure's front end: the interim answer before the body is read, then the final one
                response.writeInterim(HttpStatus.CONTINUE_100, HttpFields.EMPTY).get(5, TimeUnit.SECONDS);
            }
            byte[] body = Content.Source.asInputStream(request).readAllBytes();

            HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(request.getHttpURI().getPathQuery()))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            request.getHeaders().forEach(field -> {
                if (!HOP_BY_HOP.contains(field.getLowerCaseName())) {
                    forward.header(field.getName(), field.getValue());
                }
            });
            HttpResponse<byte[]> answer = upstreamClient.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());

            String acceptEncoding = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            boolean gzip = answer.body().length > 0 && acceptEncoding != null
                    && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
            response.setStatus(answer.statusCode());
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> response.getHeaders().add(name, value));
                }
            });
            // next links name the upstream; a front end serves them under its own name
            byte[] payload = new String(answer.body(), StandardCharsets.UTF_8)
                    .replace(upstreamOrigin, endpoint()).getBytes(StandardCharsets.UTF_8);
            if (gzip) {
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                payload = gzip(payload);
            }
            EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(
                    EndPoint.SslSessionData.ATTRIBUTE);
            exchanges.add(new Exchange(method, request.getHttpURI().getPath(),
                    request.getConnectionMetaData().getHttpVersion().asString(),
                    tls == null ? null : tls.sslSession().getProtocol(), acceptEncoding, gzip, expectsContinue,
                    answer.statusCode()));
            // no Content-Length and several writes: chunked transfer coding on HTTP/1.1, several DATA frames on h2
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                for (int offset = 0; offset < payload.length; offset += CHUNK) {
                    out.write(payload, offset, Math.min(CHUNK, payload.length - offset));
                    out.flush();
                }
            }
            callback.succeeded();
            return true;
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            gzip.write(bytes);
        }
        return buffer.toByteArray();
    }
}
