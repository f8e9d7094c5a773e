package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code enrollmentGroup} of an allocation request. Devices of a group register with their registration id as
 * IoT Hub device id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollmentGroup(String enrollmentGroupId, Attestation attestation, DeviceCapabilities capabilities,
                              ReprovisionPolicy reprovisionPolicy, List<String> iotHubs, InitialTwin initialTwin,
                              String allocationPolicy, String provisioningStatus) implements Enrollment {

    public EnrollmentGroup {
        iotHubs = iotHubs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(iotHubs));
    }

    /** A group that carries only its id, e.g. for tests and builders. */
    public static EnrollmentGroup of(String enrollmentGroupId) {
        return new EnrollmentGroup(enrollmentGroupId, null, null, null, List.of(), null, null, null);
    }

    @Override
    public EnrollmentRef ref() {
        return EnrollmentRef.group(enrollmentGroupId);
    }
}
