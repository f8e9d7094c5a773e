package io.dpstwin.testkit.iothub.emulator;

import com.azure.core.credential.AzureSasCredential;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubConflictException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.Module;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.reconcile.IotHubDeviceInventory;
import io.dpstwin.testkit.registry.RegisteredDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hub's service API driven by the official {@code iot-service-client} 2.1.8 ({@code RegistryClient},
 * {@code QueryClient}) over HTTPS with service SAS tokens, and refusals of malformed requests.
 */
class RegistryClientOnHubEmulatorTest extends OnHubEmulatorWithServiceClients {

    @BeforeEach
    void clean() {
        emulator.registry().clear();
        registry = hub.registryClient();
    }

    @Test
    void createsAndGetsADeviceWithTheKeysTheClientChose() throws Exception {
        Device device = new Device("thermo-1");

        Device created = registry.addDevice(device);
        Device read = registry.getDevice("thermo-1");

        assertThat(created.getDeviceId()).isEqualTo("thermo-1");
        assertThat(created.getETag()).isNotBlank();
        assertThat(created.getGenerationId()).isNotBlank();
        assertThat(created.getPrimaryKey()).isEqualTo(device.getPrimaryKey());
        assertThat(created.getStatus()).isEqualTo(DeviceStatus.Enabled);
        assertThat(read.getETag()).isEqualTo(created.getETag());
        assertThat(read.getSecondaryKey()).isEqualTo(device.getSecondaryKey());
        assertThat(emulator.registry().device(HUB, "thermo-1")).map(d -> d.authentication().primaryKey())
                .contains(device.getPrimaryKey());
        assertThat(emulator.registry().device(OTHER_HUB, "thermo-1")).as("hubs have their own registries").isEmpty();
    }

    @Test
    void aSecondCreateOfTheSameIdIsAConflict() throws Exception {
        registry.addDevice(new Device("thermo-1"));

        assertThatThrownBy(() -> registry.addDevice(new Device("thermo-1")))
                .isInstanceOf(IotHubConflictException.class)
                .hasMessageContaining("DeviceAlreadyExists");
    }

