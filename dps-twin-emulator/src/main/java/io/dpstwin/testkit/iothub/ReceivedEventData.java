package io.dpstwin.testkit.iothub;

import com.azure.core.amqp.AmqpMessageConstant;
import com.azure.core.amqp.models.AmqpAnnotatedMessage;
import com.azure.core.amqp.models.AmqpMessageId;
import com.azure.core.amqp.models.AmqpMessageProperties;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventhubs.EventData;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link EventData} as the SDK hands a received one to a consumer, built through the SDK's public API only: the
 * public {@link EventData#EventData(BinaryData)} constructor, the raw AMQP message it exposes, and overrides of the
 * getters that a received event answers from the service's system properties (sequence number, offset, enqueued
 * time, partition key). So it lives in the testkit's own package and works on the module path too.
 */
final class ReceivedEventData extends EventData {

    private final Map<String, Object> properties;
    private final Map<String, Object> systemProperties;
    private final long sequenceNumber;
    private final String offset;
    private final Instant enqueuedTime;
    private final String partitionKey;

    /**
     * A received event.
     *
     * @param body                  the body bytes (an AMQP data section)
     * @param applicationProperties application properties ({@link EventData#getProperties()})
     * @param amqpProperties        AMQP properties by their names: {@code content-type}, {@code content-encoding},
     *                              {@code correlation-id} (text), {@code user-id} (bytes); others are ignored
     * @param messageAnnotations    message annotations such as {@code iothub-connection-device-id}
     * @param position              sequence number, offset, enqueued time and partition key
     */
    ReceivedEventData(byte[] body, Map<String, Object> applicationProperties, Map<String, Object> amqpProperties,
                      Map<String, Object> messageAnnotations, EventHubsPosition position) {
        super(BinaryData.fromBytes(Objects.requireNonNull(body, "body").clone()));
        this.sequenceNumber = position.sequenceNumber();
        this.offset = Objects.requireNonNull(position.offset(), "offset");
        this.enqueuedTime = Objects.requireNonNull(position.enqueuedTime(), "enqueuedTime");
        this.partitionKey = position.partitionKey();
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(applicationProperties));
        AmqpAnnotatedMessage message = getRawAmqpMessage();
        message.getApplicationProperties().putAll(applicationProperties);
        AmqpMessageProperties amqp = message.getProperties();
        amqp.setContentType((String) amqpProperties.get(AmqpMessageConstant.CONTENT_TYPE.getValue()));
        amqp.setContentEncoding((String) amqpProperties.get(AmqpMessageConstant.CONTENT_ENCODING.getValue()));
        if (amqpProperties.get(AmqpMessageConstant.CORRELATION_ID.getValue()) instanceof String correlationId) {
            amqp.setCorrelationId(new AmqpMessageId(correlationId));
        }
        if (amqpProperties.get(AmqpMessageConstant.USER_ID.getValue()) instanceof byte[] userId) {
            amqp.setUserId(userId.clone());
        }
        Map<String, Object> annotations = message.getMessageAnnotations();
        annotations.putAll(messageAnnotations);
        // the types the SDK's deserializer leaves in the annotations of a received message
        annotations.put(AmqpMessageConstant.SEQUENCE_NUMBER_ANNOTATION_NAME.getValue(), sequenceNumber);
        annotations.put(AmqpMessageConstant.OFFSET_ANNOTATION_NAME.getValue(), offset);
        annotations.put(AmqpMessageConstant.ENQUEUED_TIME_UTC_ANNOTATION_NAME.getValue(), enqueuedTime);
        if (partitionKey != null) {
            annotations.put(AmqpMessageConstant.PARTITION_KEY_ANNOTATION_NAME.getValue(), partitionKey);
        }
        // as the SDK's received system properties: the AMQP properties that are set, then the annotations; read-only
        Map<String, Object> system = new LinkedHashMap<>();
        amqpProperties.forEach((name, value) -> {
            if (value != null) {
                system.put(name, value instanceof byte[] bytes ? bytes.clone() : value);
            }
        });
        system.putAll(annotations);
        this.systemProperties = Collections.unmodifiableMap(system);
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }

    @Override
    public Map<String, Object> getSystemProperties() {
        return systemProperties;
    }

    @Override
    public Long getSequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public String getOffsetString() {
        return offset;
    }

    /** The offset as a number, as the SDK's deprecated getter answers it for a received event. */
    @Deprecated
    @Override
    public Long getOffset() {
        return Long.valueOf(offset);
    }

    @Override
    public Instant getEnqueuedTime() {
        return enqueuedTime;
    }

    @Override
    public String getPartitionKey() {
        return partitionKey;
    }
}
