package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * The outcome of a device's latest registration in the {@link DpsEmulator}, as DPS reports it in
 * {@code registrationState} (https://learn.microsoft.com/rest/api/iot-dps/device/runtime-registration/register-device).
 *
 * @param registrationId the registration id
 * @param status         {@code assigned}, {@code failed} or {@code disabled}
 * @param assignedHub    the hub host name, null unless assigned
 * @param deviceId       the IoT Hub device id, null unless assigned
 * @param substatus      {@code initialAssignment}, {@code deviceDataMigrated} or {@code deviceDataReset}; null unless
 *                       assigned
 * @param errorCode      DPS's error code (e.g. 400207), 0 unless failed
 * @param errorMessage   the error message, null unless failed or disabled
 * @param payload        the webhook's {@code payload} returned to the device, or null
 * @param enrollmentGroupId the group the device registered through, or null for an individual enrollment
 * @param created        when the registration record was first created
 * @param lastUpdated    when this outcome was reached
 * @param etag           the record's etag
 */
public record DeviceRegistration(String registrationId, String status, String assignedHub, String deviceId,
                                 String substatus, int errorCode, String errorMessage, JsonNode payload,
                                 String enrollmentGroupId, Instant created, Instant lastUpdated, String etag) {

    /** Whether the device was assigned to a hub. */
    public boolean isAssigned() {
        return "assigned".equals(status);
    }

    /** {@code registrationState} as DPS sends it to the device. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("registrationId", registrationId);
        json.put("createdDateTimeUtc", created.toString());
        if (assignedHub != null) {
            json.put("assignedHub", assignedHub);
            json.put("deviceId", deviceId);
        }
        json.put("status", status);
        if (substatus != null) {
            json.put("substatus", substatus);
        }
        if (enrollmentGroupId != null) {
            json.putObject("symmetricKey").put("enrollmentGroupId", enrollmentGroupId);
        }
        if (errorCode != 0) {
            json.put("errorCode", errorCode);
        }
        if (errorMessage != null) {
            json.put("errorMessage", errorMessage);
        }
        json.put("lastUpdatedDateTimeUtc", lastUpdated.toString());
        json.put("etag", etag);
        if (payload != null) {
            json.set("payload", payload.deepCopy());
        }
        return json;
    }
}
