package io.dpstwin.core.retirement;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadGatewayException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubGatewayTimeoutException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubInternalServerErrorException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubServerBusyException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.testing.IotHubTesting.CREDENTIAL;
import static io.dpstwin.core.testing.IotHubTesting.TWO_HUBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The SDK registry is exercised with Mockito mocks of {@link RegistryClient} (final in 2.1.8; Mockito 5's inline mock
 * maker handles it): the client's HTTPS transport cannot be pointed at a local stub without JVM-wide TLS changes,
 * and what this class adds over the SDK is the mapping of answers and failures, which the mocks cover.
 */
class IotHubDeviceRegistryTest {

    private static final String KEY = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=";
    private static final String CONNECTION_STRING =
            "HostName=hub-a.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + KEY;

    private final RegistryClient hubA = mock(RegistryClient.class);
    private final RegistryClient hubB = mock(RegistryClient.class);
    private final IotHubDeviceRegistry registry = IotHubDeviceRegistry.of(clients());

    private Map<String, RegistryClient> clients() {
        Map<String, RegistryClient> clients = new LinkedHashMap<>();
        clients.put("hub-a.azure-devices.net", hubA);
        clients.put("Hub-B.azure-devices.net", hubB);
        return clients;
    }

    @Test
    void aDeviceTheHubReturnsExists() throws Exception {
        when(hubA.getDevice("dev-1")).thenReturn(new Device("dev-1"));

        assertThat(registry.deviceExists("hub-a.azure-devices.net", "dev-1")).isTrue();
        verify(hubA).getDevice("dev-1");
    }

    @Test
    void notFoundMeansTheDeviceDoesNotExist() throws Exception {
        when(hubA.getDevice("dev-1")).thenThrow(new IotHubNotFoundException("DeviceNotFound"));

        assertThat(registry.deviceExists("hub-a.azure-devices.net", "dev-1")).isFalse();
    }

    @Test
    void acceptsShortNamesAndAnyCase() throws Exception {
        when(hubB.getDevice("dev-1")).thenReturn(new Device("dev-1"));

        assertThat(registry.deviceExists("hub-b", "dev-1")).isTrue();
        assertThat(registry.deviceExists("HUB-B.AZURE-DEVICES.NET", "dev-1")).isTrue();
        assertThat(registry.hubHostNames()).containsExactly("hub-a.azure-devices.net", "Hub-B.azure-devices.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"429", "500", "502", "503", "504", "io"})
    void throttlingServerErrorsAndIoAreTransient(String failure) throws Exception {
        Exception thrown = switch (failure) {
            case "429" -> new IotHubTooManyRequestsException("throttled");
            case "500" -> new IotHubInternalServerErrorException("oops");
            case "502" -> new IotHubBadGatewayException("bad gateway");
            case "503" -> new IotHubServerBusyException("busy");
            case "504" -> new IotHubGatewayTimeoutException("timeout");
            default -> new IOException("connection reset");
        };
        when(hubA.getDevice("dev-1")).thenThrow(thrown);

        assertThatThrownBy(() -> registry.deviceExists("hub-a", "dev-1"))
                .isInstanceOfSatisfying(DeviceRegistryException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.hubHostName()).isEqualTo("hub-a.azure-devices.net");
                    assertThat(e.getMessage()).contains("dev-1").contains(thrown.getClass().getSimpleName());
                });
    }

    @Test
    void unauthorizedIsPermanent() throws Exception {
        when(hubA.getDevice("dev-1")).thenThrow(new IotHubUnauthorizedException("no access"));

        assertThatThrownBy(() -> registry.deviceExists("hub-a", "dev-1"))
                .isInstanceOfSatisfying(DeviceRegistryException.class, e -> assertThat(e.isTransient()).isFalse());
    }

    @Test
    void aHubThatIsNotConfiguredIsAPermanentFailure() {
        assertThatThrownBy(() -> registry.deviceExists("hub-z.azure-devices.net", "dev-1"))
                .isInstanceOfSatisfying(DeviceRegistryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("hub-z");
                });
    }

    @Test
    void buildsOneClientPerConnectionStringAndNeverShowsTheKey() {
        IotHubDeviceRegistry fromStrings = IotHubDeviceRegistry.fromConnectionStrings(List.of(CONNECTION_STRING,
                "HostName=hub-b.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + KEY));

        assertThat(fromStrings.hubHostNames()).containsExactly("hub-a.azure-devices.net", "hub-b.azure-devices.net");
        assertThat(fromStrings.toString()).contains("hub-a.azure-devices.net").doesNotContain(KEY)
                .doesNotContain("SharedAccessKey");
    }

    @Test
    void anInvalidConnectionStringIsReportedByPositionWithoutItsValue() {
        String broken = "HostName=hub-b.azure-devices.net;SharedAccessKey=" + KEY;

        assertThatThrownBy(() -> IotHubDeviceRegistry.fromConnectionStrings(List.of(CONNECTION_STRING, broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining(KEY)
                .hasNoCause();
    }

    @Test
    void theSameHubTwiceIsRefused() {
        assertThatThrownBy(() -> IotHubDeviceRegistry.fromConnectionStrings(List.of(CONNECTION_STRING, CONNECTION_STRING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hub-a.azure-devices.net")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> IotHubDeviceRegistry.of(Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildsClientsFromACredentialAndHostNames() {
        IotHubDeviceRegistry fromCredential = IotHubDeviceRegistry.fromCredential(TWO_HUBS, CREDENTIAL);

        assertThat(fromCredential.hubHostNames()).containsExactlyElementsOf(TWO_HUBS);
        assertThatThrownBy(() -> IotHubDeviceRegistry.fromCredential(List.of("hub-a"), CREDENTIAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host name");
    }
}
