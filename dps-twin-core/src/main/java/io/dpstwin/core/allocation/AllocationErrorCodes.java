package io.dpstwin.core.allocation;

/**
 * The {@code error.code} values of {@link DpsAllocationHandler} answers. The Micrometer {@code reason} tag of
 * {@code dpstwin.allocations} is the same code in snake case (e.g. {@code InvalidRegistrationId} →
 * {@code invalid_registration_id}).
 */
public final class AllocationErrorCodes {

    /** 413: the body is larger than the limit (96 KB, the DPS message size). */
    public static final String BODY_TOO_LARGE = "BodyTooLarge";
    /** 400: the body is empty, not JSON, or not a JSON object. */
    public static final String MALFORMED_JSON = "MalformedJson";
    /** 400: a field has the wrong JSON type (e.g. {@code linkedHubs} a string). */
    public static final String INVALID_FIELD_TYPE = "InvalidFieldType";
    /** 400: a required field is missing or null. */
    public static final String MISSING_FIELD = "MissingField";
    /** 400: {@code linkedHubs} is empty. */
    public static final String NO_LINKED_HUBS = "NoLinkedHubs";
    /** 400: an entry of {@code linkedHubs} is null or blank. */
    public static final String INVALID_LINKED_HUB = "InvalidLinkedHub";
    /** 400: both {@code enrollmentGroup} and {@code individualEnrollment} are present. */
    public static final String AMBIGUOUS_ENROLLMENT = "AmbiguousEnrollment";
    /** 400: the registration id breaks the DPS rules. */
    public static final String INVALID_REGISTRATION_ID = "InvalidRegistrationId";
    /** 400: the individual enrollment's device id breaks the IoT Hub rules. */
    public static final String INVALID_DEVICE_ID = "InvalidDeviceId";
    /** 400: no {@code payload.modelId} and no default model for the enrollment. */
    public static final String NO_MODEL = "NoModel";
    /** 400: the model id is not a valid DTMI. */
    public static final String INVALID_MODEL_ID = "InvalidModelId";
    /** 400: the model is not on the enrollment's allow-list. */
    public static final String MODEL_NOT_ALLOWED = "ModelNotAllowed";
    /** 400: the twin exists with another model and the mismatch policy is REJECT. */
    public static final String MODEL_MISMATCH = "ModelMismatch";
    /** 400: the parent twin id for placement is not a valid twin id. */
    public static final String INVALID_PARENT_TWIN_ID = "InvalidParentTwinId";
    /** 400: the parent twin does not exist and the missing-parent policy is REJECT. */
    public static final String PARENT_TWIN_NOT_FOUND = "ParentTwinNotFound";
    /** 400: the placement relationship id is taken by a relationship to another twin. */
    public static final String PLACEMENT_CONFLICT = "PlacementConflict";
    /** 400: ADT refused an operation permanently (a 4xx other than 408/429); the message names ADT's code. */
    public static final String ADT_REJECTED = "AdtRejected";
    /** 429: ADT throttled us; DPS retries. */
    public static final String ADT_THROTTLED = "AdtThrottled";
    /** 503: ADT failed transiently (5xx, timeout, transport); DPS retries. */
    public static final String ADT_UNAVAILABLE = "AdtUnavailable";
    /** 503: an unexpected failure (a bug); the answer carries a correlation id that is also logged. */
    public static final String INTERNAL_ERROR = "InternalError";

    private AllocationErrorCodes() {
    }

    /** The metric tag form of a code: {@code InvalidRegistrationId} → {@code invalid_registration_id}. */
    static String toReasonTag(String code) {
        StringBuilder sb = new StringBuilder(code.length() + 8);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
