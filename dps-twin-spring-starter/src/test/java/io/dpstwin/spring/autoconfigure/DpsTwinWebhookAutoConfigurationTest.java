package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import io.dpstwin.spring.webhook.AllocationWebhook;
import io.dpstwin.spring.webhook.EventGridWebhook;
import io.dpstwin.spring.webhook.WebhookKeyRedactingFilter;
import io.dpstwin.spring.webhook.WebhookKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.function.RouterFunction;

import java.util.List;

import static io.dpstwin.spring.autoconfigure.DpsTwinAutoConfigurationTest.startFailure;
import static org.assertj.core.api.Assertions.assertThat;

class DpsTwinWebhookAutoConfigurationTest {

    private static final String ENDPOINT = "dps-twin.digital-twins.endpoint=https://contoso.api.weu.digitaltwins.azure.net";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                    DpsTwinWebhookAutoConfiguration.class))
            .withBean(TokenCredential.class, TestCredentials::fixedToken)
            .withPropertyValues(ENDPOINT);

    @Test
    void servesBothEndpointsBehindTheKeyFilterInAServletApplication() {
        web.withPropertyValues("dps-twin.webhook.keys=key-1").run(context -> {
            assertThat(context).hasSingleBean(AllocationWebhook.class).hasSingleBean(EventGridWebhook.class)
                    .hasBean("dpsTwinAllocationRoute").hasBean("dpsTwinLifecycleRoute");
            assertThat(context.getBean(WebhookKeys.class).required()).isTrue();
            FilterRegistrationBean<?> filter = context.getBean("dpsTwinWebhookKeyFilter", FilterRegistrationBean.class);
            assertThat(filter.getFilter()).isInstanceOf(WebhookKeyRedactingFilter.class);
            assertThat(filter.getUrlPatterns()).containsExactlyInAnyOrder("/api/dps/allocate", "/api/iothub/events");
            assertThat(filter.isEnabled()).isTrue();
        });
    }

    @Test
    void servesNoWebhookOutsideAWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DpsTwinAutoConfiguration.class,
                        DpsTwinWebhookAutoConfiguration.class))
                .withBean(TokenCredential.class, TestCredentials::fixedToken)
                .withPropertyValues(ENDPOINT)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationWebhook.class)
                        .doesNotHaveBean(EventGridWebhook.class).doesNotHaveBean(WebhookKeys.class));
    }

    @Test
    void servesNoWebhookWithoutSpringMvc() {
        web.withClassLoader(new FilteredClassLoader(RouterFunction.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AllocationWebhook.class));
    }

    @Test
    void failsFastWhenNoKeyIsConfigured() {
        web.run(context -> {
            DpsTwinConfigurationException cause = startFailure(context, "dps-twin.webhook.keys");
            assertThat(cause.action()).contains("require-key=false");
        });
    }

    @Test
    void servesWithoutAKeyOnlyWhenRequireKeyIsOff() {
        web.withPropertyValues("dps-twin.webhook.require-key=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookKeys.class).required()).isFalse();
        });
    }

    @Test
    void refusesABlankKeyWithoutQuotingTheOthers() {
        web.withPropertyValues("dps-twin.webhook.keys[0]=s3cr3t-key", "dps-twin.webhook.keys[1]= ").run(context -> {
            assertThat(context).hasFailed();
            assertThat(DpsTwinAutoConfigurationTest.rootCause(context.getStartupFailure()).problem())
                    .contains("#2").doesNotContain("s3cr3t-key");
        });
    }

    @Test
    void eachEndpointCanBeSwitchedOffAndMoved() {
        web.withPropertyValues("dps-twin.webhook.keys=key-1", "dps-twin.webhook.allocation.enabled=false",
                "dps-twin.webhook.lifecycle.path=/hooks/iot").run(context -> {
                    assertThat(context).doesNotHaveBean(AllocationWebhook.class).doesNotHaveBean("dpsTwinAllocationRoute")
                            .hasSingleBean(EventGridWebhook.class);
                    FilterRegistrationBean<?> filter = context.getBean("dpsTwinWebhookKeyFilter",
                            FilterRegistrationBean.class);
                    assertThat(filter.getUrlPatterns()).containsExactly("/hooks/iot");
                });
    }

    @Test
    void refusesAWildcardPath() {
        web.withPropertyValues("dps-twin.webhook.keys=key-1", "dps-twin.webhook.allocation.path=/api/**")
                .run(context -> startFailure(context, "dps-twin.webhook.allocation.path"));
    }

    @Test
    void theApplicationsKeysBeanWins() {
        WebhookKeys own = WebhookKeys.of(List.of("from-a-vault"));
        web.withBean(WebhookKeys.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WebhookKeys.class)).isSameAs(own);
        });
    }
}
