package io.dpstwin.core.lifecycle;

import io.dpstwin.core.internal.support.Identifiers;
import java.time.Instant;
import java.util.Objects;

/**
 * A neutral, immutable IoT Hub device lifecycle notification (or another event that arrived on the same stream and
 * will be skipped), whatever envelope it came in. Only the fields dps-twin acts on are kept; the message body is
 * never kept. Every field except {@code source} may be {@code null} when the message did not carry it.
 *
 * @param source             the envelope the message arrived in
 * @param eventId            ordering/dedupe key: IoT Hub {@code correlation-id}, or the Event Grid / CloudEvents {@code id}
 * @param sequenceNumber     the Event Hubs sequence number, when known
 * @param eventType          the Event Grid / CloudEvents type (e.g. {@code Microsoft.Devices.DeviceDeleted}); {@code null}
 *                           for Event Hubs messages
 * @param hubName            the IoT hub as the event names it ({@code hubName}: usually the short name)
 * @param deviceId           the IoT Hub device id (case-sensitive)
 * @param moduleId           the module id; present only on module events
 * @param opType             {@code createDeviceIdentity}, {@code deleteDeviceIdentity}, or whatever the message said
 * @param messageSchema      {@code iothub-message-schema}; Event Grid device created/deleted events are mapped to
 *                           {@code deviceLifecycleNotification}
 * @param messageSource      {@code iothub-message-source}, when known
 * @param operationTimestamp when IoT Hub performed the operation ({@code operationTimestamp}; Event Grid: event time)
 * @param tagDtId            the {@code tags.dtId} of the device twin in the body (the digital twin id), when present
 * @param tagDtmi            the {@code tags.dtmi} of the device twin in the body (the digital twin model), when present
 * @param modelId            the device twin's {@code modelId} (IoT Plug and Play model), when present
 */
public record LifecycleEvent(EventSourceKind source, String eventId, Long sequenceNumber, String eventType,
                             String hubName, String deviceId, String moduleId, String opType, String messageSchema,
                             String messageSource, Instant operationTimestamp, String tagDtId, String tagDtmi,
                             String modelId) implements ParsedEvent {

    public LifecycleEvent {
        Objects.requireNonNull(source, "source");
    }

    /** Whether the event is about a module rather than a device: a module id, or a legacy module operation name. */
    public boolean isModuleEvent() {
        return (moduleId != null && !moduleId.isEmpty())
                || IotHubLifecycleNames.OP_CREATE_MODULE.equalsIgnoreCase(opType)
                || IotHubLifecycleNames.OP_DELETE_MODULE.equalsIgnoreCase(opType)
                || IotHubLifecycleNames.SCHEMA_MODULE_LIFECYCLE.equalsIgnoreCase(messageSchema);
    }

    /** Whether {@code opType} is {@code deleteDeviceIdentity}. */
    public boolean isDeviceDeletion() {
        return IotHubLifecycleNames.OP_DELETE_DEVICE.equalsIgnoreCase(opType);
    }

    /** Whether {@code opType} is {@code createDeviceIdentity}. */
    public boolean isDeviceCreation() {
        return IotHubLifecycleNames.OP_CREATE_DEVICE.equalsIgnoreCase(opType);
    }

    @Override
    public String describe() {
        StringBuilder out = new StringBuilder("source=").append(source);
        append(out, "eventId", eventId);
        if (sequenceNumber != null) {
            out.append(" seq=").append(sequenceNumber);
        }
        append(out, "type", eventType);
        append(out, "opType", opType);
        append(out, "hub", hubName);
        append(out, "device", deviceId);
        append(out, "module", moduleId);
        return out.toString();
    }

    private static void append(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(' ').append(name).append('=').append(Identifiers.shown(value));
        }
    }

    /** A builder, for adapters that read other envelopes and for tests. */
    public static Builder builder(EventSourceKind source) {
        return new Builder(source);
    }

    /** A copy of this event with some fields changed. */
    public Builder toBuilder() {
        return new Builder(source).eventId(eventId).sequenceNumber(sequenceNumber).eventType(eventType)
                .hubName(hubName).deviceId(deviceId).moduleId(moduleId).opType(opType).messageSchema(messageSchema)
                .messageSource(messageSource).operationTimestamp(operationTimestamp).tagDtId(tagDtId)
                .tagDtmi(tagDtmi).modelId(modelId);
    }

    /** Builds a {@link LifecycleEvent}; every field but the source is optional. */
    public static final class Builder {
        private final EventSourceKind source;
        private String eventId;
        private Long sequenceNumber;
        private String eventType;
        private String hubName;
        private String deviceId;
        private String moduleId;
        private String opType;
        private String messageSchema;
        private String messageSource;
        private Instant operationTimestamp;
        private String tagDtId;
        private String tagDtmi;
        private String modelId;

        private Builder(EventSourceKind source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder eventId(String value) {
            this.eventId = value;
            return this;
        }

        public Builder sequenceNumber(Long value) {
            this.sequenceNumber = value;
            return this;
        }

        public Builder eventType(String value) {
            this.eventType = value;
            return this;
        }

        public Builder hubName(String value) {
            this.hubName = value;
            return this;
        }

        public Builder deviceId(String value) {
            this.deviceId = value;
            return this;
        }

        public Builder moduleId(String value) {
            this.moduleId = value;
            return this;
        }

        public Builder opType(String value) {
            this.opType = value;
            return this;
        }

        public Builder messageSchema(String value) {
            this.messageSchema = value;
            return this;
        }

        public Builder messageSource(String value) {
            this.messageSource = value;
            return this;
        }

        public Builder operationTimestamp(Instant value) {
            this.operationTimestamp = value;
            return this;
        }

        public Builder tagDtId(String value) {
            this.tagDtId = value;
            return this;
        }

        public Builder tagDtmi(String value) {
            this.tagDtmi = value;
            return this;
        }

        public Builder modelId(String value) {
            this.modelId = value;
            return this;
        }

        public LifecycleEvent build() {
            return new LifecycleEvent(source, eventId, sequenceNumber, eventType, hubName, deviceId, moduleId, opType,
                    messageSchema, messageSource, operationTimestamp, tagDtId, tagDtmi, modelId);
        }
    }
}
