package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.lifecycle.LifecycleOptions;

/**
 * Adjusts the {@link LifecycleOptions} the auto-configuration builds from {@code dps-twin.lifecycle.*}, after the
 * properties are applied. Declare one or more beans; they run in {@link org.springframework.core.annotation.Order}.
 */
@FunctionalInterface
public interface LifecycleOptionsCustomizer {

    void customize(LifecycleOptions.Builder builder);
}
