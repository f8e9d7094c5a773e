package io.dpstwin.core.allocation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copies and merges of JSON values held as {@code Map}, {@code List} and scalars. */
final class JsonValues {

    private JsonValues() {
    }

    /** A deep, unmodifiable copy of a JSON value; {@code null} stays {@code null}. */
    static Object immutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            return immutableMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(immutableCopy(element));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** A deep, unmodifiable copy of a JSON object; {@code null} stays {@code null}. */
    static Map<String, Object> immutableMap(Map<?, ?> map) {
        if (map == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), immutableCopy(v)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * Deep merge of two JSON objects: keys of both are kept; where both hold an object the objects are merged,
     * otherwise {@code winner}'s value replaces {@code base}'s. Either argument may be {@code null}.
     */
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> winner) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (base != null) {
            result.putAll(base);
        }
        if (winner != null) {
            winner.forEach((key, value) -> {
                Object existing = result.get(key);
                if (existing instanceof Map<?, ?> existingMap && value instanceof Map<?, ?> valueMap) {
                    result.put(key, deepMerge(asObject(existingMap), asObject(valueMap)));
                } else {
                    result.put(key, value);
                }
            });
        }
        return immutableMap(result);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
