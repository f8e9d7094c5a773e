package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.internal.support.Identifiers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.CONNECTION_DEVICE_ID;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.CONNECTION_MODULE_ID;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.CORRELATION_ID;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.DEVICE_ID;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.FUNCTIONS_SEQUENCE_NUMBER;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.HUB_NAME;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.MESSAGE_SCHEMA;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.MESSAGE_SOURCE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.MODULE_ID;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.OPERATION_TIMESTAMP;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.OP_TYPE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SCHEMA_DEVICE_LIFECYCLE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SCHEMA_MODULE_LIFECYCLE;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.SDK_SEQUENCE_NUMBER;
import static io.dpstwin.core.lifecycle.IotHubLifecycleNames.USER_ID;

/**
 * Reads IoT Hub messages routed to Event Hubs as {@link ParsedEvent}s, from plain maps so that core does not depend
 * on the Event Hubs SDK or Azure Functions:
 * <ul>
 *   <li>{@link #parse(Map, Map, String)}: one message, e.g. from {@code EventData#getProperties()},
 *       {@code EventData#getSystemProperties()} and {@code EventData#getBodyAsString()};</li>
 *   <li>{@link #parseFunctionsBatch(String[], Map[], Map[])}: the Azure Functions Event Hubs binding with
 *       {@code cardinality = MANY}: the message array with the index-aligned {@code PropertiesArray} and
 *       {@code SystemPropertiesArray}.</li>
 * </ul>
 * Application properties: {@code opType}, {@code hubName}, {@code deviceId}, {@code moduleId},
 * {@code operationTimestamp}, {@code iothub-message-schema}. System properties: {@code iothub-connection-device-id},
 * {@code iothub-connection-module-id}, {@code iothub-message-source}, {@code correlation-id} and the sequence number
 * ({@code x-opt-sequence-number}, or {@code SequenceNumber} from Functions). Property values may be of any scalar
 * type (Functions hands over numbers and strings alike). The body, the device twin JSON, is parsed only for lifecycle
 * notifications, and only {@code deviceId}, {@code moduleId}, {@code modelId}, {@code tags.dtId} and
 * {@code tags.dtmi} are kept. A message that cannot be read becomes an {@link UnparseableEvent}; this class never
 * throws for bad input. Thread-safe.
 */
public final class EventHubsLifecycleParser {

    /** The default bound on a body: 1 MiB, the largest event Event Hubs (Standard) accepts. */
    public static final int DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

    private final int maxBodySize;

    public EventHubsLifecycleParser() {
        this(DEFAULT_MAX_BODY_SIZE);
    }

    /** @param maxBodySize bodies larger than this (characters, or bytes for {@code byte[]} bodies) are refused */
    public EventHubsLifecycleParser(int maxBodySize) {
        this.maxBodySize = Checks.atLeast(maxBodySize, 1, "maxBodySize");
    }

    /**
     * Parses one message.
     *
     * @param applicationProperties the message's application properties ({@code null} is read as none)
     * @param systemProperties      the message's system properties ({@code null} is read as none)
     * @param body                  the body as text, or {@code null}
     */
    public ParsedEvent parse(Map<String, ?> applicationProperties, Map<String, ?> systemProperties, String body) {
        return parse(0, applicationProperties, systemProperties, body, null);
    }

    /** Parses one message whose body is raw bytes (UTF-8 expected). */
    public ParsedEvent parse(Map<String, ?> applicationProperties, Map<String, ?> systemProperties, byte[] body) {
        return parse(0, applicationProperties, systemProperties, null, body);
    }

    /**
     * Parses a batch from the Azure Functions Event Hubs binding ({@code cardinality = MANY},
     * {@code dataType = "string"}). The three arrays must be index-aligned; when their lengths differ no message can
     * be matched to its properties, so every message becomes an {@link UnparseableEvent} saying so.
     *
     * @param bodies                the message bodies; {@code null} means an empty batch
     * @param propertiesArray       {@code @BindingName("PropertiesArray")}: required, a missing array makes every
     *                              message unparseable (without it no delete could ever be recognised)
     * @param systemPropertiesArray {@code @BindingName("SystemPropertiesArray")}: optional
     */
    public List<ParsedEvent> parseFunctionsBatch(String[] bodies, Map<String, Object>[] propertiesArray,
                                                 Map<String, Object>[] systemPropertiesArray) {
        if (bodies == null) {
            return List.of();
        }
        return parseAligned(bodies.length, propertiesArray, systemPropertiesArray,
                (i, app, sys) -> parse(i, app, sys, bodies[i], null));
    }

