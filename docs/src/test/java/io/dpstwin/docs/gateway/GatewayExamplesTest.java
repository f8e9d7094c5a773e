package io.dpstwin.docs.gateway;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.DpsTwinMeters;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.AdtRateLimiters;
import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.core.twins.BlobInstanceRegistry;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsClients;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.DigitalTwinsGateways;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.junit.InMemoryDigitalTwinsExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The examples of docs/adt-gateway.md. */
class GatewayExamplesTest {

    @RegisterExtension
    static final InMemoryDigitalTwinsExtension ADT = InMemoryDigitalTwinsExtension.newInstance()
            .modelResources("models/Thermostat.json", "models/Room.json")
            .build();

    @Test
    void theProductionStacksShareOneSetOfLimitersAndRetryEachCallWithinTheirBudget() {
        // No Azure here: a credential that cannot get a token, as DefaultAzureCredential without any sign-in.
        // Nothing reaches the network: the SDK asks for the token before it connects.
        TokenCredential credential = request -> Mono.error(new ClientAuthenticationException("no sign-in", null));
        MeterRegistry meterRegistry = new SimpleMeterRegistry();

        // tag::client-and-stacks[]
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint("https://my-instance.api.weu.digitaltwins.azure.net")   // https only
                .credential(credential)
                .requestTimeout(Duration.ofSeconds(30))    // default 30 s: response, read and write timeouts
                .connectTimeout(Duration.ofSeconds(10))    // default 10 s
                .build();                                  // SDK retries are switched off

        AdtRateLimiters limiters = new AdtRateLimiters(AdtRateLimits.defaults());

        DigitalTwinsGateway allocationAdt = DigitalTwinsGateways.sdk(client)
                .retry(RetryBudget.allocation())   // 3 attempts within 5 s
                .rateLimiters(limiters)
                .meterRegistry(meterRegistry)
                .build();

        DigitalTwinsGateway lifecycleAdt = DigitalTwinsGateways.sdk(client)
                .retry(RetryBudget.lifecycle())    // 8 attempts within 60 s
                .rateLimiters(limiters)            // same limiters: one budget per process
                .meterRegistry(meterRegistry)
                .build();
        // end::client-and-stacks[]

        // both stacks spend from the same limiters, and every attempt of the retry layer above them takes a permit:
        // each write is counted there before any layer below looks at it (here the SDK gateway refuses the patch)
        assertThatThrownBy(() -> allocationAdt.updateTwin("dev-1", null, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> lifecycleAdt.updateTwin("dev-2", null, null))
                .isInstanceOf(NullPointerException.class);
        assertThat(limiters.trackedTwins()).isEqualTo(2);

        // a call that cannot get a token: a transient failure, tried 3 times, and each attempt is one sample
        AdtException failure = catchThrowableOfType(AdtException.class, () -> allocationAdt.getTwin("dev-1"));
        assertThat(failure.statusCode()).isZero();
        assertThat(failure.errorCode()).isEqualTo(AdtErrorCodes.TRANSPORT_ERROR);
        assertThat(failure.isTransient()).isTrue();
        assertThat(meterRegistry.get(DpsTwinMeters.ADT_REQUESTS)
                .tags("operation", "getTwin", "status", "0").timer().count()).isEqualTo(3);
    }

    @Test
    void instancesThatRegisterInOneContainerEachKeepTheirShareOfTheLimits() {
        // No Azure here: the credential cannot get a token, so every heartbeat fails before it connects
        TokenCredential credential = request -> Mono.error(new ClientAuthenticationException("no sign-in", null));
        DigitalTwinsClient client = DigitalTwinsClients.builder()
                .endpoint("https://my-instance.api.weu.digitaltwins.azure.net")
                .credential(credential)
                .build();

        // tag::instance-registry[]
        BlobContainerClient container = new BlobContainerClientBuilder()
                .endpoint("https://myaccount.blob.core.windows.net/checkpoints")
                .credential(credential)
                .buildClient();
        BlobInstanceRegistry instances = BlobInstanceRegistry.of(container).start();  // close() it at shutdown
        DpsTwin dpsTwin = DpsTwin.builder()
                .digitalTwinsClient(client)
                .rateLimits(AdtRateLimits.builder().adaptive(true).build())
                .instanceRegistry(instances)
                .build();
        // end::instance-registry[]

        try {
            // a heartbeat that fails keeps the last count: this instance alone, the whole limits
            assertThat(instances.heartbeat()).isEqualTo(1);
            assertThat(instances.liveInstances()).isEqualTo(1);
            assertThat(instances.blobName()).startsWith(BlobInstanceRegistry.DEFAULT_PREFIX);
            assertThat(instances.expiry()).isEqualTo(BlobInstanceRegistry.DEFAULT_HEARTBEAT.multipliedBy(3));
        } finally {
            dpsTwin.close();
            instances.close();
        }
    }

    @Test
    void theClientRefusesAnEndpointThatIsNotHttps() {
        TokenCredential credential = request -> Mono.error(new ClientAuthenticationException("no sign-in", null));

        assertThatThrownBy(() -> DigitalTwinsClients.builder()
                .endpoint("http://my-instance.api.weu.digitaltwins.azure.net")
                .credential(credential)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://");
    }

    @Test
    void theSameStackAroundAFakeRetriesAThrottledCallAndTimesEachAttempt(InMemoryDigitalTwins inMemoryAdt) {
        inMemoryAdt.createOrReplaceTwin(DigitalTwin.of("room-1", "dtmi:contosocom:DigitalTwins:Room;1"));
        inMemoryAdt.faults().throttleNext(Duration.ofMillis(50));
        MeterRegistry registry = new SimpleMeterRegistry();

        // tag::stack-around-fake[]
        DigitalTwinsGateway underTest = DigitalTwinsGateways.stack()
                .noRateLimits()
                .retry(RetryBudget.allocation())
                .meterRegistry(registry)
                .decorate(inMemoryAdt);
        // end::stack-around-fake[]

        assertThat(underTest.getTwin("room-1")).isPresent();
        assertThat(registry.get(DpsTwinMeters.ADT_REQUESTS)
                .tags("operation", "getTwin", "status", "429").timer().count()).isEqualTo(1);
        assertThat(registry.get(DpsTwinMeters.ADT_REQUESTS)
                .tags("operation", "getTwin", "status", "200").timer().count()).isEqualTo(1);
    }
}
