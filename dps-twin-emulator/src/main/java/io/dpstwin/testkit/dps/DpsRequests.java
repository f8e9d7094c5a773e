package io.dpstwin.testkit.dps;

import java.time.Instant;

/**
 * Entry point for DPS custom-allocation requests ({@code AllocationRequest}) as DPS POSTs them to a webhook.
 *
 * <pre>{@code
 * String body = DpsRequests.group("my-group").registrationId("dev-1")
 *         .linkedHubs("hub-a.azure-devices.net").modelId("dtmi:com:example:Thermostat;1").toJson();
 * String again = DpsRequests.individual("dev-2").deviceId("device-two").tpm()
 *         .reRegistration("hub-a.azure-devices.net").toJson();
 * }</pre>
 */
public final class DpsRequests {

    /** The linked hub used when none is given. */
    public static final String DEFAULT_LINKED_HUB = "dps-twin-test-hub.azure-devices.net";

    private DpsRequests() {
    }

    /** A request from a device registering through the enrollment group {@code enrollmentGroupId}. */
    public static AllocationRequestBuilder group(String enrollmentGroupId) {
        return AllocationRequestBuilder.group(enrollmentGroupId);
    }

    /** A request from a device registering through the individual enrollment {@code registrationId}. */
    public static AllocationRequestBuilder individual(String registrationId) {
        return AllocationRequestBuilder.individual(registrationId);
    }

    /**
     * The request logged in Microsoft's custom allocation tutorial: toaster {@code breakroom499-contoso-tstrsd-007}
     * re-registering through group {@code contoso-custom-allocated-devices}, with its firmware payload, reproduced
     * field by field (etag and timestamps included).
     */
    public static AllocationRequestBuilder tutorialToasterReRegistration() {
        String toasters = "contoso-toasters-hub-1098.azure-devices.net";
        String heatPumps = "contoso-heatpumps-hub-1098.azure-devices.net";
        Instant created = Instant.parse("2022-08-03T17:15:10.8464255Z");
        return group("contoso-custom-allocated-devices")
                .etag("\"0000f176-0000-0700-0000-62eaad1e0000\"")
                .createdAt(created)
                .lastUpdatedAt(created)
                .webhookUrl("https://contoso-function-app-1098.azurewebsites.net/api/HttpTrigger1?code=redacted")
                .registrationId("breakroom499-contoso-tstrsd-007")
                .reRegistration(toasters)
                .payloadField("MyDeviceFirmwareVersion", "12.0.2.5")
                .payloadField("MyDeviceProvisioningVersion", "1.0.0.0")
                .linkedHubs(toasters, heatPumps);
    }

}
