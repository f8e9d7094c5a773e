package io.dpstwin.core.reconcile;

import io.dpstwin.core.DpsTwinMeters;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubInternalServerErrorException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import io.dpstwin.core.twins.RetryBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.testing.IotHubTesting.CREDENTIAL;
import static io.dpstwin.core.testing.IotHubTesting.TWO_HUBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The SDK inventory runs against a Mockito mock of {@link QueryClient} (final in 2.1.8; Mockito 5's inline mock maker
 * handles it) that answers with real {@code RawQueryResponse} pages, so the SDK's own paging code (fetch the next page
 * when the current one is used up, via {@code queryRaw} with the continuation token) runs for real. Not covered: the
 * SDK's HTTPS transport, its headers and its mapping of HTTP statuses to exceptions (the client cannot be pointed at
 * a local server without JVM-wide TLS changes); the mocks throw the exceptions that mapping produces.
 */
class IotHubDeviceInventoryTest {

    private static final String HUB = "hub-a.azure-devices.net";
    private static final String QUERY = IotHubDeviceInventory.DEVICES_QUERY;
    private static final String KEY = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=";

    private final QueryClient client = mock(QueryClient.class);

    private static String row(String deviceId) {
        return "{\"deviceId\":\"" + deviceId + "\",\"status\":\"enabled\",\"tags\":{}}";
    }

    private static QueryPageOptions firstPage() {
        return argThat(options -> options != null && options.getContinuationToken() == null);
    }

    private static QueryPageOptions pageAfter(String token) {
        return argThat(options -> options != null && token.equals(options.getContinuationToken()));
    }

    @Test
    void theQueryIsSelectStarFromDevices() {
        assertThat(QUERY).isEqualToIgnoringCase("SELECT * FROM devices");
    }

    @Test
    void aCursorWalksEveryPageAndAsksForAThousandDevicesEachTime() throws Exception {
        when(client.queryRaw(eq(QUERY), firstPage()))
                .thenReturn(QueryResponses.page(client, QUERY, "t1", row("d1"), row("d2")));
        when(client.queryRaw(eq(QUERY), pageAfter("t1")))
                .thenReturn(QueryResponses.page(client, QUERY, "t2", row("d3")));
        when(client.queryRaw(eq(QUERY), pageAfter("t2")))
                .thenReturn(QueryResponses.page(client, QUERY, null, row("d4"), row("d5")));
        DeviceCursor cursor = IotHubDeviceInventory.of(Map.of(HUB, client)).listDevices("HUB-A");

        assertThat(cursor.hasMorePages()).isTrue();
        List<DeviceRecord> devices = FakeInventory.drain(cursor);

        assertThat(devices).extracting(DeviceRecord::deviceId).containsExactly("d1", "d2", "d3", "d4", "d5");
        assertThat(devices).allSatisfy(d -> assertThat(d.hubHostName()).isEqualTo(HUB));
        assertThat(cursor.requestsSent()).isEqualTo(3);
        assertThat(cursor.hasMorePages()).isFalse();
        ArgumentCaptor<QueryPageOptions> options = ArgumentCaptor.forClass(QueryPageOptions.class);
        verify(client, times(3)).queryRaw(eq(QUERY), options.capture());
        assertThat(options.getAllValues()).extracting(QueryPageOptions::getPageSize).containsOnly(1000);
    }

