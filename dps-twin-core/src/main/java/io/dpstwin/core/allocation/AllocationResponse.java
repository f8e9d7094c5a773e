package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;
import java.util.Objects;

/**
 * The answer to DPS: {@code {"iotHubHostName": ..., "initialTwin": {...}, "payload": {...}}}. {@code initialTwin}
 * and {@code payload} are left out when {@code null}.
 *
 * @param iotHubHostName one of the request's {@code linkedHubs}; required by DPS
 * @param initialTwin    the device twin's initial tags and desired properties, or {@code null}
 * @param payload        data returned to the device, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AllocationResponse(String iotHubHostName, InitialTwin initialTwin, Map<String, Object> payload) {

    public AllocationResponse {
        Objects.requireNonNull(iotHubHostName, "iotHubHostName");
        payload = JsonValues.immutableMap(payload);
    }
}
