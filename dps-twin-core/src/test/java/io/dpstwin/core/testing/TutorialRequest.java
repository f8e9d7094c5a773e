package io.dpstwin.core.testing;

/** A real allocation request, shared by the tests of its parser and of the emulator's request builder (core's test-jar). */
public final class TutorialRequest {

    /**
     * The request logged in the DPS custom allocation tutorial, verbatim (a re-registration with a payload):
     * https://learn.microsoft.com/azure/iot-dps/tutorial-custom-allocation-policies
     */
    public static final String LOGGED = """
            {"enrollmentGroup":{"enrollmentGroupId":"contoso-custom-allocated-devices",
              "attestation":{"type":"symmetricKey"},
              "capabilities":{"iotEdge":false},
              "etag":"\\"0000f176-0000-0700-0000-62eaad1e0000\\"",
              "provisioningStatus":"enabled",
              "reprovisionPolicy":{"updateHubAssignment":true,"migrateDeviceData":true},
              "createdDateTimeUtc":"2022-08-03T17:15:10.8464255Z","lastUpdatedDateTimeUtc":"2022-08-03T17:15:10.8464255Z",
              "allocationPolicy":"custom",
              "iotHubs":["contoso-toasters-hub-1098.azure-devices.net","contoso-heatpumps-hub-1098.azure-devices.net"],
              "customAllocationDefinition":{"webhookUrl":"https://contoso-function-app-1098.azurewebsites.net/api/HttpTrigger1?****","apiVersion":"2021-10-01"}},
             "deviceRuntimeContext":{"registrationId":"breakroom499-contoso-tstrsd-007",
              "currentIotHubHostName":"contoso-toasters-hub-1098.azure-devices.net",
              "currentDeviceId":"breakroom499-contoso-tstrsd-007",
              "symmetricKey":{},
              "payload":{"MyDeviceFirmwareVersion":"12.0.2.5","MyDeviceProvisioningVersion":"1.0.0.0"}},
             "linkedHubs":["contoso-toasters-hub-1098.azure-devices.net","contoso-heatpumps-hub-1098.azure-devices.net"]}
            """;

    private TutorialRequest() {
    }
}
