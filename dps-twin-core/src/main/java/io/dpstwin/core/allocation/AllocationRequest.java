package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A DPS custom allocation request (the body DPS POSTs to the webhook), immutable. Unknown fields are ignored.
 * {@link DpsAllocationHandler} validates it before use: a request it accepts has a {@code deviceRuntimeContext}
 * with a valid registration id, a non-empty {@code linkedHubs} and at most one enrollment.
 *
 * @param enrollmentGroup      the enrollment group, or {@code null}
 * @param individualEnrollment the individual enrollment, or {@code null}
 * @param deviceRuntimeContext the device's side of the registration
 * @param linkedHubs           the hubs the answer must choose from (entries may be {@code null} before validation)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AllocationRequest(EnrollmentGroup enrollmentGroup, IndividualEnrollment individualEnrollment,
                                DeviceRuntimeContext deviceRuntimeContext, List<String> linkedHubs) {

    public AllocationRequest {
        // keeps null entries so that validation can name them instead of failing inside the constructor
        linkedHubs = linkedHubs == null ? null : Collections.unmodifiableList(new ArrayList<>(linkedHubs));
    }

    /** The enrollment the device registers through, if the request names one. */
    public Optional<Enrollment> enrollment() {
        if (enrollmentGroup != null) {
            return Optional.of(enrollmentGroup);
        }
        return Optional.ofNullable(individualEnrollment);
    }

    /** The enrollment's identity, if the request names an enrollment with an id. */
    public Optional<EnrollmentRef> enrollmentRef() {
        if (enrollmentGroup != null) {
            return hasText(enrollmentGroup.enrollmentGroupId())
                    ? Optional.of(EnrollmentRef.group(enrollmentGroup.enrollmentGroupId()))
                    : Optional.empty();
        }
        if (individualEnrollment != null && hasText(individualEnrollment.registrationId())) {
            return Optional.of(EnrollmentRef.individual(individualEnrollment.registrationId()));
        }
        return Optional.empty();
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    /** The device's registration id. */
    public String registrationId() {
        return deviceRuntimeContext == null ? null : deviceRuntimeContext.registrationId();
    }

    /**
     * The IoT Hub device id DPS will register: the registration id for enrollment groups; the individual
     * enrollment's {@code deviceId}, else the registration id, for individual enrollments.
     */
    public String deviceId() {
        if (individualEnrollment != null && individualEnrollment.deviceId() != null
                && !individualEnrollment.deviceId().isBlank()) {
            return individualEnrollment.deviceId();
        }
        return registrationId();
    }

    /** The device's current hub when it re-registers. */
    public Optional<String> currentHub() {
        return deviceRuntimeContext == null ? Optional.empty() : deviceRuntimeContext.currentHub();
    }

    /** The linked hubs, or an empty list. */
    public List<String> linkedHubsOrEmpty() {
        return linkedHubs == null ? List.of() : linkedHubs;
    }
}
