package io.dpstwin.core.allocation;

import io.dpstwin.core.twins.Dtmi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the DTDL model (DTMI) of the device's twin. {@link DpsAllocationHandler} then checks the result with
 * {@link Dtmi#requireValid} and the enrollment's allow-list; an empty result after every fallback is a 400
 * {@link AllocationErrorCodes#NO_MODEL}. A resolver may throw {@link AllocationRejectedException}.
 */
@FunctionalInterface
public interface ModelResolver {

    /** The model id for the device, or empty when this resolver knows none. */
    Optional<String> resolveModel(AllocationRequest request);

    /**
     * The IoT Plug and Play convention: {@code deviceRuntimeContext.payload.modelId}. Absent, null or empty means
     * "none"; any other non-string value is a 400 {@link AllocationErrorCodes#INVALID_FIELD_TYPE}.
     */
    static ModelResolver payloadModelId() {
        return payloadField("modelId");
    }

    /** Like {@link #payloadModelId()} for another payload field, e.g. IoT Central's {@code iotcModelId}. */
    static ModelResolver payloadField(String field) {
        Objects.requireNonNull(field, "field");
        return request -> PayloadFields.string(request, field);
    }

    /** A default model per enrollment (group id or individual registration id). */
    static ModelResolver perEnrollment(Map<EnrollmentRef, String> modelByEnrollment) {
        Map<EnrollmentRef, String> copy = Map.copyOf(modelByEnrollment);
        copy.values().forEach(Dtmi::requireValid);
        return request -> request.enrollmentRef().map(copy::get);
    }

    /** Always {@code modelId}. */
    static ModelResolver fixed(String modelId) {
        Dtmi.requireValid(modelId);
        return request -> Optional.of(modelId);
    }

    /** This resolver, and {@code next} when this one finds nothing. */
    default ModelResolver orElse(ModelResolver next) {
        Objects.requireNonNull(next, "next");
        return request -> {
            Optional<String> found = resolveModel(request);
            return found.isPresent() ? found : next.resolveModel(request);
        };
    }
}
