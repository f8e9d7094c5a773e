package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The enrollment's {@code capabilities}.
 *
 * @param iotEdge whether the device is an IoT Edge device; {@code null} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceCapabilities(Boolean iotEdge) {
}
