package io.dpstwin.spring.transport;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.SdkDigitalTwinsGateway;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.contract.GatewayContractFixture;
import io.dpstwin.testkit.emulator.AdtEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * One {@link AdtHttpTransport} through the official SDK and core's gateway against {@link AzureLikeFrontEnd}: each
 * TLS version, ALPN, idle closes of kept-alive connections, answers in chunks, gzip, and interim 100 answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransportOnAzureLikeFrontEndTest {

    private AdtEmulator emulator;

    /** The transport under test. */
    abstract AdtHttpTransport transport();

    /**
     * Both azure-core transports speak HTTP/1.1 (azure-core-http-jdk-httpclient pins the JDK client to it, and
     * azure-core-http-netty does not enable h2) with a front end that offers h2 and http/1.1 through ALPN.
     */
    private static final String HTTP_VERSION = "HTTP/1.1";

    /** Whether an {@code Expect: 100-continue} header set by a pipeline policy reaches the wire. */
    abstract boolean sendsExpectContinue();

    @BeforeAll
    void startEmulator() {
        emulator = AdtEmulator.start();
        GatewayContractFixture.emulator(emulator).ensureModels(ContractModels.ALL);
    }

    @AfterAll
    void stopEmulator() {
        emulator.close();
    }

    private AzureLikeFrontEnd frontEnd(Duration idle, String... tls) {
        return AzureLikeFrontEnd.start(emulator.endpoint(), emulator.certificate(), idle, tls);
    }

    private DigitalTwinsGateway gateway(AzureLikeFrontEnd frontEnd) {
        return new SdkDigitalTwinsGateway(DigitalTwinsClients.builder()
                .endpoint(frontEnd.endpoint())
                .credential(TransportTestSupport.FIXED_TOKEN)
                .httpClient(transport().create(TransportTestSupport.OPTIONS.trusting(frontEnd.certificate())))
                .build());
    }

    private DigitalTwinsGateway gatewayWithPolicy(AzureLikeFrontEnd frontEnd, HttpPipelinePolicy policy) {
        return new SdkDigitalTwinsGateway(new DigitalTwinsClientBuilder()
                .endpoint(frontEnd.endpoint())
                .credential(TransportTestSupport.FIXED_TOKEN)
                .httpClient(transport().create(TransportTestSupport.OPTIONS.trusting(frontEnd.certificate())))
                .retryOptions(DigitalTwinsClients.noSdkRetries())
                .addPolicy(policy)
                .buildClient());
    }

    private static String newId() {
        return "tr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The id of a new twin with property {@code serial}. */
    private static String createdTwin(DigitalTwinsGateway gateway, String serial) {
        String id = newId();
        gateway.createTwinIfAbsent(DigitalTwin.of(id, ContractModels.DEVICE_ID, Map.of("serial", serial)));
        return id;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void createsReadsUpdatesAndDeletesATwinOverEachTlsVersion(String tls) {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30), tls)) {
            DigitalTwinsGateway gateway = gateway(frontEnd);
            String id = newId();

            DigitalTwin created = gateway.createTwinIfAbsent(DigitalTwin.of(id, ContractModels.DEVICE_ID,
                    Map.of("serial", "S-1")));
            gateway.updateTwin(id, List.of(JsonPatchOperation.add("/temperature", 21.5)), created.etag());
            DigitalTwin read = gateway.getTwin(id).orElseThrow();
            gateway.deleteTwin(id, null);

            assertThat(read.properties()).containsEntry("serial", "S-1").containsEntry("temperature", 21.5);
            assertThat(gateway.getTwin(id)).isEmpty();
            assertThat(frontEnd.exchanges()).extracting(AzureLikeFrontEnd.Exchange::method)
                    .containsExactly("PUT", "PATCH", "GET", "DELETE", "GET");
            assertThat(frontEnd.exchanges()).allSatisfy(exchange -> {
                assertThat(exchange.tlsProtocol()).isEqualTo(tls);
                assertThat(exchange.httpVersion()).isEqualTo(HTTP_VERSION);
            });
        }
    }

    @Test
    void readsTheFinalAnswerAfterAnInterim100Continue() {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            HttpPipelinePolicy expectContinue = (context, next) -> {
                if (context.getHttpRequest().getBodyAsBinaryData() != null) {
                    context.getHttpRequest().setHeader(HttpHeaderName.EXPECT, "100-continue");
                }
                return next.process();
            };
            DigitalTwinsGateway gateway = gatewayWithPolicy(frontEnd, expectContinue);
            String id = newId();

            DigitalTwin created = gateway.createTwinIfAbsent(DigitalTwin.of(id, ContractModels.DEVICE_ID,
                    Map.of("serial", "S-2")));
            assertThatThrownBy(() -> gateway.createTwinIfAbsent(DigitalTwin.of(id, ContractModels.DEVICE_ID)))
                    .isInstanceOfSatisfying(AdtException.class, e -> assertThat(e.statusCode()).isEqualTo(412));

            assertThat(created.etag()).startsWith("W/\"");
            assertThat(frontEnd.exchanges()).extracting(AzureLikeFrontEnd.Exchange::continueSent,
                            AzureLikeFrontEnd.Exchange::status)
                    .containsExactly(tuple(sendsExpectContinue(), 200), tuple(sendsExpectContinue(), 412));
        }
    }

    @Test
    void readsAnswersSentInManyChunks() {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            DigitalTwinsGateway gateway = gateway(frontEnd);
            String id = newId();
            String serial = "S-" + "0123456789".repeat(400);   // ADT's limit on a string is 4 KB

            gateway.createTwinIfAbsent(DigitalTwin.of(id, ContractModels.DEVICE_ID, Map.of("serial", serial)));

            assertThat(gateway.getTwin(id).orElseThrow().properties()).containsEntry("serial", serial);
        }
    }

    @Test
    void opensANewConnectionAfterTheFrontEndClosedAnIdleOne() {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(1))) {
            DigitalTwinsGateway gateway = gateway(frontEnd);
            String id = createdTwin(gateway, "S-3");
            await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.connectionsClosed() >= 1);

            for (int i = 0; i < 3; i++) {
                assertThat(gateway.getTwin(id)).isPresent();
                await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.connectionsClosed()
                        == frontEnd.connectionsOpened());
            }

            assertThat(frontEnd.connectionsOpened()).isEqualTo(4);
        }
    }

    @Test
    void neverAsksForCompressedAnswers() {
        try (AzureLikeFrontEnd frontEnd = frontEnd(Duration.ofSeconds(30))) {
            DigitalTwinsGateway gateway = gateway(frontEnd);
            String id = createdTwin(gateway, "S-4");
            gateway.getTwin(id);

            // neither transport decodes gzip (azure-core hands the bytes on), so it must not ask for it
            assertThat(frontEnd.exchanges()).hasSize(2).allSatisfy(exchange -> {
                assertThat(String.valueOf(exchange.acceptEncoding())).doesNotContainIgnoringCase("gzip");
                assertThat(exchange.gzipped()).isFalse();
            });
        }
    }
}
