package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.SettingValues;

import io.dpstwin.core.allocation.DpsAllocationHandler;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.spring.webhook.AllocationWebhook;
import io.dpstwin.spring.webhook.EventGridWebhook;
import io.dpstwin.spring.webhook.WebhookKeyRedactingFilter;
import io.dpstwin.spring.webhook.WebhookKeys;
import io.dpstwin.spring.webhook.WebhookMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * The webhooks of a servlet web application (Spring MVC functional endpoints): the DPS allocation endpoint
 * ({@code dps-twin.webhook.allocation.*}, default {@code /api/dps/allocate}) and the Event Grid lifecycle endpoint
 * ({@code dps-twin.webhook.lifecycle.*}, default {@code /api/iothub/events}), both behind the function key check
 * ({@code dps-twin.webhook.keys}) and the filter that keeps keys out of logs. Each endpoint answers every method on
 * its path itself, so no error ever falls through to a Whitelabel page.
 */
@AutoConfiguration(after = DpsTwinAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RouterFunction.class, HttpServletRequest.class, FilterRegistrationBean.class})
@ConditionalOnBooleanProperty(name = "dps-twin.enabled", matchIfMissing = true)
public class DpsTwinWebhookAutoConfiguration {

    /**
     * The accepted keys. Fails the start when no key is configured (a webhook without a key would accept anyone)
     * unless {@code dps-twin.webhook.require-key=false}.
     */
    @Bean
    @ConditionalOnMissingBean
    public WebhookKeys dpsTwinWebhookKeys(CoreOptions options) {
        SettingValues s = options.values();
        if (!s.get(DpsTwinSettings.WEBHOOK_REQUIRE_KEY)) {
            return WebhookKeys.notRequired();
        }
        if (s.get(DpsTwinSettings.WEBHOOK_KEYS).isEmpty()) {
            throw new DpsTwinConfigurationException("dps-twin.webhook.keys", "is empty, so the webhooks would "
                    + "accept any caller",
                    "Set one or more function keys (list several to rotate them; DPS and Event Grid send the key as "
                            + "?code=<key>), or set dps-twin.webhook.require-key=false when a gateway in front of "
                            + "the application authenticates callers, or disable the webhooks with "
                            + "dps-twin.webhook.allocation.enabled=false and dps-twin.webhook.lifecycle.enabled=false.");
        }
        try {
            return WebhookKeys.of(s.get(DpsTwinSettings.WEBHOOK_KEYS));
        } catch (IllegalArgumentException e) {
            throw new DpsTwinConfigurationException("dps-twin.webhook.keys", e.getMessage(),
                    "Remove blank entries from the list.", e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public WebhookMetrics dpsTwinWebhookMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
        return new WebhookMetrics(meterRegistry.getIfUnique(() -> Metrics.globalRegistry));
    }

    /** Keeps {@code code=} and {@code x-functions-key} out of every log after it (highest precedence + 1). */
    @Bean
    @ConditionalOnMissingBean(name = "dpsTwinWebhookKeyFilter")
    public FilterRegistrationBean<WebhookKeyRedactingFilter> dpsTwinWebhookKeyFilter(CoreOptions options) {
        List<String> paths = new ArrayList<>();
        SettingValues s = options.values();
        if (s.get(DpsTwinSettings.WEBHOOK_ALLOCATION_ENABLED)) {
            paths.add(path(s.get(DpsTwinSettings.WEBHOOK_ALLOCATION_PATH), "dps-twin.webhook.allocation.path"));
        }
        if (s.get(DpsTwinSettings.WEBHOOK_LIFECYCLE_ENABLED)) {
            paths.add(path(s.get(DpsTwinSettings.WEBHOOK_LIFECYCLE_PATH), "dps-twin.webhook.lifecycle.path"));
        }
        FilterRegistrationBean<WebhookKeyRedactingFilter> registration =
                new FilterRegistrationBean<>(new WebhookKeyRedactingFilter());
        registration.setName("dpsTwinWebhookKeyFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setEnabled(!paths.isEmpty());
        registration.setUrlPatterns(paths.isEmpty() ? List.of("/") : paths);
        return registration;
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "dps-twin.webhook.allocation.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    public AllocationWebhook dpsTwinAllocationWebhook(DpsAllocationHandler handler, WebhookKeys keys,
                                                      WebhookMetrics metrics) {
        return new AllocationWebhook(handler, keys, metrics);
    }

    /** Routes every method on the allocation path to {@link AllocationWebhook}. */
    @Bean
    @ConditionalOnBooleanProperty(name = "dps-twin.webhook.allocation.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(name = "dpsTwinAllocationRoute")
    public RouterFunction<ServerResponse> dpsTwinAllocationRoute(CoreOptions options,
                                                                 AllocationWebhook webhook) {
        String path = path(options.values().get(DpsTwinSettings.WEBHOOK_ALLOCATION_PATH),
                "dps-twin.webhook.allocation.path");
        return RouterFunctions.route(RequestPredicates.path(path), webhook);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "dps-twin.webhook.lifecycle.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    public EventGridWebhook dpsTwinEventGridWebhook(LifecycleProcessor processor, WebhookKeys keys,
                                                    WebhookMetrics metrics, CoreOptions options) {
        int limit = options.values().get(DpsTwinSettings.WEBHOOK_LIFECYCLE_MAX_BODY);
        return new EventGridWebhook(processor, keys, metrics, limit);
    }

    /** Routes every method on the lifecycle path to {@link EventGridWebhook}. */
    @Bean
    @ConditionalOnBooleanProperty(name = "dps-twin.webhook.lifecycle.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(name = "dpsTwinLifecycleRoute")
    public RouterFunction<ServerResponse> dpsTwinLifecycleRoute(CoreOptions options,
                                                                EventGridWebhook webhook) {
        String path = path(options.values().get(DpsTwinSettings.WEBHOOK_LIFECYCLE_PATH),
                "dps-twin.webhook.lifecycle.path");
        return RouterFunctions.route(RequestPredicates.path(path), webhook);
    }

    private static String path(String path, String property) {
        if (path == null || !path.startsWith("/") || path.contains("*") || path.contains("{") || path.contains("?")) {
            throw new DpsTwinConfigurationException(property, "must be a fixed path starting with '/'",
                    "Use a path such as /api/dps/allocate (no wildcards or variables).");
        }
        return path;
    }
}
