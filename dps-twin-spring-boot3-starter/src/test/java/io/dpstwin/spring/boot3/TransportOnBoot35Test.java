package io.dpstwin.spring.boot3;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinHttpClientAutoConfiguration;
import io.dpstwin.spring.transport.AdtHttpTransport;
import io.netty.util.Version;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport choice of docs/spring-boot.md on Boot 3.5, whose BOM keeps Netty on 4.1 (the line
 * azure-core-http-netty is built for): the starter still defaults to the JDK transport, so that an application
 * behaves the same on both Boot lines.
 */
class TransportOnBoot35Test {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinHttpClientAutoConfiguration.class,
                    DpsTwinAutoConfiguration.class))
            .withPropertyValues("dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net")
            .withBean(TokenCredential.class, () -> request -> Mono.just(
                    new AccessToken("test-token", OffsetDateTime.now().plusHours(1))));

    @Test
    void boot35KeepsNettyOnThe41LineThatAzureCoreHttpNettyIsBuiltFor() {
        assertThat(Version.identify().values())
                .allSatisfy(version -> assertThat(version.artifactVersion()).startsWith("4.1."));
    }

    @Test
    void theJdkTransportIsStillTheDefaultWithNettyOnTheClassPath() {
        assertThat(AdtHttpTransport.choose(getClass().getClassLoader())).isEqualTo(AdtHttpTransport.JDK);
        runner.run(context -> assertThat(context.getBean(HttpClient.class).getClass().getName())
                .isEqualTo("com.azure.core.http.jdk.httpclient.JdkHttpClient"));
    }
}