    @Test
    void anUpdateChangesTheEtagAndAStaleEtagIsRefusedWith412() throws Exception {
        Device created = registry.addDevice(new Device("thermo-1"));
        created.setStatus(DeviceStatus.Disabled);

        Device updated = registry.updateDevice(created);

        assertThat(updated.getStatus()).isEqualTo(DeviceStatus.Disabled);
        assertThat(updated.getETag()).isNotEqualTo(created.getETag());
        // RegistryClient.updateDevice always sends If-Match: *; removeDevice(Device) sends the device's etag
        assertThatThrownBy(() -> registry.removeDevice(created))
                .isInstanceOf(IotHubPreconditionFailedException.class)
                .hasMessageContaining("PreconditionFailed");
        assertThat(registry.getDevice("thermo-1").getETag()).isEqualTo(updated.getETag());
        // the REST API's own If-Match on an update, as the docs and other SDKs send it
        HttpResponse<String> stale = send(HttpRequest.newBuilder(uri("/devices/thermo-1"))
                .header("If-Match", "\"" + created.getETag() + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"thermo-1\",\"status\":\"enabled\"}")));
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.body()).contains("ErrorCode:PreconditionFailed;");
        assertThat(registry.getDevice("thermo-1").getStatus()).isEqualTo(DeviceStatus.Disabled);

        registry.removeDevice(updated);

        assertThat(emulator.registry().device(HUB, "thermo-1")).isEmpty();
    }

    @Test
    void deletesADeviceAndAMissingDeviceIs404() throws Exception {
        registry.addDevice(new Device("thermo-1"));

        registry.removeDevice("thermo-1");

        assertThatThrownBy(() -> registry.getDevice("thermo-1"))
                .isInstanceOfSatisfying(IotHubNotFoundException.class,
                        e -> assertThat(e.getMessage()).contains("ErrorCode:DeviceNotFound"));
        assertThatThrownBy(() -> registry.removeDevice("thermo-1")).isInstanceOf(IotHubNotFoundException.class);
        assertThatThrownBy(() -> registry.getDevice("never-there")).isInstanceOf(IotHubNotFoundException.class);
    }

    @Test
    void modulesAreCreatedListedAndDeletedWithTheirDevice() throws Exception {
        registry.addDevice(new Device("edge-1"));

        Module module = registry.addModule(new Module("edge-1", "sensor"));

        assertThat(module.getId()).isEqualTo("sensor");
        assertThat(registry.getModulesOnDevice("edge-1")).extracting(Module::getId).containsExactly("sensor");
        assertThat(registry.getModule("edge-1", "sensor").getETag()).isEqualTo(module.getETag());
        registry.removeModule("edge-1", "sensor");
        assertThatThrownBy(() -> registry.getModule("edge-1", "sensor")).isInstanceOf(IotHubNotFoundException.class);
        registry.addModule(new Module("edge-1", "sensor"));
        registry.removeDevice("edge-1");
        assertThat(emulator.registry().modules(HUB, "edge-1")).isEmpty();
    }

    @Test
    void theDeviceQueryPagesWithContinuationTokens() throws Exception {
        for (int i = 0; i < 7; i++) {
            emulator.registry().createDevice(HUB, "dev-" + i, null, true, null,
                    Map.of("dtId", "twin-" + i), null, null);
        }
        emulator.registry().createDevice(OTHER_HUB, "elsewhere", null, true, null, null, null, null);
        QueryPageOptions pages = QueryPageOptions.builder().pageSize(3).build();

        TwinQueryResponse first = hub.queryClient().queryTwins("SELECT * FROM devices", pages);
        List<String> ids = new ArrayList<>();
        while (first.hasNext()) {
            ids.add(first.next(pages).getDeviceId());
        }

        assertThat(ids).containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6");
        TwinQueryResponse filtered = hub.queryClient().queryTwins("SELECT * FROM devices WHERE tags.dtId = 'twin-4'");
        assertThat(filtered.next().getDeviceId()).isEqualTo("dev-4");
        assertThat(filtered.hasNext()).isFalse();
    }

    @Test
    void coresDeviceInventoryListsTheHubThroughTheSdkAcrossPages() {
        for (int i = 0; i < 5; i++) {
            emulator.registry().createDevice(HUB, "dev-" + i, null, true, null,
                    Map.of("dtId", "twin-" + i, "dtmi", "dtmi:com:example:Thermostat;1"), null, null);
        }
        IotHubDeviceInventory inventory = IotHubDeviceInventory.of(Map.of(HUB, hub.queryClient()), 2);

        DeviceCursor cursor = inventory.listDevices(HUB);
        List<DeviceRecord> records = new ArrayList<>();
        for (Optional<DeviceRecord> next = cursor.next(); next.isPresent(); next = cursor.next()) {
            records.add(next.get());
        }

        assertThat(records).extracting(DeviceRecord::deviceId)
                .containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4");
        assertThat(records).extracting(DeviceRecord::twinIdTag)
                .containsExactly("twin-0", "twin-1", "twin-2", "twin-3", "twin-4");
        assertThat(cursor.requestsSent()).as("3 pages of 2").isEqualTo(3);
    }

    @Test
    void badTokensAreRefusedWith401AndTheHubKeepsServing() throws Exception {
        String otherHubsToken = emulator.hub(OTHER_HUB).serviceSasToken(Duration.ofHours(1));
        String expired = hub.serviceSasToken(Duration.ofSeconds(-5));
        String wrongKey = SasTokens.create(HUB, "iothubowner", SharedAccessPolicy.generate("x").primaryKey(),
                java.time.Instant.now().plusSeconds(3600));
        String unknownPolicy = SasTokens.create(HUB, "registryRead", hub.sharedAccessKey(),
                java.time.Instant.now().plusSeconds(3600));

        for (String token : List.of(otherHubsToken, expired, wrongKey, unknownPolicy, "Bearer abc",
                "SharedAccessSignature sr=" + HUB)) {
            RegistryClient client = new RegistryClient(hub.serviceHost(), new AzureSasCredential(token));
            assertThatThrownBy(() -> client.addDevice(new Device("intruder")))
                    .isInstanceOf(IotHubUnauthorizedException.class);
        }

        assertThat(emulator.registry().device(HUB, "intruder")).isEmpty();
        assertThat(hub.serviceRequests(401)).isGreaterThanOrEqualTo(6);
        assertThat(registry.addDevice(new Device("welcome")).getDeviceId()).isEqualTo("welcome");
    }

    @Test
    void malformedRequestsGetIotHubsErrorsAndChangeNothing() throws Exception {
        HttpResponse<String> notJson = send(HttpRequest.newBuilder(uri("/devices/dev-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":")));
        HttpResponse<String> mismatch = send(HttpRequest.newBuilder(uri("/devices/dev-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"dev-2\"}")));
        HttpResponse<String> badStatus = send(HttpRequest.newBuilder(uri("/devices/dev-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"dev-1\",\"status\":\"sleepy\"}")));
        HttpResponse<String> badKey = send(HttpRequest.newBuilder(uri("/devices/dev-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"authentication\":{\"type\":\"sas\","
                        + "\"symmetricKey\":{\"primaryKey\":\"not base64!\",\"secondaryKey\":\"\"}}}")));
        HttpResponse<String> oversized = send(HttpRequest.newBuilder(uri("/devices/dev-1"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"x\":\"" + "a".repeat(70_000) + "\"}")));
        HttpResponse<String> badQuery = send(HttpRequest.newBuilder(uri("/devices/query"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"DROP TABLE devices\"}")));
        HttpResponse<String> badContinuation = send(HttpRequest.newBuilder(uri("/devices/query"))
                .header("x-ms-continuation", "***")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT * FROM devices\"}")));
        HttpResponse<String> unknownPath = send(HttpRequest.newBuilder(uri("/jobs/v2/x")).GET());
        HttpResponse<String> noApiVersion = send(HttpRequest.newBuilder(
                URI.create(hub.serviceEndpoint() + "/devices/dev-1")).GET());

        assertThat(List.of(notJson, mismatch, badStatus, badKey, badQuery, badContinuation))
                .allSatisfy(r -> {
                    assertThat(r.statusCode()).isEqualTo(400);
                    assertThat(r.body()).startsWith("{\"Message\":\"ErrorCode:ArgumentInvalid;");
                    assertThat(r.headers().firstValue("iothub-errorcode")).contains("ArgumentInvalid");
                    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                            t -> assertThat(t).startsWith("application/json"));
                });
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(noApiVersion.statusCode()).isEqualTo(400);
        assertThat(emulator.registry().devices(HUB)).isEmpty();
        assertThat(registry.addDevice(new Device("dev-1")).getDeviceId()).isEqualTo("dev-1");
    }

    @Test
    void theServiceEndpointIsHttpsOnItsOwnPortPerHub() {
        assertThat(hub.serviceEndpoint()).isEqualTo("https://localhost:" + hub.port());
        assertThat(emulator.hub(OTHER_HUB).port()).isNotEqualTo(hub.port());
        assertThat(emulator.hub("contoso-hub-2")).isSameAs(emulator.hub(OTHER_HUB));
        assertThat(hub.connectionString()).startsWith("HostName=" + HUB + ";SharedAccessKeyName=iothubowner;");
        RegisteredDevice device = emulator.registry().add(HUB, "dev-9");
        assertThat(hub.deviceConnectionString("dev-9"))
                .isEqualTo("HostName=" + HUB + ";DeviceId=dev-9;SharedAccessKey="
                        + device.authentication().primaryKey());
    }

    private static URI uri(String path) {
        return URI.create(hub.serviceEndpoint() + path + "?api-version=2021-04-12");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build();
        return client.send(request.header("Authorization", hub.serviceSasToken(Duration.ofMinutes(5)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