    /** As {@link #parseFunctionsBatch(String[], Map[], Map[])} for {@code dataType = "binary"}. */
    public List<ParsedEvent> parseFunctionsBatch(byte[][] bodies, Map<String, Object>[] propertiesArray,
                                                 Map<String, Object>[] systemPropertiesArray) {
        if (bodies == null) {
            return List.of();
        }
        return parseAligned(bodies.length, propertiesArray, systemPropertiesArray,
                (i, app, sys) -> parse(i, app, sys, null, bodies[i]));
    }

    @FunctionalInterface
    private interface IndexedParse {
        ParsedEvent parse(int index, Map<String, ?> app, Map<String, ?> sys);
    }

    private static List<ParsedEvent> parseAligned(int count, Map<String, Object>[] propertiesArray,
                                                  Map<String, Object>[] systemPropertiesArray, IndexedParse parse) {
        String misalignment = null;
        if (propertiesArray == null) {
            misalignment = "PropertiesArray is missing; bind it with @BindingName(\"PropertiesArray\") "
                    + "(it carries opType, deviceId and hubName)";
        } else if (propertiesArray.length != count) {
            misalignment = "PropertiesArray has " + propertiesArray.length + " entries for " + count
                    + " messages; messages cannot be matched to their properties";
        } else if (systemPropertiesArray != null && systemPropertiesArray.length != count) {
            misalignment = "SystemPropertiesArray has " + systemPropertiesArray.length + " entries for " + count
                    + " messages; messages cannot be matched to their system properties";
        }
        List<ParsedEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (misalignment != null) {
                events.add(new UnparseableEvent(EventSourceKind.EVENT_HUBS, i, null, null, null, misalignment));
            } else {
                Map<String, Object> sys = systemPropertiesArray == null ? null : systemPropertiesArray[i];
                events.add(parse.parse(i, propertiesArray[i], sys));
            }
        }
        return events;
    }

    private ParsedEvent parse(int index, Map<String, ?> app, Map<String, ?> sys, String textBody, byte[] rawBody) {
        Map<String, ?> appProps = app == null ? Map.of() : app;
        Map<String, ?> sysProps = sys == null ? Map.of() : sys;
        try {
            return read(appProps, sysProps, textBody, rawBody);
        } catch (ParseFailure failure) {
            return new UnparseableEvent(EventSourceKind.EVENT_HUBS, index,
                    lenient(() -> eventId(sysProps)),
                    lenient(() -> sequenceNumber(sysProps)),
                    lenient(() -> first(str(appProps, DEVICE_ID), str(sysProps, CONNECTION_DEVICE_ID))),
                    failure.getMessage());
        }
    }

    private LifecycleEvent read(Map<String, ?> app, Map<String, ?> sys, String textBody, byte[] rawBody)
            throws ParseFailure {
        String schema = first(str(app, MESSAGE_SCHEMA), str(sys, MESSAGE_SCHEMA));
        String messageSource = first(str(sys, MESSAGE_SOURCE), str(app, MESSAGE_SOURCE));
        String opType = str(app, OP_TYPE);
        String hubName = first(str(app, HUB_NAME), userId(sys));
        String deviceId = agreeing(str(app, DEVICE_ID), str(sys, CONNECTION_DEVICE_ID),
                "application property deviceId", "system property " + CONNECTION_DEVICE_ID);
        String moduleId = agreeing(str(app, MODULE_ID), str(sys, CONNECTION_MODULE_ID),
                "application property moduleId", "system property " + CONNECTION_MODULE_ID);
        Instant operationTimestamp = instant(app, OPERATION_TIMESTAMP);
        LifecycleEvent.Builder event = LifecycleEvent.builder(EventSourceKind.EVENT_HUBS)
                .eventId(eventId(sys))
                .sequenceNumber(sequenceNumber(sys))
                .messageSchema(schema)
                .messageSource(messageSource)
                .opType(opType)
                .hubName(hubName)
                .deviceId(deviceId)
                .moduleId(moduleId)
                .operationTimestamp(operationTimestamp);
        boolean lifecycle = SCHEMA_DEVICE_LIFECYCLE.equalsIgnoreCase(schema)
                || SCHEMA_MODULE_LIFECYCLE.equalsIgnoreCase(schema);
        if (!lifecycle) {
            // Twin changes, connection states, telemetry: skipped later; their bodies are none of our business.
            return event.build();
        }
        if (deviceId == null) {
            throw new ParseFailure("lifecycle notification without deviceId (application property deviceId or "
                    + "system property " + CONNECTION_DEVICE_ID + ")");
        }
        if (!Identifiers.isDeviceId(deviceId)) {
            throw new ParseFailure("deviceId is not a valid IoT Hub device id");
        }
        if (moduleId != null && !Identifiers.isDeviceId(moduleId)) {
            throw new ParseFailure("moduleId is not a valid IoT Hub module id");
        }
        String body = textBody;
        if (body == null && rawBody != null) {
            body = JsonSupport.utf8(rawBody, maxBodySize, "body");
        }
        if (body != null && !body.isBlank()) {
            JsonSupport.checkSize(body.length(), maxBodySize, "body");
            TwinBody twin = TwinBody.read(JsonSupport.read(body, "body"), "body");
            if (twin.deviceId() != null && !twin.deviceId().equals(deviceId)) {
                throw new ParseFailure("body.deviceId differs from the deviceId property");
            }
            if (twin.moduleId() != null && moduleId != null && !twin.moduleId().equals(moduleId)) {
                throw new ParseFailure("body.moduleId differs from the moduleId property");
            }
            event.moduleId(first(moduleId, twin.moduleId()))
                    .tagDtId(twin.tagDtId())
                    .tagDtmi(twin.tagDtmi())
                    .modelId(twin.modelId());
        }
        return event.build();
    }

    // ---- property access -------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Read<T> {
        T get() throws ParseFailure;
    }

    private static <T> T lenient(Read<T> read) {
        try {
            return read.get();
        } catch (ParseFailure | RuntimeException e) {
            return null;
        }
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String agreeing(String a, String b, String nameA, String nameB) throws ParseFailure {
        if (a != null && b != null && !a.equals(b)) {
            throw new ParseFailure(nameA + " and " + nameB + " differ");
        }
        return first(a, b);
    }

    private static String eventId(Map<String, ?> sys) throws ParseFailure {
        Object value = lookup(sys, CORRELATION_ID);
        if (value instanceof byte[] bytes) {
            return hex(bytes);
        }
        return str(sys, CORRELATION_ID);
    }

    private static Long sequenceNumber(Map<String, ?> sys) throws ParseFailure {
        Long sdk = integral(sys, SDK_SEQUENCE_NUMBER);
        return sdk != null ? sdk : integral(sys, FUNCTIONS_SEQUENCE_NUMBER);
    }

    private static String userId(Map<String, ?> sys) throws ParseFailure {
        Object value = lookup(sys, USER_ID);
        if (value instanceof byte[] bytes) {
            String text = JsonSupport.utf8(bytes, 1024, "system property " + USER_ID);
            return text.isEmpty() ? null : text;
        }
        return str(sys, USER_ID);
    }

    /** Exact name first, then a case-insensitive match (IoT Hub treats property names case-insensitively). */
    private static Object lookup(Map<String, ?> map, String name) {
        Object value = map.get(name);
        if (value != null) {
            return value;
        }
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            if (name.equalsIgnoreCase(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String str(Map<String, ?> map, String name) throws ParseFailure {
        Object value = lookup(map, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof Collection || value.getClass().isArray()) {
            throw new ParseFailure("property " + name + " is a " + typeName(value) + ", expected a string");
        }
        String text = value.toString();
        return text.isEmpty() ? null : text;
    }

    private static Long integral(Map<String, ?> map, String name) throws ParseFailure {
        Object value = lookup(map, name);
        if (value == null) {
            return null;
        }
        try {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof BigInteger big) {
                return big.longValueExact();
            }
            if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
                return new BigDecimal(value.toString()).longValueExact();
            }
            if (value instanceof CharSequence text) {
                return Long.parseLong(text.toString().trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ParseFailure("property " + name + " is not a whole number");
        }
        throw new ParseFailure("property " + name + " is a " + typeName(value) + ", expected a number");
    }

    private static Instant instant(Map<String, ?> map, String name) throws ParseFailure {
        Object value = lookup(map, name);
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof CharSequence text) {
            return text.length() == 0 ? null : JsonSupport.instant(text.toString(), "property " + name);
        }
        throw new ParseFailure("property " + name + " is a " + typeName(value) + ", expected an ISO-8601 timestamp");
    }

    private static String typeName(Object value) {
        if (value instanceof Map) {
            return "map";
        }
        if (value instanceof Collection) {
            return "list";
        }
        if (value.getClass().isArray()) {
            return "array";
        }
        return value.getClass().getSimpleName();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }
}
