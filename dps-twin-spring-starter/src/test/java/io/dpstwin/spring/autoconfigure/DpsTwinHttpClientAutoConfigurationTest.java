package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.core.DpsTwin;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DpsTwinHttpClientAutoConfigurationTest {

    private static final String ENDPOINT = "dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinHttpClientAutoConfiguration.class,
                    DpsTwinAutoConfiguration.class))
            .withPropertyValues(ENDPOINT)
            .withBean(TokenCredential.class, TestCredentials::fixedToken);

    @Test
    void choosesTheJdkTransportWhenBothAreOnTheClassPath() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(HttpClient.class).hasSingleBean(DigitalTwinsClient.class);
            assertThat(context.getBean(HttpClient.class).getClass().getName())
                    .isEqualTo("com.azure.core.http.jdk.httpclient.JdkHttpClient");
        });
    }

    @Test
    void choosesNettyWhenItIsTheOnlyTransport() {
        runner.withClassLoader(new FilteredClassLoader(JdkHttpClientBuilder.class)).run(context ->
                assertThat(context.getBean(HttpClient.class).getClass().getName())
                        .isEqualTo("com.azure.core.http.netty.NettyAsyncHttpClient"));
    }

    @Test
    void failsAtStartNamingTheArtifactWhenNoTransportIsThere() {
        runner.withClassLoader(new FilteredClassLoader(JdkHttpClientBuilder.class, NettyAsyncHttpClientBuilder.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("no azure-core HTTP transport on the class path")
                            .hasMessageContaining("com.azure:azure-core-http-jdk-httpclient");
                });
    }

    @Test
    void theApplicationsHttpClientWins() {
        HttpClient own = HttpClient.createDefault();
        runner.withBean("ownHttpClient", HttpClient.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(HttpClient.class);
            assertThat(context.getBean(HttpClient.class)).isSameAs(own);
            assertThat(context).hasSingleBean(DpsTwin.class);
        });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("dps-twin.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(HttpClient.class));
    }
}
