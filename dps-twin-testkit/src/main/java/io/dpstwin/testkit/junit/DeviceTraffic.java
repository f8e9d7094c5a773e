package io.dpstwin.testkit.junit;

import io.dpstwin.testkit.iothub.IotHubEvent;
import io.dpstwin.testkit.iothub.IotHubEventType;
import io.dpstwin.testkit.iothub.emulator.EmulatedIotHub;
import io.dpstwin.testkit.iothub.emulator.IotHubEmulator;
import io.dpstwin.testkit.iothub.emulator.TelemetryMessage;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.ObjectAssert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the devices and the registry of a {@link DpsEmulatorExtension}'s hubs did during the current test: telemetry
 * received and lifecycle events emitted since the test started (earlier tests of the class are not seen), with
 * AssertJ assertions that wait for asynchronous arrivals.
 *
 * <pre>{@code
 * traffic.assertThatTelemetry("thermo-1", 3).extracting(TelemetryMessage::payloadAsString)
 *         .allMatch(payload -> payload.contains("Temperature"));
 * traffic.assertThatLifecycleEvents().containsCreated("thermo-1").containsDeleted("thermo-1");
 * }</pre>
 */
public final class DeviceTraffic {

    /** How long the assertions wait for telemetry and events by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final IotHubEmulator hubs;
    private final Map<String, Integer> telemetryMarks = new HashMap<>();
    private int eventMark;

    DeviceTraffic(IotHubEmulator hubs) {
        this.hubs = hubs;
        mark();
    }

    /** Forgets everything so far: called by the extension before each test. */
    void mark() {
        hubs.awaitIdle(DEFAULT_TIMEOUT);
        eventMark = hubs.lifecycleEvents().size();
        for (EmulatedIotHub hub : hubs.hubs()) {
            telemetryMarks.put(hub.hostName(), hub.telemetry().size());
        }
    }

    /** Device-to-cloud messages every hub received during this test, hub by hub, each in arrival order. */
    public List<TelemetryMessage> telemetry() {
        List<TelemetryMessage> messages = new ArrayList<>();
        for (EmulatedIotHub hub : hubs.hubs()) {
            List<TelemetryMessage> all = hub.telemetry();
            messages.addAll(all.subList(Math.min(all.size(), telemetryMarks.getOrDefault(hub.hostName(), 0)),
                    all.size()));
        }
        return messages;
    }

    /** Messages {@code deviceId} sent during this test. */
    public List<TelemetryMessage> telemetry(String deviceId) {
        return telemetry().stream().filter(m -> m.deviceId().equals(deviceId)).toList();
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code deviceId} has sent at least {@code count} messages during
     * this test, and returns them.
     */
    public List<TelemetryMessage> awaitTelemetry(String deviceId, int count) {
        return awaitTelemetry(deviceId, count, DEFAULT_TIMEOUT);
    }

    /** {@link #awaitTelemetry(String, int)} waiting up to {@code timeout}. */
    public List<TelemetryMessage> awaitTelemetry(String deviceId, int count, Duration timeout) {
        return await(() -> telemetry(deviceId), count, timeout);
    }

    /**
     * Lifecycle events ({@code createDeviceIdentity}, {@code deleteDeviceIdentity}, module variants) emitted during
     * this test, in order, after their delivery to subscribers has ended.
     */
    public List<IotHubEvent> lifecycleEvents() {
        hubs.awaitIdle(DEFAULT_TIMEOUT);
        List<IotHubEvent> all = hubs.lifecycleEvents();
        return all.subList(Math.min(all.size(), eventMark), all.size());
    }

    /**
     * Asserts on the messages {@code deviceId} sent during this test, once there are at least {@code count} (fails
     * when they do not arrive within {@link #DEFAULT_TIMEOUT}).
     */
    public ListAssert<TelemetryMessage> assertThatTelemetry(String deviceId, int count) {
        return assertThatTelemetry(deviceId, count, DEFAULT_TIMEOUT);
    }

    /** {@link #assertThatTelemetry(String, int)} waiting up to {@code timeout}. */
    public ListAssert<TelemetryMessage> assertThatTelemetry(String deviceId, int count, Duration timeout) {
        List<TelemetryMessage> messages = awaitTelemetry(deviceId, count, timeout);
        return Assertions.assertThat(messages)
                .as("telemetry of %s during this test", deviceId)
                .hasSizeGreaterThanOrEqualTo(count);
    }

    /** Asserts on the lifecycle events of this test. */
    public LifecycleEventsAssert assertThatLifecycleEvents() {
        return new LifecycleEventsAssert(lifecycleEvents());
    }

    private static <T> List<T> await(Supplier<List<T>> source, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> current = source.get();
        while (current.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = source.get();
        }
        return current;
    }

    /** AssertJ assertions on lifecycle events, by device id and opType. */
    public static final class LifecycleEventsAssert
            extends AbstractListAssert<LifecycleEventsAssert, List<IotHubEvent>, IotHubEvent, ObjectAssert<IotHubEvent>> {

        LifecycleEventsAssert(List<IotHubEvent> events) {
            super(events, LifecycleEventsAssert.class);
        }

        /** A {@code createDeviceIdentity} event of each of these devices (not modules) was emitted. */
        public LifecycleEventsAssert containsCreated(String... deviceIds) {
            return containsOf(IotHubEventType.DEVICE_CREATED, deviceIds);
        }

        /** A {@code deleteDeviceIdentity} event of each of these devices (not modules) was emitted. */
        public LifecycleEventsAssert containsDeleted(String... deviceIds) {
            return containsOf(IotHubEventType.DEVICE_DELETED, deviceIds);
        }

        /** No lifecycle event of {@code deviceId} (device or module) was emitted. */
        public LifecycleEventsAssert hasNoEventOf(String deviceId) {
            isNotNull();
            List<String> found = actual.stream().filter(e -> e.deviceId().equals(deviceId))
                    .map(e -> e.type().opType()).toList();
            if (!found.isEmpty()) {
                failWithMessage("Expected no lifecycle event of <%s> but found <%s>", deviceId, found);
            }
            return this;
        }

        /** The opTypes with device ids, in order, are exactly these {@code "opType:deviceId"} pairs. */
        public LifecycleEventsAssert containsExactlyInOrder(String... opTypeColonDeviceId) {
            isNotNull();
            List<String> pairs = actual.stream().map(e -> e.type().opType() + ":" + e.deviceId()).toList();
            Assertions.assertThat(pairs).as(descriptionText()).containsExactly(opTypeColonDeviceId);
            return this;
        }

        private LifecycleEventsAssert containsOf(IotHubEventType type, String... deviceIds) {
            isNotNull();
            for (String deviceId : deviceIds) {
                boolean present = actual.stream().anyMatch(e -> e.type() == type && e.deviceId().equals(deviceId)
                        && e.moduleId().isEmpty());
                if (!present) {
                    failWithMessage("Expected a <%s> event of device <%s> but the events were <%s>", type.opType(),
                            deviceId, actual.stream().map(e -> e.type().opType() + ":" + e.deviceId()).toList());
                }
            }
            return this;
        }

        @Override
        protected ObjectAssert<IotHubEvent> toAssert(IotHubEvent value, String description) {
            return new ObjectAssert<>(value).as(description);
        }

        @Override
        protected LifecycleEventsAssert newAbstractIterableAssert(Iterable<? extends IotHubEvent> iterable) {
            List<IotHubEvent> list = new ArrayList<>();
            iterable.forEach(list::add);
            return new LifecycleEventsAssert(list);
        }
    }
}
