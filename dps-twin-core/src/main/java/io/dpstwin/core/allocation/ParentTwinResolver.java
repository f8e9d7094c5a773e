package io.dpstwin.core.allocation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the twin the device's twin is placed under (the source of the placement relationship). Empty means "no
 * placement for this device". {@link DpsAllocationHandler} validates the id with
 * {@link io.dpstwin.core.internal.support.Identifiers#deviceChosenTwinIdProblem} before any ADT call. A resolver may throw
 * {@link AllocationRejectedException}.
 */
@FunctionalInterface
public interface ParentTwinResolver {

    /** The parent twin id, or empty for no placement. */
    Optional<String> parentTwinId(AllocationRequest request);

    /**
     * The string at {@code deviceRuntimeContext.payload.<field>}, e.g. {@code parentTwinId}. The device chooses
     * its parent: combine it with an enrollment mapping or a custom resolver when devices are not trusted to.
     */
    static ParentTwinResolver payloadField(String field) {
        Objects.requireNonNull(field, "field");
        return request -> PayloadFields.string(request, field);
    }

    /** A fixed parent per enrollment (group id or individual registration id). */
    static ParentTwinResolver perEnrollment(Map<EnrollmentRef, String> parentByEnrollment) {
        Map<EnrollmentRef, String> copy = Map.copyOf(parentByEnrollment);
        return request -> request.enrollmentRef().map(copy::get);
    }

    /** This resolver, and {@code next} when this one finds nothing. */
    default ParentTwinResolver orElse(ParentTwinResolver next) {
        Objects.requireNonNull(next, "next");
        return request -> {
            Optional<String> found = parentTwinId(request);
            return found.isPresent() ? found : next.parentTwinId(request);
        };
    }
}
