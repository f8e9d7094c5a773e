package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.reconcile.ReconcileOptions;

/**
 * Adjusts the {@link ReconcileOptions} the auto-configuration builds from {@code dps-twin.reconcile.*}, after the
 * properties are applied (e.g. a {@code deviceIdOfTwin} inverse for your own twin id strategy, or a clock). Declare
 * one or more beans; they run in {@link org.springframework.core.annotation.Order}. A {@link ReconcileOptions} bean
 * of the application replaces the properties and the customizers.
 */
@FunctionalInterface
public interface ReconcileOptionsCustomizer {

    void customize(ReconcileOptions.Builder builder);
}
