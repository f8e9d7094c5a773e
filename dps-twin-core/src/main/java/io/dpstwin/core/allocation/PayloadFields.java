package io.dpstwin.core.allocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads string fields of the device payload with a clear rejection for the wrong JSON type. */
final class PayloadFields {

    private PayloadFields() {
    }

    /**
     * The non-empty string at {@code deviceRuntimeContext.payload.<field>}; empty when the payload or the field is
     * absent, null or an empty string.
     *
     * @throws AllocationRejectedException {@link AllocationErrorCodes#INVALID_FIELD_TYPE} when it is not a string
     */
    static Optional<String> string(AllocationRequest request, String field) {
        if (request.deviceRuntimeContext() == null) {
            return Optional.empty();
        }
        Object value = request.deviceRuntimeContext().payloadOrEmpty().get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new AllocationRejectedException(AllocationErrorCodes.INVALID_FIELD_TYPE,
                    "deviceRuntimeContext.payload." + field + " must be a string, got " + jsonType(value));
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The JSON type name of a value read into Java ({@code an object}, {@code an array}, ...). */
    static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        return "a string";
    }
}
