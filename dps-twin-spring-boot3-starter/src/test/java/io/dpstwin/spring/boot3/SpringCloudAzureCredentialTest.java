package io.dpstwin.spring.boot3;

import com.azure.core.credential.TokenCredential;
import com.azure.spring.cloud.autoconfigure.implementation.context.AzureGlobalPropertiesAutoConfiguration;
import com.azure.spring.cloud.autoconfigure.implementation.context.AzureTokenCredentialAutoConfiguration;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.spring.autoconfigure.DpsTwinAutoConfiguration;
import io.dpstwin.spring.autoconfigure.DpsTwinHttpClientAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** dps-twin next to Spring Cloud Azure 6 (the line for Boot 3.5): one credential, Spring Cloud Azure's. */
class SpringCloudAzureCredentialTest {

    private static final String ENDPOINT = "dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AzureGlobalPropertiesAutoConfiguration.class,
                    AzureTokenCredentialAutoConfiguration.class, DpsTwinHttpClientAutoConfiguration.class,
                    DpsTwinAutoConfiguration.class))
            .withPropertyValues(ENDPOINT);

    @Test
    void theCredentialAutoConfigurationNamesSpringCloudAzuresCredentialAutoConfigurationAsItsPredecessor() {
        AutoConfiguration order = DpsTwinAutoConfiguration.class.getAnnotation(AutoConfiguration.class);
        assertThat(Arrays.asList(order.afterName()))
                .contains(AzureTokenCredentialAutoConfiguration.class.getName());
        assertThat(DpsTwinAutoConfiguration.SPRING_CLOUD_AZURE_CREDENTIAL)
                .isEqualTo(AzureTokenCredentialAutoConfiguration.class.getName());
    }

    @Test
    void springCloudAzuresCredentialIsTheOneCredentialAndDpsTwinsBacksOff() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TokenCredential.class)
                    .hasBean("springCloudAzureDefaultCredential").doesNotHaveBean("dpsTwinCredential");
            assertThat(context).hasSingleBean(DpsTwin.class);
        });
    }

    @Test
    void theOrderHoldsWhenDpsTwinIsListedFirst() {
        // the user's configuration imports dps-twin's before Spring Cloud Azure's: the declared order still wins
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                        DpsTwinHttpClientAutoConfiguration.class, AzureTokenCredentialAutoConfiguration.class,
                        AzureGlobalPropertiesAutoConfiguration.class))
                .withPropertyValues(ENDPOINT)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TokenCredential.class)
                        .hasBean("springCloudAzureDefaultCredential").doesNotHaveBean("dpsTwinCredential"));
    }

    @Test
    void withoutSpringCloudAzureDpsTwinBringsItsOwnCredential() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinHttpClientAutoConfiguration.class,
                        DpsTwinAutoConfiguration.class))
                .withPropertyValues(ENDPOINT)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TokenCredential.class)
                        .hasBean("dpsTwinCredential"));
    }

    @Test
    void anApplicationCredentialBesideSpringCloudAzuresIsUsedWhenItIsPrimary() {
        runner.withUserConfiguration(OwnPrimaryCredential.class).run(context -> {
            assertThat(context).hasNotFailed().hasBean("ownCredential").hasBean("springCloudAzureDefaultCredential")
                    .doesNotHaveBean("dpsTwinCredential").hasSingleBean(DpsTwin.class);
            assertThat(context.getBeanProvider(TokenCredential.class).getObject())
                    .isSameAs(context.getBean("ownCredential"));
        });
    }

    @Test
    void twoCredentialsWithoutAPrimaryOneFailTheStartAsDocumented() {
        runner.withUserConfiguration(OwnCredential.class).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining(TokenCredential.class.getName()));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPrimaryCredential {

        @Bean
        @Primary
        TokenCredential ownCredential() {
            return request -> Mono.empty();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCredential {

        @Bean
        TokenCredential ownCredential() {
            return request -> Mono.empty();
        }
    }
}
