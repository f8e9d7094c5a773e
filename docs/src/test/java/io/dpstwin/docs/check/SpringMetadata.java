package io.dpstwin.docs.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration properties the classpath declares: every {@code META-INF/spring-configuration-metadata.json}
 * (Spring Boot's own, the actuator's, and the dps-twin starter's, generated from the settings model
 * {@code DpsTwinSettings}).
 */
public final class SpringMetadata {

    /** One declared property. */
    public record Property(String name, String type, String description, Optional<String> defaultValue) {

        /** {@code true} for {@code Map<..>} and {@code List<..>} types, whose entries add key or index segments. */
        boolean hasEntries() {
            return type.startsWith("java.util.Map") || type.startsWith("java.util.List")
                    || type.startsWith("java.util.Set");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile SpringMetadata instance;

    private final Map<String, Property> properties;

    private SpringMetadata(Map<String, Property> properties) {
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** The metadata of the test classpath, read once. */
    public static SpringMetadata load() {
        SpringMetadata loaded = instance;
        if (loaded == null) {
            Map<String, Property> all = new LinkedHashMap<>();
            try {
                var urls = SpringMetadata.class.getClassLoader()
                        .getResources("META-INF/spring-configuration-metadata.json");
                for (URL url : Collections.list(urls)) {
                    try (InputStream in = url.openStream()) {
                        for (JsonNode p : JSON.readTree(in).path("properties")) {
                            JsonNode value = p.get("defaultValue");
                            Optional<String> defaultValue = value == null || value.isNull() ? Optional.empty()
                                    : Optional.of(value.isArray() || value.isObject() ? value.toString() : value.asText());
                            all.putIfAbsent(p.path("name").asText(), new Property(p.path("name").asText(),
                                    p.path("type").asText(""), p.path("description").asText(""), defaultValue));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded = new SpringMetadata(all);
            instance = loaded;
        }
        return loaded;
    }

    /** Every property, by name. */
    public Map<String, Property> properties() {
        return properties;
    }

    /** The properties under a prefix, e.g. {@code dps-twin.}, by name in declaration order. */
    public Map<String, Property> under(String prefix) {
        Map<String, Property> under = new LinkedHashMap<>();
        properties.forEach((name, p) -> {
            if (name.startsWith(prefix)) {
                under.put(name, p);
            }
        });
        return under;
    }

    /**
     * {@code true} when a flattened key, as a property source names it ({@code a.b[0]}, {@code a.map[key].x}), is a
     * declared property or an entry of a declared map or list property.
     */
    public boolean declares(String key) {
        if (properties.containsKey(key)) {
            return true;
        }
        String candidate = key;
        while (true) {
            int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
            if (cut <= 0) {
                return false;
            }
            candidate = candidate.substring(0, cut);
            Property property = properties.get(candidate);
            if (property != null) {
                return property.hasEntries();
            }
        }
    }
}
