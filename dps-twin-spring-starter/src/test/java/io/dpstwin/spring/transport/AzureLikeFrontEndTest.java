package io.dpstwin.spring.transport;

import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The front end the transport tests rely on does what it claims, seen by a client that can do all of it. */
class AzureLikeFrontEndTest {

    private static AdtEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = AdtEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    private static HttpClient client(AzureLikeFrontEnd frontEnd, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(JdkTransport.trusting(List.of(frontEnd.certificate())))
                .version(version).build();
    }

    private static HttpRequest.Builder request(AzureLikeFrontEnd frontEnd, String path) {
        return HttpRequest.newBuilder(URI.create(frontEnd.endpoint() + path + "?api-version=2023-10-31"))
                .header("Authorization", "Bearer front-end-test")
                .timeout(Duration.ofSeconds(10));
    }

    /** A front end before the emulator that closes idle connections after {@code idle}, offering {@code tls}. */
    private static AzureLikeFrontEnd frontEnd(Duration idle, String... tls) {
        return tls.length == 0 ? AzureLikeFrontEnd.start(emulator.endpoint(), emulator.certificate(), idle)
                : AzureLikeFrontEnd.start(emulator.endpoint(), emulator.certificate(), idle, tls);
    }

    @Test
    void offersHttp2ThroughAlpnAndTls13() throws Exception {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            HttpResponse<String> answer = client(frontEnd, HttpClient.Version.HTTP_2)
                    .send(request(frontEnd, "/digitaltwins/absent").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(frontEnd.exchanges()).singleElement().satisfies(exchange -> {
                assertThat(exchange.httpVersion()).isEqualTo("HTTP/2.0");
                assertThat(exchange.tlsProtocol()).isEqualTo("TLSv1.3");
            });
        }
    }

    @Test
    void offersOnlyTheTlsVersionItWasStartedWith() throws Exception {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30), "TLSv1.2")) {
            client(frontEnd, HttpClient.Version.HTTP_1_1)
                    .send(request(frontEnd, "/digitaltwins/absent").build(), HttpResponse.BodyHandlers.discarding());

            assertThat(frontEnd.exchanges()).singleElement().satisfies(exchange -> {
                assertThat(exchange.tlsProtocol()).isEqualTo("TLSv1.2");
                assertThat(exchange.httpVersion()).isEqualTo("HTTP/1.1");
            });
        }
    }

    @Test
    void answersInChunksAndGzipsWhenAsked() throws Exception {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            HttpResponse<byte[]> answer = client(frontEnd, HttpClient.Version.HTTP_1_1).send(
                    request(frontEnd, "/models").header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
            assertThat(answer.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            assertThat(gunzip(answer.body())).startsWith("{").contains("\"value\"");
        }
    }

    @Test
    void sendsAn100ContinueWhenExpected() throws Exception {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            HttpResponse<String> answer = client(frontEnd, HttpClient.Version.HTTP_1_1).send(
                    request(frontEnd, "/digitaltwins/t1").expectContinue(true)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"$metadata\":{\"$model\":\"dtmi:x:y;1\"}}"))
                            .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(400);   // the model is unknown: ADT's answer, forwarded
            assertThat(frontEnd.exchanges()).singleElement().satisfies(exchange ->
                    assertThat(exchange.continueSent()).isTrue());
        }
    }

    @Test
    void closesIdleConnections() throws Exception {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(1))) {
            client(frontEnd, HttpClient.Version.HTTP_1_1)
                    .send(request(frontEnd, "/digitaltwins/absent").build(), HttpResponse.BodyHandlers.discarding());

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(frontEnd.connectionsClosed())
                    .as("closed of %s opened", frontEnd.connectionsOpened()).isEqualTo(1));
            assertThat(frontEnd.connectionsOpened()).isEqualTo(1);
        }
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
