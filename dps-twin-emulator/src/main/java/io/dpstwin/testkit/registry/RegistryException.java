package io.dpstwin.testkit.registry;

/**
 * A registry operation refused as IoT Hub refuses it: the HTTP status, IoT Hub's error code name (e.g.
 * {@code DeviceNotFound}) and its numeric code (e.g. 404001), from IoT Hub's
 * <a href="https://learn.microsoft.com/rest/api/iothub/common-error-codes">common error codes</a>. Nothing changed.
 */
public final class RegistryException extends IllegalStateException {

    private final int status;
    private final String errorCode;
    private final int numericCode;
    private final String detail;

    public RegistryException(int status, String errorCode, int numericCode, String detail) {
        super(detail + " (" + status + " " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
        this.numericCode = numericCode;
        this.detail = detail;
    }

    static RegistryException deviceNotFound(String hub, String deviceId) {
        return new RegistryException(404, "DeviceNotFound", 404001,
                "Device " + deviceId + " not found in IoT hub " + hub + ".");
    }

    static RegistryException moduleNotFound(String hub, String deviceId, String moduleId) {
        return new RegistryException(404, "ModuleNotFound", 404010,
                "Module " + moduleId + " on device " + deviceId + " not found in IoT hub " + hub + ".");
    }

    static RegistryException deviceExists(String hub, String deviceId) {
        return new RegistryException(409, "DeviceAlreadyExists", 409001,
                "A device with ID '" + deviceId + "' is already registered in IoT hub " + hub + ".");
    }

    static RegistryException moduleExists(String deviceId, String moduleId) {
        return new RegistryException(409, "ModuleAlreadyExistsOnDevice", 409301,
                "A module with ID '" + moduleId + "' is already registered on device '" + deviceId + "'.");
    }

    static RegistryException preconditionFailed(String what, String ifMatch, String etag) {
        return new RegistryException(412, "PreconditionFailed", 412001,
                "Precondition failed: the etag " + ifMatch + " does not match the current etag \"" + etag + "\" of "
                        + what + ".");
    }

    /** The HTTP status IoT Hub answers with (404, 409, 412). */
    public int status() {
        return status;
    }

    /** IoT Hub's error code name, e.g. {@code DeviceNotFound}. */
    public String errorCode() {
        return errorCode;
    }

    /** The message without status and code, as IoT Hub words it after {@code ErrorCode:<name>;}. */
    public String detail() {
        return detail;
    }

    /** IoT Hub's numeric error code, e.g. 404001. */
    public int numericCode() {
        return numericCode;
    }
}