    @Test
    void aThrottledPageRequestLeavesTheCursorWhereItWasSoItCanBeRepeated() throws Exception {
        when(client.queryRaw(eq(QUERY), firstPage()))
                .thenReturn(QueryResponses.page(client, QUERY, "t1", row("d1")));
        when(client.queryRaw(eq(QUERY), pageAfter("t1")))
                .thenThrow(new IotHubTooManyRequestsException("throttled"))
                .thenReturn(QueryResponses.page(client, QUERY, null, row("d2")));
        DeviceCursor cursor = IotHubDeviceInventory.of(Map.of(HUB, client)).listDevices(HUB);

        assertThat(cursor.next()).get().extracting(DeviceRecord::deviceId).isEqualTo("d1");
        assertThatThrownBy(cursor::next)
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.isThrottled()).isTrue();
                    assertThat(e.hubHostName()).isEqualTo(HUB);
                    assertThat(e.retryAfter()).isEmpty();
                });
        assertThat(cursor.requestsSent()).isEqualTo(2);
        assertThat(cursor.next()).get().extracting(DeviceRecord::deviceId).isEqualTo("d2");
        assertThat(cursor.next()).isEmpty();
        assertThat(cursor.requestsSent()).isEqualTo(3);
    }

    @Test
    void theReconcilersListingRetriesAThrottledSdkQueryWithBackoff() throws Exception {
        when(client.queryRaw(eq(QUERY), firstPage()))
                .thenThrow(new IotHubTooManyRequestsException("throttled"))
                .thenReturn(QueryResponses.page(client, QUERY, "t1", row("d1")));
        when(client.queryRaw(eq(QUERY), pageAfter("t1")))
                .thenThrow(new IotHubTooManyRequestsException("throttled"))
                .thenThrow(new IotHubInternalServerErrorException("oops"))
                .thenReturn(QueryResponses.page(client, QUERY, null, row("d2")));
        IotHubDeviceInventory inventory = IotHubDeviceInventory.of(Map.of(HUB, client));
        List<Duration> sleeps = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeviceListing listing = new DeviceListing(inventory, new HubLimiters(100_000, 100_000),
                RetryBudget.builder().maxAttempts(4).initialBackoff(Duration.ofSeconds(5))
                        .maxBackoff(Duration.ofSeconds(60)).build(),
                sleeps::add, System::nanoTime, meters);

        List<DeviceRecord> devices = listing.list(HUB, count -> { });

        assertThat(devices).extracting(DeviceRecord::deviceId).containsExactly("d1", "d2");
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(2500), Duration.ofMillis(7500));
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(2500), Duration.ofMillis(7500));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(5000), Duration.ofMillis(15000));
        assertThat(meters.get(DpsTwinMeters.RETRY_RETRIES).tag("retry", "iothub.query").tag("failure", "429")
                .counter().count()).isEqualTo(2.0);
        assertThat(meters.get(DpsTwinMeters.RETRY_RETRIES).tag("retry", "iothub.query").tag("failure", "500")
                .counter().count()).isEqualTo(1.0);
        verify(client, times(5)).queryRaw(eq(QUERY), any());
    }

    @Test
    void anUnauthorizedHubIsAPermanentFailureAndIsNotRetried() throws Exception {
        when(client.queryRaw(eq(QUERY), any())).thenThrow(new IotHubUnauthorizedException("no"));
        IotHubDeviceInventory inventory = IotHubDeviceInventory.of(Map.of(HUB, client));
        List<Duration> sleeps = new ArrayList<>();
        DeviceListing listing = new DeviceListing(inventory, new HubLimiters(100_000, 100_000),
                RetryBudget.lifecycle(), sleeps::add, System::nanoTime, new SimpleMeterRegistry());

        assertThatThrownBy(() -> listing.list(HUB, count -> { }))
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains(HUB).contains("IotHubUnauthorizedException");
                });
        assertThat(sleeps).isEmpty();
        verify(client, times(1)).queryRaw(eq(QUERY), any());
    }

    @Test
    void ioAndRuntimeFailuresAreTransient() throws Exception {
        when(client.queryRaw(eq(QUERY), any()))
                .thenThrow(new IOException("connection reset"))
                .thenThrow(new IllegalStateException("token unavailable"));
        DeviceCursor cursor = IotHubDeviceInventory.of(Map.of(HUB, client)).listDevices(HUB);

        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class,
                e -> assertThat(e.isTransient()).isTrue());
        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class,
                e -> assertThat(e.isTransient()).isTrue());
    }

    @Test
    void anEmptyPageWithAContinuationTokenIsSkipped() throws Exception {
        when(client.queryRaw(eq(QUERY), firstPage())).thenReturn(QueryResponses.page(client, QUERY, "t1"));
        when(client.queryRaw(eq(QUERY), pageAfter("t1")))
                .thenReturn(QueryResponses.page(client, QUERY, null, row("d1")));
        DeviceCursor cursor = IotHubDeviceInventory.of(Map.of(HUB, client)).listDevices(HUB);

        assertThat(FakeInventory.drain(cursor)).extracting(DeviceRecord::deviceId).containsExactly("d1");
        assertThat(cursor.requestsSent()).isEqualTo(2);
    }

    @Test
    void aRowIsReadForTagsModelAndTheLatestChange() {
        String row = "{\"deviceId\":\"dev'1\",\"etag\":\"AAAAAAAAAAc=\",\"status\":\"enabled\","
                + "\"statusUpdateTime\":\"2026-01-02T03:04:05.1234567Z\","
                + "\"lastActivityTime\":\"2026-11-26T09:59:59Z\",\"modelId\":\"dtmi:com:example:Pnp;1\","
                + "\"tags\":{\"dtId\":\"twin-1\",\"dtmi\":\"dtmi:com:example:Thermostat;1\",\"site\":{\"a\":1}},"
                + "\"properties\":{\"desired\":{\"$metadata\":{\"$lastUpdated\":\"2026-03-04T05:06:07.89Z\"},"
                + "\"$version\":1},\"reported\":{\"$metadata\":{\"$lastUpdated\":\"2026-11-26T09:00:00Z\"}}}}";

        DeviceRecord device = IotHubDeviceInventory.parse(HUB, row).orElseThrow();

        assertThat(device.deviceId()).isEqualTo("dev'1");
        assertThat(device.twinIdTag()).isEqualTo("twin-1");
        assertThat(device.modelTag()).isEqualTo("dtmi:com:example:Thermostat;1");
        assertThat(device.modelId()).isEqualTo("dtmi:com:example:Pnp;1");
        assertThat(device.lastChanged()).isEqualTo(Instant.parse("2026-03-04T05:06:07.89Z"));
    }

    @Test
    void theOlderStatusUpdatedTimeSpellingAndZonelessTimesAreRead() {
        String row = "{\"deviceId\":\"d\",\"statusUpdatedTime\":\"2026-05-06T07:08:09\"}";

        assertThat(IotHubDeviceInventory.parse(HUB, row)).get().extracting(DeviceRecord::lastChanged)
                .isEqualTo(Instant.parse("2026-05-06T07:08:09Z"));
    }

    @Test
    void yearOneMeansNeverAndNonTextTagsAreIgnored() {
        String row = "{\"deviceId\":\"d\",\"statusUpdateTime\":\"0001-01-01T00:00:00\",\"tags\":{\"dtId\":5,"
                + "\"dtmi\":{\"x\":1}},\"properties\":{\"desired\":{\"$metadata\":"
                + "{\"$lastUpdated\":\"0001-01-01T00:00:00Z\"}}}}";

        DeviceRecord device = IotHubDeviceInventory.parse(HUB, row).orElseThrow();

        assertThat(device.lastChanged()).isNull();
        assertThat(device.twinIdTag()).isNull();
        assertThat(device.modelTag()).isNull();
    }

    @Test
    void moduleRowsAndRowsWithoutADeviceIdAreNotDevices() {
        assertThat(IotHubDeviceInventory.parse(HUB, "{\"deviceId\":\"d\",\"moduleId\":\"m\"}")).isEmpty();
        assertThat(IotHubDeviceInventory.parse(HUB, "{\"status\":\"enabled\"}")).isEmpty();
    }

    @Test
    void aHubTheInventoryDoesNotServeIsRefused() {
        IotHubDeviceInventory inventory = IotHubDeviceInventory.of(Map.of(HUB, client));

        assertThatThrownBy(() -> inventory.listDevices("hub-z.azure-devices.net"))
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> assertThat(e.isTransient()).isFalse());
    }

    @Test
    void connectionStringsAreNeverShownOrKept() {
        String valid = "HostName=hub-a.azure-devices.net;SharedAccessKeyName=registryRead;SharedAccessKey=" + KEY;
        IotHubDeviceInventory inventory = IotHubDeviceInventory.fromConnectionStrings(List.of(valid));

        assertThat(inventory.hubHostNames()).containsExactly(HUB);
        assertThat(inventory.toString()).doesNotContain(KEY).contains(HUB);
        assertThatThrownBy(() -> IotHubDeviceInventory.fromConnectionStrings(
                List.of(valid, "HostName=hub-b;SharedAccessKey=" + KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> IotHubDeviceInventory.fromConnectionStrings(List.of(valid, valid)))
                .hasMessageContaining("again");
    }

    @Test
    void aCredentialInventoryHasOneClientPerHostName() {
        IotHubDeviceInventory inventory = IotHubDeviceInventory.fromCredential(TWO_HUBS, CREDENTIAL);

        assertThat(inventory.hubHostNames()).containsExactlyElementsOf(TWO_HUBS);
        assertThatThrownBy(() -> IotHubDeviceInventory.fromCredential(List.of("hub-a"), CREDENTIAL))
                .hasMessageContaining("not an IoT hub host name");
        assertThatThrownBy(() -> IotHubDeviceInventory.fromCredential(
                List.of("hub-a.azure-devices.net", "HUB-A.azure-devices.net"), CREDENTIAL))
                .hasMessageContaining("twice");
    }

    @Test
    void thePageSizeIsConfigurable() {
        assertThat(IotHubDeviceInventory.of(Map.of(HUB, client), 100).pageSize()).isEqualTo(100);
        assertThatThrownBy(() -> IotHubDeviceInventory.of(Map.of(HUB, client), 0)).hasMessageContaining("pageSize");
        assertThatThrownBy(() -> IotHubDeviceInventory.of(Map.of())).hasMessageContaining("at least one");
    }

    @Test
    void aRowThatIsNotJsonIsAPermanentFailure() {
        assertThatThrownBy(() -> IotHubDeviceInventory.parse(HUB, "{nope"))
                .isInstanceOfSatisfying(DeviceInventoryException.class, e -> assertThat(e.isTransient()).isFalse());
    }
}
