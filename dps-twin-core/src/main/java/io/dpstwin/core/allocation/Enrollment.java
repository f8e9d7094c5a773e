package io.dpstwin.core.allocation;

import java.util.List;

/**
 * The enrollment a device registers through, as DPS sends it in the allocation request: an
 * {@link EnrollmentGroup} or an {@link IndividualEnrollment}. Only fields the allocation can use are modelled;
 * attestation keys are not read.
 */
public sealed interface Enrollment permits EnrollmentGroup, IndividualEnrollment {

    /**
     * The enrollment's identity, the key of per-enrollment settings.
     *
     * @throws NullPointerException     when the enrollment carries no id
     * @throws IllegalArgumentException when its id is blank
     */
    EnrollmentRef ref();

    /** The attestation type, or {@code null}. */
    Attestation attestation();

    /** The reprovisioning policy, or {@code null} when absent. */
    ReprovisionPolicy reprovisionPolicy();

    /** The hubs selected on the enrollment (may be empty; {@code linkedHubs} is what counts). */
    List<String> iotHubs();

    /** The enrollment's initial twin, or {@code null}. */
    InitialTwin initialTwin();

    /** The capabilities, or {@code null}. */
    DeviceCapabilities capabilities();

    /** The allocation policy ({@code custom} when this webhook is called), or {@code null}. */
    String allocationPolicy();

    /** {@code enabled} or {@code disabled}, or {@code null}. */
    String provisioningStatus();
}
