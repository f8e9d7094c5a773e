package com.azure.messaging.eventhubs;

import com.azure.core.amqp.AmqpMessageConstant;
import com.azure.core.amqp.models.AmqpAnnotatedMessage;
import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.amqp.models.AmqpMessageId;
import com.azure.core.amqp.models.AmqpMessageProperties;
import com.azure.core.util.Context;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Test support of dps-twin's testkit, not an Azure SDK class: builds an {@link EventData} as the SDK builds a
 * received one, with read-only system properties, sequence number, offset and enqueued time populated. Those are
 * only settable through the package-private {@code EventData(AmqpAnnotatedMessage, SystemProperties, Context)}
 * constructor, hence this class lives in the SDK's package.
 *
 * <p>Works on the class path only: on the JPMS module path the package would be split between two modules and the
 * JVM refuses it. Use {@code io.dpstwin.testkit.iothub.EventHubsEvents} rather than this class.
 */
public final class DpsTwinReceivedEventData {

    private DpsTwinReceivedEventData() {
    }

    /**
     * A received event.
     *
     * @param body                  the body bytes (an AMQP data section)
     * @param applicationProperties application properties ({@link EventData#getProperties()})
     * @param contentType           AMQP {@code content-type}, or {@code null}
     * @param contentEncoding       AMQP {@code content-encoding}, or {@code null}
     * @param correlationId         AMQP {@code correlation-id}, or {@code null}
     * @param userId                AMQP {@code user-id}, or {@code null}
     * @param messageAnnotations    message annotations such as {@code iothub-connection-device-id}
     * @param sequenceNumber        {@code x-opt-sequence-number}
     * @param offset                {@code x-opt-offset}
     * @param enqueuedTime          {@code x-opt-enqueued-time}
     * @param partitionKey          {@code x-opt-partition-key}, or {@code null}
     */
    public static EventData create(byte[] body, Map<String, Object> applicationProperties, String contentType,
                                   String contentEncoding, String correlationId, byte[] userId,
                                   Map<String, Object> messageAnnotations, long sequenceNumber, String offset,
                                   Instant enqueuedTime, String partitionKey) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
        AmqpAnnotatedMessage message = new AmqpAnnotatedMessage(AmqpMessageBody.fromData(body.clone()));
        message.getApplicationProperties().putAll(applicationProperties);
        AmqpMessageProperties properties = message.getProperties();
        properties.setContentType(contentType);
        properties.setContentEncoding(contentEncoding);
        if (correlationId != null) {
            properties.setCorrelationId(new AmqpMessageId(correlationId));
        }
        if (userId != null) {
            properties.setUserId(userId.clone());
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
        SystemProperties systemProperties =
                new SystemProperties(message, offset, enqueuedTime, sequenceNumber, partitionKey);
        return new EventData(message, systemProperties, Context.NONE);
    }
}
