package io.dpstwin.core.allocation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.support.Json;
import io.dpstwin.core.testing.TutorialRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestTreeReader} must give exactly what Jackson's binding of the records gives, for every request it
 * reads, and leave every other shape to that binding.
 */
class RequestTreeReaderTest {

    private static ObjectNode tree(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static AllocationRequest bound(ObjectNode tree) throws Exception {
        return Json.MAPPER.treeToValue(tree, AllocationRequest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        TutorialRequest.LOGGED,
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""",
        """
        {}""",
        """
        {"enrollmentGroup":null,"individualEnrollment":null,"deviceRuntimeContext":null,"linkedHubs":null}""",
        """
        {"individualEnrollment":{"registrationId":"reg-1","deviceId":"Device-One","attestation":{"type":"tpm","x":1},
           "capabilities":{"iotEdge":true},"reprovisionPolicy":{"updateHubAssignment":false,"migrateDeviceData":null},
           "iotHubs":["a",null,"b"],"allocationPolicy":"custom","provisioningStatus":"enabled",
           "initialTwin":{"tags":{"site":"plant-1","n":{"deep":[1,2,{"x":null}]}},
                          "properties":{"desired":{"mode":"eco","t":21.5},"reported":{"ignored":true}}}},
         "deviceRuntimeContext":{"registrationId":"reg-1","tpm":{"endorsementKey":"AToAAQ","storageRootKey":"x"},
           "currentIoTHubHostName":"h.azure-devices.net","currentDeviceId":"d"},
         "linkedHubs":["h.azure-devices.net",null]}""",
        """
        {"enrollmentGroup":{"enrollmentGroupId":"g","attestation":null,"capabilities":null,"reprovisionPolicy":null,
           "iotHubs":null,"initialTwin":{"tags":null,"properties":null},"newField":{"x":[1]}},
         "deviceRuntimeContext":{"registrationId":"dev-1","x509":"opaque","symmetricKey":[1,"a",true,null],
           "currentIoTHubHostname":"h","somethingNew":[1,2],
           "payload":{"modelId":"dtmi:com:example:Thermostat;1","int":7,"negative":-3,"long":12345678901,
             "big":123456789012345678901234567890,"double":1.5,"exp":1e300,"zero":0.0,"bool":false,"none":null,
             "list":[[],[{}]],"text":"\\u00e9\\n"}},
         "linkedHubs":[],"future":1}""",
        """
        {"enrollmentGroup":{"enrollmentGroupId":"g","initialTwin":{"properties":{"desired":null}}},
         "deviceRuntimeContext":{"registrationId":"dev-1","payload":null,"tpm":null},"linkedHubs":["h"]}"""
    })
    void readsWhatJacksonBinds(String json) throws Exception {
        ObjectNode tree = tree(json);

        AllocationRequest read = RequestTreeReader.read(tree);

        assertThat(read).isNotNull().isEqualTo(bound(tree));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        """
        {"deviceRuntimeContext":{"RegistrationId":"dev-1"},"linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1","CURRENTIOTHUBHOSTNAME":"h"},"linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1","currentIotHubHostName":"a",
           "currentIoTHubHostName":"b"},"linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1","payload":"{\\"modelId\\":\\"dtmi:a:b;1\\"}"},
         "linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":42},"linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":"h"}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h",7]}""",
        """
        {"deviceRuntimeContext":"dev-1","linkedHubs":["h"]}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1","payload":[1]},"linkedHubs":["h"]}""",
        """
        {"enrollmentGroup":{"enrollmentGroupId":"g","reprovisionPolicy":{"updateHubAssignment":"true"}},
         "deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""",
        """
        {"enrollmentGroup":{"enrollmentGroupId":"g","initialTwin":{"tags":[]}},
         "deviceRuntimeContext":{"registrationId":"dev-1"},"linkedHubs":["h"]}""",
        """
        {"enrollmentGroup":{"enrollmentGroupId":{"id":"g"}},"deviceRuntimeContext":{"registrationId":"dev-1"}}""",
        """
        {"deviceRuntimeContext":{"registrationId":"dev-1","payload":{"huge":1e999}},"linkedHubs":["h"]}"""
    })
    void leavesEveryOtherShapeToJackson(String json) throws Exception {
        assertThat(RequestTreeReader.read(tree(json))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "12345678901", "123456789012345678901234567890", "-0", "2.5", "1E3"})
    void readsNumbersAsJacksonsUntypedBindingDoes(String number) throws Exception {
        ObjectNode tree = tree("""
                {"deviceRuntimeContext":{"registrationId":"dev-1","payload":{"n":%s,"list":[%s]}}}"""
                .formatted(number, number));

        Map<String, Object> payload = RequestTreeReader.read(tree).deviceRuntimeContext().payload();
        Map<String, Object> bound = bound(tree).deviceRuntimeContext().payload();

        assertThat(payload.get("n")).isEqualTo(bound.get("n")).hasSameClassAs(bound.get("n"));
        assertThat((List<?>) payload.get("list")).singleElement().hasSameClassAs(bound.get("n"));
        assertThat(payload.get("n")).isInstanceOfAny(Integer.class, Long.class, BigInteger.class, Double.class);
    }
}
