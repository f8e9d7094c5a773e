package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.allocation.AllocationOptions;

/**
 * Adjusts the {@link AllocationOptions} the auto-configuration builds from {@code dps-twin.allocation.*}, after the
 * properties are applied. Declare one or more beans; they run in {@link org.springframework.core.annotation.Order}.
 */
@FunctionalInterface
public interface AllocationOptionsCustomizer {

    void customize(AllocationOptions.Builder builder);
}
