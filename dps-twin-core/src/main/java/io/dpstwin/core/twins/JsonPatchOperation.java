package io.dpstwin.core.twins;

import java.util.Objects;

/**
 * One JSON Patch (RFC 6902) operation of the subset ADT accepts: {@code add}, {@code replace}, {@code remove}.
 *
 * @param path  a JSON pointer such as {@code /Temperature} or {@code /$metadata/$model}
 * @param value the value for add/replace; ignored for remove
 */
public record JsonPatchOperation(Op op, String path, Object value) {

    /** The JSON Patch operations ADT supports. */
    public enum Op { ADD, REPLACE, REMOVE }

    public JsonPatchOperation {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(path, "path");
    }

    public static JsonPatchOperation add(String path, Object value) {
        return new JsonPatchOperation(Op.ADD, path, value);
    }

    public static JsonPatchOperation replace(String path, Object value) {
        return new JsonPatchOperation(Op.REPLACE, path, value);
    }

    public static JsonPatchOperation remove(String path) {
        return new JsonPatchOperation(Op.REMOVE, path, null);
    }
}
