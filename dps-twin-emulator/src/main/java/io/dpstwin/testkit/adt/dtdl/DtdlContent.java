package io.dpstwin.testkit.adt.dtdl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Objects;

/**
 * One element of an interface's {@code contents}.
 *
 * @param kind                   what the element is
 * @param name                   its name, unique within the interface and its {@code extends} chain
 * @param schema                 the schema of a Property or Telemetry (a primitive name, a DTMI of a named schema
 *                               or an inline complex schema), {@code null} otherwise
 * @param componentInterface     the DTMI of a Component's interface, {@code null} otherwise
 * @param target                 the DTMI a Relationship is restricted to, or {@code null} for any target
 * @param relationshipProperties the properties (name to schema) a Relationship declares
 */
public record DtdlContent(Kind kind, String name, JsonNode schema, String componentInterface, String target,
                          Map<String, JsonNode> relationshipProperties) {

    /** The content kinds DTDL v2/v3 define. */
    public enum Kind {
        PROPERTY("Property"), TELEMETRY("Telemetry"), RELATIONSHIP("Relationship"), COMPONENT("Component"),
        /** Accepted in models, as ADT does, but never part of a twin. */
        COMMAND("Command");

        private final String dtdlName;

        Kind(String dtdlName) {
            this.dtdlName = dtdlName;
        }

        /** The {@code @type} value of this kind. */
        public String dtdlName() {
            return dtdlName;
        }
    }

    public DtdlContent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        relationshipProperties = relationshipProperties == null ? Map.of() : Map.copyOf(relationshipProperties);
    }
}
