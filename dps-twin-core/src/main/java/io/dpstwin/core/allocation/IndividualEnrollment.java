package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code individualEnrollment} of an allocation request. Its optional {@code deviceId} is the IoT Hub device id
 * DPS registers; without it the registration id is used.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndividualEnrollment(String registrationId, String deviceId, Attestation attestation,
                                   DeviceCapabilities capabilities, ReprovisionPolicy reprovisionPolicy,
                                   List<String> iotHubs, InitialTwin initialTwin, String allocationPolicy,
                                   String provisioningStatus) implements Enrollment {

    public IndividualEnrollment {
        iotHubs = iotHubs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(iotHubs));
    }

    /** An individual enrollment that carries only its ids ({@code deviceId} may be {@code null}). */
    public static IndividualEnrollment of(String registrationId, String deviceId) {
        return new IndividualEnrollment(registrationId, deviceId, null, null, null, List.of(), null, null, null);
    }

    @Override
    public EnrollmentRef ref() {
        return EnrollmentRef.individual(registrationId);
    }
}
