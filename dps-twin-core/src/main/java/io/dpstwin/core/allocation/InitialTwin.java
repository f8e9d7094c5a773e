package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * A device twin's initial state as DPS carries it in enrollments and allocation responses:
 * {@code {"tags":{...},"properties":{"desired":{...}}}}. Immutable (deep copies).
 *
 * @param tags       the twin tags, or {@code null}
 * @param properties the twin properties (desired only), or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InitialTwin(Map<String, Object> tags, Properties properties) {

    public InitialTwin {
        tags = JsonValues.immutableMap(tags);
    }

    /** An initial twin of these tags and desired properties (either may be {@code null}). */
    public static InitialTwin of(Map<String, Object> tags, Map<String, Object> desired) {
        return new InitialTwin(tags, new Properties(desired));
    }

    /** The desired properties, or an empty map. */
    public Map<String, Object> desiredProperties() {
        return properties == null || properties.desired() == null ? Map.of() : properties.desired();
    }

    /** The tags, or an empty map. */
    public Map<String, Object> tagsOrEmpty() {
        return tags == null ? Map.of() : tags;
    }

    /**
     * {@code properties} of an initial twin.
     *
     * @param desired the desired properties, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(Map<String, Object> desired) {

        public Properties {
            desired = JsonValues.immutableMap(desired);
        }
    }
}
