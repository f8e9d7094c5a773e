package io.dpstwin.core.allocation;

import java.util.HashMap;
import java.util.Map;

/**
 * The properties a new twin is created with, e.g. {@code Temperature: 0.0} for
 * {@code dtmi:contosocom:DigitalTwins:Thermostat;1} as in the reference flow. They must conform to the model
 * (ADT answers 400 {@code ValidationFailed} otherwise). Existing twins are never changed.
 */
@FunctionalInterface
public interface InitialPropertiesProvider {

    /** The properties for a new twin of {@code modelId}; never {@code null}. */
    Map<String, Object> initialProperties(String modelId, AllocationRequest request);

    /** No properties. */
    static InitialPropertiesProvider none() {
        return (modelId, request) -> Map.of();
    }

    /** Fixed properties per model id; models not in the map get none. */
    static InitialPropertiesProvider perModel(Map<String, ? extends Map<String, Object>> propertiesByModel) {
        Map<String, Map<String, Object>> copy = new HashMap<>();
        propertiesByModel.forEach((model, properties) -> copy.put(model, JsonValues.immutableMap(properties)));
        Map<String, Map<String, Object>> frozen = Map.copyOf(copy);
        return (modelId, request) -> frozen.getOrDefault(modelId, Map.of());
    }
}
