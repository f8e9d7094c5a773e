package io.dpstwin.testkit.registry;

import io.dpstwin.core.reconcile.DeviceCursor;
import io.dpstwin.core.reconcile.DeviceInventoryException;
import io.dpstwin.core.reconcile.DeviceRecord;
import io.dpstwin.core.retirement.DeviceRegistryException;
import io.dpstwin.testkit.emulator.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryDeviceRegistryTest {

    private static final String HUB_A = "hub-a.azure-devices.net";
    private static final String HUB_B = "hub-b.azure-devices.net";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final InMemoryDeviceRegistry hubs = InMemoryDeviceRegistry.builder()
            .hubs(HUB_A, HUB_B)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .pageSize(3)
            .build();

    private static List<DeviceRecord> drain(DeviceCursor cursor) {
        List<DeviceRecord> devices = new ArrayList<>();
        for (Optional<DeviceRecord> next = cursor.next(); next.isPresent(); next = cursor.next()) {
            devices.add(next.get());
        }
        return devices;
    }

    @Test
    void aRegisteredDeviceIsListedWithItsTagsModelAndChangeTime() {
        hubs.add(HUB_A, "dev-1", Map.of("dtId", "room-1", "dtmi", "dtmi:com:example:Room;1", "floor", 3),
                "dtmi:com:example:Pnp;1");

        assertThat(drain(hubs.listDevices(HUB_A))).singleElement().satisfies(device -> {
            assertThat(device.hubHostName()).isEqualTo(HUB_A);
            assertThat(device.deviceId()).isEqualTo("dev-1");
            assertThat(device.twinIdTag()).isEqualTo("room-1");
            assertThat(device.modelTag()).isEqualTo("dtmi:com:example:Room;1");
            assertThat(device.modelId()).isEqualTo("dtmi:com:example:Pnp;1");
            assertThat(device.lastChanged()).isEqualTo(NOW);
        });
        assertThat(drain(hubs.listDevices(HUB_B))).isEmpty();
    }

    @Test
    void devicesAreListedInPagesEachOneRequest() {
        for (int i = 0; i < 7; i++) {
            hubs.add(HUB_A, "dev-" + i);
        }
        DeviceCursor cursor = hubs.listDevices(HUB_A);

        assertThat(cursor.hasMorePages()).isTrue();
        assertThat(drain(cursor)).extracting(DeviceRecord::deviceId)
                .containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6");
        assertThat(cursor.requestsSent()).isEqualTo(3);
        assertThat(cursor.hasMorePages()).isFalse();
        assertThat(hubs.queryRequests(HUB_A)).isEqualTo(3);
    }

    @Test
    void aFullLastPageNeedsNoExtraRequest() {
        for (int i = 0; i < 6; i++) {
            hubs.add(HUB_A, "dev-" + i);
        }
        DeviceCursor cursor = hubs.listDevices(HUB_A);

        assertThat(drain(cursor)).hasSize(6);
        assertThat(cursor.requestsSent()).isEqualTo(2);
    }

    @Test
    void devicesAddedOrRemovedDuringAListingBehaveAsWithContinuationTokens() {
        for (int i = 0; i < 6; i++) {
            hubs.add(HUB_A, "dev-" + i);
        }
        DeviceCursor cursor = hubs.listDevices(HUB_A);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(cursor.next().orElseThrow().deviceId());
        }

        hubs.remove(HUB_A, "dev-3");
        hubs.add(HUB_A, "dev-0a");
        hubs.add(HUB_A, "dev-9");
        drain(cursor).forEach(d -> seen.add(d.deviceId()));

        assertThat(seen).containsExactly("dev-0", "dev-1", "dev-2", "dev-4", "dev-5", "dev-9");
    }

    @Test
    void throttledPagesAnswer429WithRetryAfterAndLeaveTheCursorWhereItWas() {
        for (int i = 0; i < 4; i++) {
            hubs.add(HUB_A, "dev-" + i);
        }
        DeviceCursor cursor = hubs.listDevices(HUB_A);
        hubs.throttleQueries(HUB_A, 2, Duration.ofSeconds(3));

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class, e -> {
                assertThat(e.isThrottled()).isTrue();
                assertThat(e.isTransient()).isTrue();
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                assertThat(e.hubHostName()).isEqualTo(HUB_A);
            });
        }

        assertThat(drain(cursor)).hasSize(4);
        assertThat(cursor.requestsSent()).isEqualTo(4);
    }

    @Test
    void failedQueriesArePermanentUnlessThrottlingOrServerErrors() {
        hubs.failQueries(HUB_A, 1, 401);
        hubs.failQueries(HUB_A, 1, 503);
        DeviceCursor cursor = hubs.listDevices(HUB_A);

        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class,
                e -> assertThat(e.isTransient()).isFalse());
        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class,
                e -> assertThat(e.isTransient()).isTrue());
        assertThat(cursor.next()).isEmpty();
    }

    @Test
    void aQueryQuotaThrottlesWithTheWaitUntilTheMinuteFrees() {
        ManualClock clock = new ManualClock(NOW);
        InMemoryDeviceRegistry quota = InMemoryDeviceRegistry.builder()
                .hubs(HUB_A).clock(clock).pageSize(1).queriesPerMinute(2).build();
        for (int i = 0; i < 5; i++) {
            quota.add(HUB_A, "dev-" + i);
        }
        DeviceCursor cursor = quota.listDevices(HUB_A);
        cursor.next();
        clock.advance(Duration.ofSeconds(20));
        cursor.next();

        assertThatThrownBy(cursor::next).isInstanceOfSatisfying(DeviceInventoryException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(40)));

        clock.advance(Duration.ofSeconds(40));
        assertThat(cursor.next()).get().extracting(DeviceRecord::deviceId).isEqualTo("dev-2");
    }

    @Test
    void theRegistryGuardSeesDevicesAcrossHubNameSpellings() {
        hubs.add(HUB_A, "dev-1");

        assertThat(hubs.deviceExists(HUB_A, "dev-1")).isTrue();
        assertThat(hubs.deviceExists("HUB-A", "dev-1")).isTrue();
        assertThat(hubs.deviceExists(HUB_A, "DEV-1")).isFalse();
        assertThat(hubs.deviceExists(HUB_B, "dev-1")).isFalse();
        assertThat(hubs.registryReads(HUB_A)).isEqualTo(3);
        assertThatThrownBy(() -> hubs.deviceExists("hub-z", "dev-1"))
                .isInstanceOfSatisfying(DeviceRegistryException.class, e -> assertThat(e.isTransient()).isFalse());
    }

    @Test
    void throttledRegistryReadsAreTransientFailures() {
        hubs.add(HUB_A, "dev-1");
        hubs.throttleRegistryReads(HUB_A, 1);

        assertThatThrownBy(() -> hubs.deviceExists(HUB_A, "dev-1"))
                .isInstanceOfSatisfying(DeviceRegistryException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains("429");
                });
        assertThat(hubs.deviceExists(HUB_A, "dev-1")).isTrue();
    }

    @Test
    void iotHubRulesAreEnforced() {
        hubs.add(HUB_A, "dev-1");

        assertThatThrownBy(() -> hubs.add(HUB_A, "dev-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("409");
        assertThatThrownBy(() -> hubs.add(HUB_A, "back\\slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hubs.add(HUB_A, "x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hubs.add(HUB_A, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hubs.add(HUB_A, "big", Map.of("blob", "x".repeat(9000)), null))
                .hasMessageContaining("8192");
        assertThatThrownBy(() -> hubs.add("hub-z.azure-devices.net", "dev-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hubs.add(HUB_A, "o'brien:(1)").deviceId()).isEqualTo("o'brien:(1)");
        assertThat(hubs.deviceCount()).isEqualTo(2);
    }

    @Test
    void updatingTagsStampsTheChangeTime() {
        ManualClock clock = new ManualClock(NOW);
        InMemoryDeviceRegistry registry = InMemoryDeviceRegistry.builder().hubs(HUB_A).clock(clock).build();
        registry.add(HUB_A, "dev-1", Map.of(), null, NOW.minus(Duration.ofDays(1)));
        clock.advance(Duration.ofMinutes(5));

        RegisteredDevice updated = registry.updateTags(HUB_A, "dev-1", Map.of("dtId", "twin-1"));

        assertThat(updated.lastChanged()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(updated.created()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(updated.toDeviceRecord().twinIdTag()).isEqualTo("twin-1");
        assertThatThrownBy(() -> registry.updateTags(HUB_A, "nobody", Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hubsMustBeDistinctHostNames() {
        assertThatThrownBy(() -> InMemoryDeviceRegistry.of()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> InMemoryDeviceRegistry.of("hub-a")).hasMessageContaining("host name");
        assertThatThrownBy(() -> InMemoryDeviceRegistry.of(HUB_A, "HUB-A.azure-devices.net"))
                .hasMessageContaining("twice");
        assertThat(InMemoryDeviceRegistry.of(HUB_A, HUB_B).hubHostNames()).containsExactly(HUB_A, HUB_B);
    }

    @Test
    void clearForgetsDevicesCountersAndFaults() {
        hubs.add(HUB_A, "dev-1");
        hubs.throttleQueries(HUB_A, 1, null);
        hubs.deviceExists(HUB_A, "dev-1");

        hubs.clear();

        assertThat(hubs.deviceCount()).isZero();
        assertThat(hubs.registryReads(HUB_A)).isZero();
        assertThat(drain(hubs.listDevices(HUB_A))).isEmpty();
    }
}
