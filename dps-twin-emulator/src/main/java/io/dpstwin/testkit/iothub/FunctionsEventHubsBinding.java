package io.dpstwin.testkit.iothub;

import io.dpstwin.testkit.internal.Wire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values the Azure Functions Event Hubs trigger ({@code cardinality = MANY}, {@code dataType = "string"}) binds
 * for a batch, index-aligned: the message bodies, {@code @BindingName("PropertiesArray")},
 * {@code @BindingName("SystemPropertiesArray")} and the per-field arrays.
 *
 * <p>{@code SystemPropertiesArray[i]} holds what the Functions host puts there: the IoT Hub system properties
 * ({@code iothub-connection-device-id}, {@code iothub-message-source}, {@code correlation-id}, ...), Event Hubs'
 * {@code x-opt-*} annotations, and the host's own {@code SequenceNumber}, {@code Offset}, {@code OffsetString},
 * {@code PartitionKey} and {@code EnqueuedTimeUtc}. Values have the types JSON gives them: strings (timestamps as
 * ISO-8601 UTC, e.g. {@code 2022-05-27T18:49:38.534Z}) and numbers ({@code Long} here;
 * {@link #withNumbersAsDoubles()} yields {@code Double} instead, as a generic JSON-to-{@code Object} mapping in a
 * language worker may, so parsers can prove they accept any {@link Number}). {@code user-id} is given as the hub
 * name string (an assumption; the host's JSON form of this binary AMQP property is not documented).
 *
 * <p>Every accessor returns fresh arrays and maps, so a test may mutate them.
 */
public final class FunctionsEventHubsBinding {

    private final List<IotHubEvent> events;
    private final boolean numbersAsDoubles;

    FunctionsEventHubsBinding(List<IotHubEvent> events, boolean numbersAsDoubles) {
        this.events = List.copyOf(events);
        this.numbersAsDoubles = numbersAsDoubles;
    }

    /** The same binding with every number in the property maps as a {@link Double}. */
    public FunctionsEventHubsBinding withNumbersAsDoubles() {
        return new FunctionsEventHubsBinding(events, true);
    }

    /** The number of events. */
    public int size() {
        return events.size();
    }

    /** The trigger parameter: one UTF-8 body string per event. */
    public String[] messages() {
        return events.stream().map(IotHubEvent::body).toArray(String[]::new);
    }

    /** {@code PropertiesArray}: the application properties of each event. */
    public Map<String, Object>[] propertiesArray() {
        Map<String, Object>[] array = newMapArray(events.size());
        for (int i = 0; i < array.length; i++) {
            array[i] = numbers(new HashMap<>(events.get(i).applicationProperties()));
        }
        return array;
    }

    /** {@code SystemPropertiesArray}: IoT Hub and Event Hubs system properties of each event. */
    public Map<String, Object>[] systemPropertiesArray() {
        Map<String, Object>[] array = newMapArray(events.size());
        for (int i = 0; i < array.length; i++) {
            array[i] = numbers(systemProperties(events.get(i)));
        }
        return array;
    }

    /** {@code EnqueuedTimeUtcArray}: Event Hubs enqueued times as ISO-8601 strings. */
    public List<Object> enqueuedTimeUtcArray() {
        List<Object> list = new ArrayList<>();
        events.forEach(e -> list.add(Wire.trimmedTime(e.eventHubsPosition().enqueuedTime())));
        return list;
    }

    /** {@code OffsetArray}. */
    public List<String> offsetArray() {
        List<String> list = new ArrayList<>();
        events.forEach(e -> list.add(Long.toString(hostOffset(e.eventHubsPosition().offset()))));
        return list;
    }

    /** {@code PartitionKeyArray} (elements are {@code null} for IoT Hub routed events). */
    public List<String> partitionKeyArray() {
        List<String> list = new ArrayList<>();
        events.forEach(e -> list.add(e.eventHubsPosition().partitionKey()));
        return list;
    }

    /** {@code SequenceNumberArray}. */
    public List<Long> sequenceNumberArray() {
        List<Long> list = new ArrayList<>();
        events.forEach(e -> list.add(e.eventHubsPosition().sequenceNumber()));
        return list;
    }

    private static Map<String, Object> systemProperties(IotHubEvent event) {
        Map<String, Object> map = new HashMap<>();
        event.iotHubSystemProperties().forEach((k, v) -> {
            if ("iothub-enqueuedtime".equals(k) && v instanceof Number millis) {
                map.put(k, Wire.trimmedTime(java.time.Instant.ofEpochMilli(millis.longValue())));
            } else {
                map.put(k, v);
            }
        });
        EventHubsPosition position = event.eventHubsPosition();
        String enqueued = Wire.trimmedTime(position.enqueuedTime());
        map.put("x-opt-sequence-number", position.sequenceNumber());
        map.put("x-opt-offset", position.offset());
        map.put("x-opt-enqueued-time", enqueued);
        if (position.partitionKey() != null) {
            map.put("x-opt-partition-key", position.partitionKey());
        }
        map.put("SequenceNumber", position.sequenceNumber());
        map.put("Offset", hostOffset(position.offset()));
        map.put("OffsetString", position.offset());
        map.put("PartitionKey", position.partitionKey());
        map.put("EnqueuedTimeUtc", enqueued);
        return map;
    }

    /** The host parses the offset as a long and falls back to -1 ("beginning of stream") when it cannot. */
    private static long hostOffset(String offset) {
        try {
            return Long.parseLong(offset);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    private Map<String, Object> numbers(Map<String, Object> map) {
        if (numbersAsDoubles) {
            map.replaceAll((k, v) -> v instanceof Number n ? (Object) n.doubleValue() : v);
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] newMapArray(int size) {
        return (Map<String, Object>[]) new Map<?, ?>[size];
    }
}
