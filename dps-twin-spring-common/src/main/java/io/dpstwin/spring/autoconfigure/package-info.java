/**
 * Spring Boot auto-configuration of dps-twin: {@code dps-twin.*} properties (bound by name from
 * {@link io.dpstwin.core.config.DpsTwinSettings}), the core beans, the webhooks, the Event Hubs consumer, the
 * reconciler (its schedule and actuator endpoint) and the health contributor, each stepping back when the application
 * defines its own bean. Configuration mistakes fail the
 * start with a {@link io.dpstwin.spring.autoconfigure.DpsTwinConfigurationException} naming the property.
 */
package io.dpstwin.spring.autoconfigure;
