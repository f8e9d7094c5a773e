package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * Drift left alone because it changed within the grace window: a twin without a device that was updated recently,
 * or a device without a twin that changed recently. A later run looks again.
 *
 * @param side        {@code twin} or {@code device}
 * @param id          the twin id or device id
 * @param hubHostName the device's hub ({@code device} side only)
 * @param lastChanged when it last changed (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SkippedItem(String side, String id, String hubHostName, String lastChanged) {

    public static final String TWIN = "twin";
    public static final String DEVICE = "device";

    public SkippedItem {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(id, "id");
    }
}
