package io.dpstwin.testkit.adt.dtdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed DTDL interface: its own contents (not the inherited ones), the interfaces it extends and the named
 * complex schemas it defines.
 *
 * @param id          the DTMI
 * @param dtdlVersion 2 or 3
 * @param extendsIds  the DTMIs of the interfaces it extends directly
 * @param contents    its own contents by name, in declaration order
 * @param schemas     complex schemas it defines with an {@code @id}, by DTMI
 * @param schemaReferences DTMIs its contents use as schemas (defined here or in another interface)
 * @param displayName the {@code displayName} as a language map, or {@code null}
 * @param description the {@code description} as a language map, or {@code null}
 * @param definition  the interface as uploaded
 */
public record DtdlInterface(String id, int dtdlVersion, List<String> extendsIds, Map<String, DtdlContent> contents,
                            Map<String, JsonNode> schemas, Set<String> schemaReferences, JsonNode displayName, JsonNode description,
                            ObjectNode definition) {

    public DtdlInterface {
        Objects.requireNonNull(id, "id");
        extendsIds = List.copyOf(extendsIds);
        contents = Collections.unmodifiableMap(new LinkedHashMap<>(contents));
        schemas = Map.copyOf(schemas);
        schemaReferences = Set.copyOf(schemaReferences);
    }
}
